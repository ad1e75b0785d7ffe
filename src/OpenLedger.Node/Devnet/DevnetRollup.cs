using System.Text.Json;
using Microsoft.Extensions.Logging;
using Nethereum.JsonRpc.Client;
using OpenLedger.Node.Hosting;
using OpenLedger.Primitives;
using OpenLedger.Rollup.Batcher;
using OpenLedger.Rollup.L1;

namespace OpenLedger.Node.Devnet;

/// <summary>
/// The devnet's rollup services beside its sequencer: the batcher (in-process, as `openledger batcher` runs it, with
/// DeployL1's batcher key) posting the sequencer's blocks to the L1 batch inbox, a replica node (as `openledger node
/// --role replica` runs it) deriving every block from L1 alone on its own port, and a line with the unsafe, safe and
/// finalized heads whenever safe or finalized moves. The rollup.json they share and the endpoints are written to
/// deployments/&lt;L2 chain id&gt;-rollup.json and -devnet.json. With a data directory the replica keeps its chain in
/// datadir/replica and resumes from it after a restart; the batcher keeps no state (it re-derives its safe head from L1).
/// </summary>
public sealed class DevnetRollup : IAsyncDisposable
{
    /// <summary>anvil's account 2: DeployL1's default batcher (the L1 SystemConfig names it).</summary>
    public const string BatcherKey = "0x5de4111afa1a4b94908f83103eb1f1706367c2e68ca870fc3fb9a804cdab365a";
    /// <summary>Least time between two printed head lines, so a devnet left running does not flood its terminal.</summary>
    private static readonly TimeSpan PrintEvery = TimeSpan.FromSeconds(5);

    private readonly CancellationTokenSource _stop = new();
    private readonly List<Task> _tasks = [];
    private readonly ILoggerFactory _loggers = Logging.Create();
    private NodeHost? _replica;

    /// <summary>The replica's JSON-RPC URL; null when the devnet runs no replica (no rollup contracts on L1).</summary>
    public string? ReplicaRpcUrl => _replica?.RpcUrl;
    public NodeHost? Replica => _replica;

    /// <summary>
    /// Starts the batcher, the replica and the head printer when the sequencer derives from L1 (it has the devnet's
    /// rollup.json); otherwise says why they do not run. Null when the replica cannot start (the reason is printed).
    /// </summary>
    public static async Task<DevnetRollup?> StartAsync(DevnetOptions options, string l1RpcUrl, NodeHost sequencer, TextWriter output, CancellationToken ct)
    {
        var rollup = new DevnetRollup();
        if (sequencer.Derivation?.Config is not { } config)
        {
            await output.WriteLineAsync("Batcher and replica: not running: the L1 has no rollup contracts (SystemConfig, BatchInbox, OpenPortal), so the L2 has no rollup.json");
            return rollup;
        }
        var root = ToolLocator.FindRepoRoot()!;
        var rollupJson = Path.Combine(root, "deployments", $"{config.L2ChainId}-rollup.json");
        DevnetRollupConfig.Write(config, rollupJson);

        var replicaConfig = sequencer.Config with
        {
            Role = NodeRole.Replica,
            RpcPort = options.ReplicaPort,
            DataDir = options.DataDir is { } dir ? Path.Combine(dir, "replica") : null,
            SequencerRpc = sequencer.RpcUrl,
            DevAccounts = null,
            TxPoolJournal = false,
        };
        try
        {
            rollup._replica = await NodeHost.StartAsync(replicaConfig, rollup._loggers, ct);
        }
        catch (Exception e) when (e is IOException or InvalidOperationException or ConfigException or State.Storage.StorageException)
        {
            await Console.Error.WriteLineAsync($"error: replica (port {options.ReplicaPort}): {e.Message}");
            await rollup.DisposeAsync();
            return null;
        }

        var l1 = new RpcClient(new Uri(l1RpcUrl));
        var log = rollup._loggers.CreateLogger("batcher");
        var sender = new L1TxSender(l1, Hex.Decode(BatcherKey), config.L1ChainId, log);
        if (sender.From != config.GenesisSystemConfig.BatcherAddress)
            await output.WriteLineAsync($"Batcher: not running: the L1 SystemConfig's batcher is {config.GenesisSystemConfig.BatcherAddress}, not the devnet's key ({sender.From})");
        else
        {
            var batcher = new BatcherService(config, new RpcL1Source(l1, config.L1SystemConfigAddress, config.DepositContractAddress),
                RpcL2BlockSource.Create(sequencer.RpcUrl), sender, new BatcherOptions(), log);
            rollup._tasks.Add(Task.Run(() => batcher.RunAsync(rollup._stop.Token)));
            await output.WriteLineAsync($"Batcher: {sender.From} posts the L2 blocks to the batch inbox {config.BatchInboxAddress} (span batches, brotli)");
        }
        WriteEndpoints(Path.Combine(root, "deployments", $"{config.L2ChainId}-devnet.json"), l1RpcUrl, sequencer.RpcUrl, rollup._replica.RpcUrl, rollupJson, sender.From);
        await output.WriteLineAsync($"Replica (every block derived from L1 alone; transactions forwarded to the sequencer): {rollup._replica.RpcUrl}");
        await output.WriteLineAsync($"  rollup.json: {Path.GetRelativePath(root, rollupJson)} (openledger node --role replica --l1-rpc {l1RpcUrl} --rollup-config ...)");
        if (rollup._replica.Derivation is { ResumedSafe: > 0 } resumed) await output.WriteLineAsync($"  replica resumes at safe block {resumed.ResumedSafe}");
        rollup._tasks.Add(Task.Run(() => rollup.PrintHeadsAsync(sequencer, output, rollup._stop.Token)));
        return rollup;
    }

    /// <summary>The devnet's endpoints for tools: L1, the sequencer, the replica, rollup.json and the batcher.</summary>
    private static void WriteEndpoints(string path, string l1, string sequencer, string replica, string rollupJson, Address batcher)
    {
        var json = JsonSerializer.Serialize(new Dictionary<string, string>
        {
            ["l1Rpc"] = l1, ["sequencerRpc"] = sequencer, ["replicaRpc"] = replica, ["rollupConfig"] = rollupJson, ["batcher"] = batcher.ToString(),
        }, new JsonSerializerOptions { WriteIndented = true });
        File.WriteAllText(path + ".tmp", json);
        File.Move(path + ".tmp", path, overwrite: true);
    }

    /// <summary>Prints the heads when safe or finalized moved (at most every <see cref="PrintEvery"/>).</summary>
    private async Task PrintHeadsAsync(NodeHost sequencer, TextWriter output, CancellationToken ct)
    {
        (ulong Safe, ulong Finalized) printed = (0, 0);
        var last = DateTime.MinValue;
        while (!ct.IsCancellationRequested)
        {
            try { await Task.Delay(TimeSpan.FromSeconds(1), ct); }
            catch (OperationCanceledException) { break; }
            var chain = sequencer.Chain;
            var now = (chain.Safe.Number, chain.Finalized.Number);
            if (now == printed || DateTime.UtcNow - last < PrintEvery) continue;
            var replica = _replica!.Chain;
            await output.WriteLineAsync($"heads: unsafe #{chain.Head.Number} safe #{now.Item1} finalized #{now.Item2} | replica: head #{replica.Head.Number} safe #{replica.Safe.Number} finalized #{replica.Finalized.Number}");
            await output.FlushAsync(ct);
            (printed, last) = (now, DateTime.UtcNow);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        try { await Task.WhenAll(_tasks); }
        catch (OperationCanceledException) { }
        if (_replica != null) await _replica.DisposeAsync();
        _stop.Dispose();
        _loggers.Dispose();
    }
}
