using System.Globalization;
using Microsoft.Extensions.Logging;
using Nethereum.JsonRpc.Client;
using OpenLedger.Node.Hosting;
using OpenLedger.Primitives;
using OpenLedger.Primitives.Abi;
using OpenLedger.Rollup.Batcher;
using OpenLedger.Rollup.Outputs;

namespace OpenLedger.Node.Devnet;

/// <summary>
/// The devnet's bridge: the periods DeployL1 gets for L2OutputOracle, and the proposer and challenger services run
/// in-process: the proposer posts outputs of the sequencer's safe head (derived from L1 by its own derivation), the
/// challenger recomputes them on the devnet's replica, which derived the chain from L1 alone.
/// </summary>
public sealed class DevnetBridge : IAsyncDisposable
{
    /// <summary>L2 blocks between outputs, and the devnet's short windows (seconds): proof-to-finalize and guardian deadline.</summary>
    public const int SubmissionInterval = 10, FinalizationPeriod = 30, ResolutionPeriod = 30;
    /// <summary>anvil dev accounts 3 (staked as OutputProposer by DeployL1) and 4.</summary>
    public const string ProposerKey = "0x7c852118294e51e653712a81e05800f419141751be58f605c371e15141b007a6";
    public const string ChallengerKey = "0x47e179ec197488593b187f80a00eb0da91f1b9d0b13f8733639f19c30a34926a";

    private readonly CancellationTokenSource _stop = new();
    private readonly List<Task> _tasks = [];
    private readonly ILoggerFactory _loggers = Logging.Create();

    public static IReadOnlyDictionary<string, string> DeployEnvironment(DevnetAnchor anchor, DevnetOptions options) => new Dictionary<string, string>
    {
        ["L2_STARTING_BLOCK"] = "0",
        ["L2_STARTING_TIMESTAMP"] = anchor.GenesisTime.ToString(CultureInfo.InvariantCulture),
        ["L2_BLOCK_TIME"] = Math.Max(1, options.BlockTimeMs / 1000).ToString(CultureInfo.InvariantCulture),
        ["SUBMISSION_INTERVAL"] = SubmissionInterval.ToString(CultureInfo.InvariantCulture),
        ["FINALIZATION_PERIOD"] = FinalizationPeriod.ToString(CultureInfo.InvariantCulture),
        ["RESOLUTION_PERIOD"] = ResolutionPeriod.ToString(CultureInfo.InvariantCulture),
        ["PROPOSER_KEY"] = ProposerKey,
    };

    public static Address? Portal(IReadOnlyDictionary<string, string>? l1) => Get(l1, "OpenPortal");

    private static Address? Get(IReadOnlyDictionary<string, string>? l1, string name) =>
        l1 is not null && l1.TryGetValue(name, out var s) && Address.TryParse(s, out var a) ? a : null;

    /// <summary>Starts the proposer and the challenger (funding the challenger's bonds from dev account 0), or says why not.</summary>
    /// <param name="replicaRpc">The devnet's replica: the challenger recomputes outputs there (a node that derived the chain from L1).</param>
    public static async Task<DevnetBridge?> StartAsync(string l1Url, NodeHost l2, IReadOnlyDictionary<string, string>? l1, TextWriter output, CancellationToken ct,
        string? replicaRpc = null)
    {
        if (Get(l1, "L2OutputOracle") is not { } oracleAddress || Get(l1, "OpenToken") is not { } token || Portal(l1) is not { } portal)
        {
            await output.WriteLineAsync("Bridge: not running: the L1 deployment has no L2OutputOracle/OpenPortal (deployed by an older DeployL1?)");
            return null;
        }
        var bridge = new DevnetBridge();
        var l1Client = new RpcClient(new Uri(l1Url));
        var log = bridge._loggers.CreateLogger("bridge");
        ulong chainId = await Cli.OutputRoleCommands.L1ChainIdAsync(l1Client);
        var proposer = new L1TxSender(l1Client, Hex.Decode(ProposerKey), chainId, bridge._loggers.CreateLogger("proposer"));
        var challenger = new L1TxSender(l1Client, Hex.Decode(ChallengerKey), chainId, bridge._loggers.CreateLogger("challenger"));
        var funder = new L1TxSender(l1Client, Hex.Decode(ContractDeployer.AnvilDevKey0), chainId, log);
        var transfer = AbiFunction.FromSignature("transfer(address,uint256)");
        var balanceOf = AbiFunction.FromSignature("balanceOf(address)", "(uint256)");
        var challengerOracle = new OutputOracleClient(l1Client, oracleAddress, challenger);
        var bond = await challengerOracle.ChallengeBondAsync();
        var balanceHex = await l1Client.SendRequestAsync<string>(new RpcRequest(1, "eth_call",
            new Dictionary<string, object> { ["to"] = token.ToString(), ["data"] = Hex.Encode(balanceOf.EncodeCall(challenger.From)) }, "latest"));
        if ((UInt256)balanceOf.DecodeOutput(Hex.Decode(balanceHex))[0]! < bond * new UInt256(3))
            await funder.SendAsync(token, transfer.EncodeCall(challenger.From, bond * new UInt256(10)), ct);

        // With derivation (the devnet's rollup.json) outputs are proposed from the sequencer's safe head, and checked against
        // the replica's; without it (no rollup contracts on L1) nothing is safe, so both read the sequencer's latest head.
        string tag = l2.Derivation is null ? "latest" : "safe";
        var l2Source = new L2OutputSource(new RpcClient(new Uri(l2.RpcUrl)), tag);
        var checkSource = replicaRpc is null ? l2Source : new L2OutputSource(new RpcClient(new Uri(replicaRpc)), tag);
        var proposerService = new ProposerService(new OutputOracleClient(l1Client, oracleAddress, proposer), l2Source, bridge._loggers.CreateLogger("proposer"));
        var challengerService = new ChallengerService(challengerOracle, checkSource, bridge._loggers.CreateLogger("challenger"));
        bridge._tasks.Add(Task.Run(() => proposerService.RunAsync(bridge._stop.Token)));
        bridge._tasks.Add(Task.Run(() => challengerService.RunAsync(bridge._stop.Token)));
        await output.WriteLineAsync($"Bridge: portal {portal} (deposits of OPEN become L2 balance), L2OutputOracle {oracleAddress}");
        await output.WriteLineAsync($"  proposer {proposer.From} (an output every {SubmissionInterval} L2 blocks, from the sequencer's {tag} head), challenger {challenger.From} (checks against the {(replicaRpc is null ? "sequencer" : "replica")}); finalization period {FinalizationPeriod} s, guardian deadline {ResolutionPeriod} s");
        await output.WriteLineAsync("  dev accounts keep their genesis OPEN on L2 (tools and tests need funds at once); OPEN deposited through the portal adds to it");
        return bridge;
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        try { await Task.WhenAll(_tasks); }
        catch (OperationCanceledException) { }
        _stop.Dispose();
        _loggers.Dispose();
    }
}
