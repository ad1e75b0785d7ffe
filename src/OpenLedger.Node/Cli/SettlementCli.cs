using System.CommandLine;
using System.Text.Json.Nodes;
using OpenLedger.Node.Devnet;
using OpenLedger.Primitives;
using OpenLedger.Settlement.Chain;

namespace OpenLedger.Node.Cli;

/// <summary>What `prover` and `rewards` share: the RPC, the contract addresses, keys kept off the command line.</summary>
internal static class SettlementCli
{
    public static Option<string> RpcOption() => new("--rpc") { Description = "L2 JSON-RPC URL.", DefaultValueFactory = _ => "http://127.0.0.1:9545" };

    public static Option<string?> ContractsOption() => new("--contracts") { Description = "L2 contract addresses (default: deployments/<chainid>-l2.json as DeployL2.s.sol writes it)." };

    public static Option<string?> KeyOption(string envVar, string who) => new("--key") { Description = $"{who} key (hex); default ${envVar}." };

    /// <summary>The addresses of a DeployL2 deployments file, by contract name.</summary>
    public static async Task<(ChainClient Chain, IReadOnlyDictionary<string, string> Contracts)> ConnectAsync(string rpc, string? contractsFile)
    {
        ChainClient chain;
        try { chain = new ChainClient(rpc); }
        catch (ArgumentException e) { throw new CliException($"--rpc: {e.Message}", CliApp.UsageError); }
        var file = contractsFile ?? Path.Combine("deployments", $"{await chain.ChainIdAsync()}-l2.json");
        if (!File.Exists(file)) throw new CliException($"{file} does not exist (deploy with the devnet or forge script contracts/script/DeployL2.s.sol, or pass --contracts)");
        return (chain, ContractDeployer.ReadAddresses(file));
    }

    public static Address Contract(IReadOnlyDictionary<string, string> contracts, string name) =>
        contracts.TryGetValue(name, out var v) && Address.TryParse(v, out var a) ? a
            : throw new CliException($"the contracts file has no address for {name} (redeploy with the current DeployL2.s.sol)");

    public static byte[] Key(string? value, string envVar, string option = "--key")
    {
        var hex = value ?? Environment.GetEnvironmentVariable(envVar)
            ?? throw new CliException($"{option} or ${envVar} is required", CliApp.UsageError);
        if (!Hex.TryDecode(hex.Trim(), out var key) || key.Length != 32) throw new CliException($"{option}: not a 32-byte hex private key", CliApp.UsageError);
        return key;
    }

    public static Address ParseAddress(string? text, string option) =>
        Address.TryParse(text, out var a) ? a : throw new CliException($"{option}: '{text}' is not an address", CliApp.UsageError);

    /// <summary>Writes a file atomically (temporary file, then rename).</summary>
    public static void WriteAtomic(string path, JsonNode node)
    {
        var full = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        var tmp = full + ".tmp";
        File.WriteAllText(tmp, node.ToJsonString(AttributionCommand.Indented) + "\n");
        File.Move(tmp, full, overwrite: true);
    }

    public static int Run(Func<Task<int>> action) => AttributionCommand.Guard(() => action().GetAwaiter().GetResult());
}
