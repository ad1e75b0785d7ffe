using Microsoft.Extensions.Logging;
using OpenLedger.Chain;
using OpenLedger.Chain.Sequencing;
using OpenLedger.Chain.TxPool;
using OpenLedger.Node.Cli;
using OpenLedger.Rpc.Eth;
using OpenLedger.Rpc.Hosting;
using OpenLedger.Rpc.JsonRpc;
using OpenLedger.State.Storage;

namespace OpenLedger.Node.Hosting;

/// <summary>An L2 node in one process: the chain (store + pool), the sequencer and the JSON-RPC server.</summary>
public sealed class NodeHost : IAsyncDisposable
{
    private readonly Sequencer _sequencer;
    private readonly NodeRpc _rpc;
    private readonly TxPoolJournal? _journal;
    private readonly Timer? _journalRotation;

    public Blockchain Chain { get; }
    public Sequencer Sequencer => _sequencer;
    public NodeRpc Rpc => _rpc;
    public string RpcUrl => _rpc.Server.HttpUrl;
    public string WebSocketUrl => _rpc.Server.WebSocketUrl;

    private NodeHost(Blockchain chain, Sequencer sequencer, NodeRpc rpc, TxPoolJournal? journal)
    {
        Chain = chain;
        _sequencer = sequencer;
        _rpc = rpc;
        _journal = journal;
        // geth rotates its journal hourly; mined transactions leave it then.
        if (journal != null) _journalRotation = new Timer(_ => RotateJournal(), null, TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(1));
        rpc.Server.Health = Health;
    }

    private void RotateJournal()
    {
        try { _journal?.Rotate(); }
        catch (IOException) { } // a full disk shows through the store's health; the next rotation retries
    }

    /// <summary>What /health reports: block production (which also covers the store: a failed commit fails production).</summary>
    public HealthReport Health()
    {
        var problems = new Dictionary<string, string>();
        if (_sequencer.Health() is { } seq) problems["sequencer"] = seq;
        if (_journal?.LastError is { } j) problems["txpoolJournal"] = j;
        return new HealthReport(problems.Count == 0, problems);
    }

    public static async Task<NodeHost> StartAsync(NodeConfig config, ILoggerFactory loggers, CancellationToken ct = default)
    {
        IKeyValueStore store = config.DataDir is null ? new MemoryKeyValueStore() : new RocksDbKeyValueStore(config.DataDir);
        var chain = Blockchain.Open(store, config.Genesis, config.Coinbase, new TxPoolOptions { AllowUnprotected = config.AllowUnprotectedTxs });
        TxPoolJournal? journal = null;
        if (config.DataDir != null && config.TxPoolJournal)
        {
            journal = new TxPoolJournal(Path.Combine(config.DataDir, "txpool.journal"), chain.Pool);
            var (loaded, skipped) = journal.Load();
            if (loaded + skipped > 0)
                loggers.CreateLogger("txpool").LogInformation("txpool journal: {Loaded} transactions reloaded, {Skipped} no longer valid", loaded, skipped);
        }
        var sequencer = new Sequencer(chain, new SequencerOptions { BlockTime = config.BlockTime }, loggers.CreateLogger("sequencer"));
        var rpc = new NodeRpc(chain,
            new RpcServerOptions
            {
                Host = config.RpcHost,
                Port = config.RpcPort,
                CorsOrigins = config.CorsOrigins,
                Limits = new RpcLimits(config.MaxRequestBytes, config.MaxBatchLength, config.MaxResponseBytes),
                MaxWebSocketConnections = config.MaxWebSocketConnections,
                WebSocketSendQueueMessages = config.WsSendQueueMessages,
                WebSocketSendQueueBytes = config.WsSendQueueBytes,
                BodyReadTimeout = config.BodyReadTimeout,
            },
            config.EthRpc,
            VersionCommand.ClientVersion);
        try
        {
            await rpc.StartAsync(ct);
        }
        catch
        {
            await rpc.DisposeAsync();
            journal?.Dispose();
            chain.Dispose();
            throw;
        }
        sequencer.Start();
        return new NodeHost(chain, sequencer, rpc, journal);
    }

    public async ValueTask DisposeAsync()
    {
        await _rpc.DisposeAsync();
        await _sequencer.DisposeAsync();
        _journalRotation?.Dispose();
        RotateJournal();
        _journal?.Dispose();
        Chain.Dispose();
    }
}
