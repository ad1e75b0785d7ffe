using System.Text.Json;
using System.Text.RegularExpressions;
using OpenLedger.Chain.Genesis;
using OpenLedger.Chain.Rollup;
using OpenLedger.Primitives;

namespace OpenLedger.Node.Devnet;

/// <summary>
/// Reads the preinstalls' bytecode at setup from the npm packages in the checkout (pinned by package-lock.json):
/// <c>@eth-optimism/contracts-bedrock/src/libraries/Preinstalls.sol</c> for the code and Permit2's template offsets,
/// and cross-checks the Safe singleton factory against the signed deployment transaction that
/// <c>@safe-global/safe-singleton-factory</c> publishes (its init code ends with the runtime code).
/// <see cref="Preinstalls.WithPreinstalls"/> then checks every code hash.
/// </summary>
public static partial class PreinstallSource
{
    [GeneratedRegex("bytes internal constant (\\w+)Code =\\s*hex\"([0-9a-fA-F]*)\";")]
    private static partial Regex CodeConstant();

    [GeneratedRegex("mstore\\(add\\(add\\(out_, 0x20\\), (\\d+)\\), (_chainID|domainSeparator)\\)")]
    private static partial Regex Permit2Offset();

    /// <summary>The runtime code of one preinstall (e.g. "MultiCall3") as Preinstalls.sol spells it.</summary>
    public static byte[] Code(string repoRoot, string name) =>
        ReadCodes(PreinstallsSol(repoRoot), out _).GetValueOrDefault(name) ?? throw new GenesisException($"{name}Code missing from Preinstalls.sol");

    private static string PreinstallsSol(string repoRoot)
    {
        var sol = Path.Combine(repoRoot, "node_modules", "@eth-optimism", "contracts-bedrock", "src", "libraries", "Preinstalls.sol");
        if (!File.Exists(sol)) throw new GenesisException($"{sol} not found: run `npm ci` (deploy/lib.sh does) for the preinstalls' bytecode");
        return sol;
    }

    private static Dictionary<string, byte[]> ReadCodes(string sol, out string text)
    {
        text = File.ReadAllText(sol);
        var codes = new Dictionary<string, byte[]>();
        foreach (Match m in CodeConstant().Matches(text)) codes[m.Groups[1].Value] = Convert.FromHexString(m.Groups[2].Value);
        return codes;
    }

    public static GenesisSpec Apply(GenesisSpec genesis, string repoRoot)
    {
        var modules = Path.Combine(repoRoot, "node_modules");
        var sol = PreinstallsSol(repoRoot);
        var codes = ReadCodes(sol, out var text);
        int chainIdAt = -1, separatorAt = -1;
        foreach (Match m in Permit2Offset().Matches(text))
            if (m.Groups[2].Value == "_chainID") chainIdAt = int.Parse(m.Groups[1].Value); else separatorAt = int.Parse(m.Groups[1].Value);
        if (chainIdAt < 0 || separatorAt < 0) throw new GenesisException($"{sol}: Permit2's chain id and domain separator offsets not found");

        var deployment = Path.Combine(modules, "@safe-global", "safe-singleton-factory", "artifacts", "1", "deployment.json");
        if (!File.Exists(deployment)) throw new GenesisException($"{deployment} not found: run `npm ci`");
        using (var doc = JsonDocument.Parse(File.ReadAllText(deployment)))
        {
            var tx = Hex.Decode(doc.RootElement.GetProperty("transaction").GetString()!);
            var runtime = codes.GetValueOrDefault("SafeSingletonFactory") ?? throw new GenesisException("SafeSingletonFactory code missing from Preinstalls.sol");
            if (tx.AsSpan().IndexOf(runtime) < 0)
                throw new GenesisException("the Safe singleton factory code in contracts-bedrock is not the code its published deployment transaction creates");
        }
        return Preinstalls.WithPreinstalls(genesis, codes, chainIdAt, separatorAt);
    }
}
