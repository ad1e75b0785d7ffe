using Microsoft.Extensions.Logging;
using OpenLedger.Chain;
using OpenLedger.Chain.Rollup;
using OpenLedger.Chain.Sequencing;
using OpenLedger.Chain.TxPool;
using OpenLedger.Node.Cli;
using OpenLedger.Rpc.Eth;
using OpenLedger.Rpc.Hosting;
using OpenLedger.Rpc.JsonRpc;
using OpenLedger.State.Storage;

namespace OpenLedger.Node.Hosting;

/// <summary>
/// An L2 node in one process: the chain (store + pool), the sequencer (or, on a replica, none), derivation from L1 when
/// the rollup config names a rollup.json, and the JSON-RPC server.
/// </summary>
public sealed class NodeHost : IAsyncDisposable
{
    private readonly Sequencer? _sequencer;
    private readonly RollupDerivation? _derivation;
    private readonly NodeRpc _rpc;
    private readonly TxPoolJournal? _journal;
    private readonly Timer? _journalRotation;

    public Blockchain Chain { get; }
    /// <summary>The config this node was started with (the devnet starts its replica from its sequencer's).</summary>
    public NodeConfig Config { get; }
    public Sequencer? Sequencer => _sequencer;
    /// <summary>Derivation from L1 (null without a rollup.json in the config).</summary>
    public RollupDerivation? Derivation => _derivation;
    public NodeRpc Rpc => _rpc;
    public string RpcUrl => _rpc.Server.HttpUrl;
    public string WebSocketUrl => _rpc.Server.WebSocketUrl;

    private NodeHost(NodeConfig config, Blockchain chain, Sequencer? sequencer, RollupDerivation? derivation, NodeRpc rpc, TxPoolJournal? journal)
    {
        Config = config;
        Chain = chain;
        _sequencer = sequencer;
        _derivation = derivation;
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
        if (_sequencer?.Health() is { } seq) problems["sequencer"] = seq;
        if (_derivation?.Health is { } d) problems["derivation"] = d;
        if (_journal?.LastError is { } j) problems["txpoolJournal"] = j;
        return new HealthReport(problems.Count == 0, problems);
    }

    public static async Task<NodeHost> StartAsync(NodeConfig config, ILoggerFactory loggers, CancellationToken ct = default)
    {
        IKeyValueStore store = config.DataDir is null ? new MemoryKeyValueStore() : new RocksDbKeyValueStore(config.DataDir);
        var poolOptions = new TxPoolOptions { AllowUnprotected = config.AllowUnprotectedTxs };
        var log = loggers.CreateLogger("sequencer");
        RollupBlockPlanner? planner = null;
        Chain.Dev.RollupTimeTravel? timeTravel = null;
        Blockchain? replicaChain = null;
        bool replica = config.Role == NodeRole.Replica;
        if (replica && config.Rollup?.Derivation is null)
        {
            store.Dispose();
            throw new ConfigException("a replica needs the rollup section with l1Rpc and rollupConfig (rollup.json): it derives every block from L1");
        }
        if (config.Rollup is { } rollup)
        {
            if (!config.Genesis.Alloc.TryGetValue(Predeploys.L1Block, out var l1Block) || l1Block.Code.Length == 0)
            {
                store.Dispose();
                throw new ConfigException($"config.rollup is set but the genesis has no L1Block predeploy at {Predeploys.L1Block} (build it into the genesis alloc)");
            }
            var chainForPlanner = Blockchain.Open(store, config.Genesis, Predeploys.SequencerFeeVault, poolOptions);
            if (rollup.Derivation is { } rc) CheckGenesisMatches(chainForPlanner, rc);
            // A devnet sequencer on a moving L1 can travel in time (both clocks forward, every L2 block produced).
            if (config.DevAccounts != null && !replica && rollup.L1Rpc != null && config.BlockTime != null) timeTravel = new Chain.Dev.RollupTimeTravel(resumeAt: chainForPlanner.Head.Timestamp);
            if (replica)
            {
                log.LogInformation("rollup replica: every block derived from L1 {L1}; RPC read-only, transactions forwarded to {Sequencer}",
                    rollup.L1Rpc, config.SequencerRpc ?? "(no --sequencer-rpc: refused)");
                planner = null;
                replicaChain = chainForPlanner;
            }
            else planner = new RollupBlockPlanner(chainForPlanner,
                timeTravel is null ? rollup.CreateSource() : new Chain.Dev.CatchUpL1Cache(rollup.CreateSource(), TimeSpan.FromMilliseconds(250)), rollup.Sequencing, log)
            {
                SystemConfigUpdates = rollup.Derivation is { } d ? Rollup.L1.L1SystemConfigUpdates.Create(rollup.L1Rpc!, d) : null,
                Deposits = rollup.CreateDepositSource(),
                HoldPool = timeTravel is null ? null : timeTravel.HoldsPool,
            };
            if (!replica) log.LogInformation("rollup sequencer: L1 {L1}, genesis L1 origin #{Number} {Hash}, max drift {Drift} s, window {Window} L1 blocks",
                rollup.L1Rpc ?? $"fixed origin #{rollup.FixedL1Origin!.Number} (standalone: L1 never moves)", rollup.Sequencing.GenesisL1Number, rollup.Sequencing.GenesisL1Hash,
                rollup.Sequencing.MaxSequencerDrift, rollup.Sequencing.SequencingWindowSize);
        }
        else
        {
            log.LogInformation("no rollup section in the config: a plain chain whose blocks name no L1 origin");
        }
        var chain = replicaChain ?? planner?.Chain ?? Blockchain.Open(store, config.Genesis, config.Coinbase, poolOptions);
        TxPoolJournal? journal = null;
        if (config.DataDir != null && config.TxPoolJournal && !replica)
        {
            journal = new TxPoolJournal(Path.Combine(config.DataDir, "txpool.journal"), chain.Pool);
            var (loaded, skipped) = journal.Load();
            if (loaded + skipped > 0)
                loggers.CreateLogger("txpool").LogInformation("txpool journal: {Loaded} transactions reloaded, {Skipped} no longer valid", loaded, skipped);
        }
        var sequencer = replica ? null : new Sequencer(chain, new SequencerOptions { BlockTime = config.BlockTime, Clock = timeTravel is null ? null : timeTravel.Now }, log, planner);
        var derivation = config.Rollup?.Derivation is { } derive
            ? new RollupDerivation(chain, derive, config.Rollup.L1Rpc!, loggers.CreateLogger("derivation"))
            : null;
        var ethOptions = replica ? config.EthRpc with { ForwardRawTransaction = SequencerForwarder.Create(config.SequencerRpc) } : config.EthRpc;
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
            config.Rollup is { } r ? ethOptions with { RollupGenesisL1 = new Rpc.Optimism.BlockId(r.Sequencing.GenesisL1Number, r.Sequencing.GenesisL1Hash) } : ethOptions,
            VersionCommand.ClientVersion,
            config.DevAccounts is { } dev ? DevOptions(config, dev, replica, timeTravel, sequencer, loggers) : null,
            derivation is null ? null : registry => OptimismRpc.Register(registry, chain, derivation));
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
        if (timeTravel is { OffsetSeconds: > 0 } && config.Rollup?.L1Rpc is { } l1Url)
        {
            try { await AnvilClock.AlignAsync(l1Url, timeTravel.Now(), loggers.CreateLogger("timetravel"), ct); }
            catch (Exception e) when (e is HttpRequestException or InvalidOperationException or System.Text.Json.JsonException or TaskCanceledException)
            {
                log.LogWarning("time travel: could not bring L1's clock to the L2's ({Error}); L2 blocks hold deposits only until L1 catches up", e.Message);
            }
        }
        sequencer?.Start();
        derivation?.Start();
        return new NodeHost(config, chain, sequencer, derivation, rpc, journal);
    }

    /// <summary>The devnet's dev methods: all of anvil's on a plain chain, time travel and dev-account transactions on a rollup sequencer with a moving L1, none on a replica.</summary>
    private static Rpc.Dev.DevRpcOptions DevOptions(NodeConfig config, IReadOnlyList<(Primitives.Address Address, byte[] Key)> accounts, bool replica,
        Chain.Dev.RollupTimeTravel? timeTravel, Sequencer? sequencer, ILoggerFactory loggers)
    {
        if (config.Rollup is not { } rollup) return new Rpc.Dev.DevRpcOptions(accounts);
        if (replica)
            return new Rpc.Dev.DevRpcOptions(accounts, "is not available on a replica: it derives every block from L1; send dev methods to the sequencer's RPC");
        if (config.BlockTime is null)
            return new Rpc.Dev.DevRpcOptions(accounts, "is not available on a rollup devnet in instant mode (--block-time-ms 0): its blocks are sealed per transaction, so no sequencer clock catches up; use a block time, or `openledger devnet --no-rollup`");
        if (timeTravel is null || rollup.L1Rpc is null)
            return new Rpc.Dev.DevRpcOptions(accounts, "is not available on a rollup chain with a fixed L1 origin: L1 never moves, so L2 time cannot move past the sequencer drift; run `openledger devnet --no-rollup` for anvil's dev methods");
        return new Rpc.Dev.DevRpcOptions(accounts)
        {
            Rollup = new Rpc.Dev.RollupDevOptions(timeTravel, rollup.Sequencing.BlockTimeSeconds, AnvilClock.Mover(rollup.L1Rpc, loggers.CreateLogger("timetravel")),
                () => sequencer?.Health()),
        };
    }

    /// <summary>rollup.json must describe this chain: its L2 genesis, and a system config gas limit equal to genesis'.</summary>
    private static void CheckGenesisMatches(Blockchain chain, Rollup.Config.RollupConfig rc)
    {
        string? problem = rc.GenesisL2.Hash != chain.Genesis.Hash ? $"rollup.json genesis.l2.hash {rc.GenesisL2.Hash} is not this chain's genesis {chain.Genesis.Hash}"
            : rc.GenesisL2Time != chain.Genesis.Timestamp ? $"rollup.json genesis.l2_time {rc.GenesisL2Time} is not the genesis timestamp {chain.Genesis.Timestamp}"
            : rc.GenesisSystemConfig.GasLimit != chain.Genesis.GasLimit ? $"rollup.json genesis.system_config.gasLimit {rc.GenesisSystemConfig.GasLimit} is not the genesis gas limit {chain.Genesis.GasLimit}"
            : rc.L2ChainId != chain.Config.ChainId ? $"rollup.json l2_chain_id {rc.L2ChainId} is not the genesis chain id {chain.Config.ChainId}"
            : null;
        if (problem is null) return;
        chain.Dispose();
        throw new ConfigException(problem);
    }

    public async ValueTask DisposeAsync()
    {
        await _rpc.DisposeAsync();
        if (_derivation != null) await _derivation.DisposeAsync();
        if (_sequencer != null) await _sequencer.DisposeAsync();
        _journalRotation?.Dispose();
        RotateJournal();
        _journal?.Dispose();
        Chain.Dispose();
    }
}
