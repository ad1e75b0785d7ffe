using System.Text.Json;
using OpenLedger.Chain.Genesis;
using OpenLedger.Primitives;

namespace OpenLedger.Chain.Rollup;

/// <summary>
/// Puts the rollup predeploys into a genesis alloc: our own contracts' runtime code, read from forge's artifacts
/// (`forge build contracts/src/l2/predeploys` writes them to `out/`) at genesis-build time. Code sits directly at the
/// predeploy address (no proxy: upgrades come as upgrade-deposited transactions when they are needed).
/// </summary>
public static class PredeployGenesis
{
    /// <summary>Predeploy address → forge artifact (relative to the artifacts folder).</summary>
    public static IReadOnlyList<(Address Address, string Artifact)> Contracts { get; } =
    [
        (Predeploys.L1Block, "L1Block.sol/L1Block.json"),
    ];

    public static GenesisSpec WithPredeploys(GenesisSpec genesis, string artifactsDir)
    {
        var alloc = new Dictionary<Address, GenesisAccount>(genesis.Alloc);
        foreach (var (address, artifact) in Contracts)
        {
            if (alloc.ContainsKey(address)) throw new GenesisException($"genesis.alloc already holds an account at predeploy address {address}");
            alloc[address] = new GenesisAccount(UInt256.Zero, 0, RuntimeCode(Path.Combine(artifactsDir, artifact)), new Dictionary<UInt256, UInt256>());
        }
        return genesis with { Alloc = alloc };
    }

    /// <summary>`deployedBytecode.object` of a forge artifact, checked non-empty.</summary>
    public static byte[] RuntimeCode(string artifactPath)
    {
        if (!File.Exists(artifactPath)) throw new GenesisException($"predeploy artifact {artifactPath} not found: run `forge build contracts/src/l2/predeploys` first");
        using var doc = JsonDocument.Parse(File.ReadAllText(artifactPath));
        if (!doc.RootElement.TryGetProperty("deployedBytecode", out var db) || !db.TryGetProperty("object", out var obj) || obj.ValueKind != JsonValueKind.String)
            throw new GenesisException($"{artifactPath} has no deployedBytecode.object");
        var code = Hex.Decode(obj.GetString()!);
        if (code.Length == 0) throw new GenesisException($"{artifactPath}: empty runtime code");
        return code;
    }
}
