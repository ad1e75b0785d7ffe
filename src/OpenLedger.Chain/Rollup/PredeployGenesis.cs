using System.Text.Json;
using OpenLedger.Chain.Genesis;
using OpenLedger.Primitives;

namespace OpenLedger.Chain.Rollup;

/// <summary>
/// Puts the rollup predeploys into a genesis alloc: our own contracts' runtime code, read from forge's artifacts
/// (`forge build contracts/src/l2/predeploys` writes them to `out/`) at genesis-build time. Code sits directly at the
/// predeploy address (no proxy: upgrades come as upgrade-deposited transactions when they are needed). The fee vaults
/// get their recipient and minimum withdrawal in storage slots 0 and 1; the genesis config is marked "optimism" (OP Stack
/// fee rules: base fee to the BaseFeeVault).
/// </summary>
public static class PredeployGenesis
{
    /// <summary>Predeploy address → forge artifact (relative to the artifacts folder).</summary>
    public static IReadOnlyList<(Address Address, string Artifact)> Contracts { get; } =
    [
        (Predeploys.L1Block, "L1Block.sol/L1Block.json"),
        (Predeploys.L2ToL1MessagePasser, "L2ToL1MessagePasser.sol/L2ToL1MessagePasser.json"),
        (Predeploys.GasPriceOracle, "GasPriceOracle.sol/GasPriceOracle.json"),
    ];

    public static IReadOnlyList<Address> FeeVaults { get; } = [Predeploys.SequencerFeeVault, Predeploys.BaseFeeVault, Predeploys.L1FeeVault];

    public static GenesisSpec WithPredeploys(GenesisSpec genesis, string artifactsDir, Address feeRecipient, UInt256 minWithdrawal = default)
    {
        var alloc = new Dictionary<Address, GenesisAccount>(genesis.Alloc);
        void Put(Address address, byte[] code, Dictionary<UInt256, UInt256> storage)
        {
            if (alloc.ContainsKey(address)) throw new GenesisException($"genesis.alloc already holds an account at predeploy address {address}");
            alloc[address] = new GenesisAccount(UInt256.Zero, 0, code, storage);
        }
        foreach (var (address, artifact) in Contracts) Put(address, RuntimeCode(Path.Combine(artifactsDir, artifact)), new());
        var vaultCode = RuntimeCode(Path.Combine(artifactsDir, "FeeVault.sol/FeeVault.json"));
        foreach (var vault in FeeVaults)
            Put(vault, vaultCode, new Dictionary<UInt256, UInt256> { [UInt256.Zero] = UInt256.FromBigEndian(feeRecipient.Bytes), [UInt256.One] = minWithdrawal });
        return genesis with { Alloc = alloc, Config = genesis.Config with { Optimism = true } };
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
