using OpenLedger.Chain;
using OpenLedger.Rpc.Eth;
using OpenLedger.Rpc.JsonRpc;
using OpenLedger.Rpc.Modules;

namespace OpenLedger.Rpc.Hosting;

/// <summary>Wires every RPC module of a node onto one registry and server.</summary>
public sealed class NodeRpc : IAsyncDisposable
{
    private readonly FilterModule _filters;

    public RpcServer Server { get; }
    public FilterModule Filters => _filters;
    /// <summary>The gate every simulating method goes through (gas cap, timeout, concurrency).</summary>
    public Execution.ExecutionGate Gate { get; }

    /// <summary>The namespaces <see cref="EthRpcOptions.ExtraApis"/> may name.</summary>
    public static readonly IReadOnlySet<string> OptionalApis = new HashSet<string> { "debug", "txpool" };

    /// <param name="dev">The devnet's dev methods (evm_*, anvil_*, eth_sendTransaction); null on a production node, which then answers -32601 for them.</param>
    /// <param name="extra">Registers methods of layers above RPC (the rollup node's optimism_* namespace).</param>
    public NodeRpc(Blockchain chain, RpcServerOptions serverOptions, EthRpcOptions ethOptions, string clientVersion, Dev.DevRpcOptions? dev = null,
        Action<RpcMethodRegistry>? extra = null)
    {
        var registry = new RpcMethodRegistry();
        if (dev is { UnavailableReason: { } reason }) Dev.DevModule.RegisterUnavailable(registry, reason);
        else if (dev is { Rollup: { } rollupDev }) new Dev.RollupDevModule(chain, dev, rollupDev, ethOptions).Register(registry);
        else if (dev != null) new Dev.DevModule(chain, dev, ethOptions).Register(registry);
        Web3Module.Register(registry, clientVersion, chain.Config.ChainId);
        var eth = new EthModule(chain, ethOptions);
        eth.Register(registry);
        Gate = eth.Gate;
        _filters = new FilterModule(chain, eth.Blocks, ethOptions);
        _filters.Register(registry);
        // Pool contents and traces are for operators and developers: served only when the config asks (the devnet does).
        if (ethOptions.ExtraApis.Contains("txpool")) TxPoolModule.Register(registry, chain);
        if (ethOptions.ExtraApis.Contains("debug"))
            new Debug.DebugModule(chain, eth.Blocks, eth.Gate, serverOptions.Limits.MaxResponseBytes).Register(registry);
        new Eth.SimulateModule(chain, eth.Blocks, eth.Gate).Register(registry);
        ConfigModule.Register(registry, chain);
        Optimism.OutputModule.Register(registry, chain, ethOptions.RollupGenesisL1);
        extra?.Invoke(registry);
        Server = new RpcServer(registry, serverOptions);
        Server.MetricsWriters.Add(w => ChainMetrics.Write(w, chain));
    }

    public Task StartAsync(CancellationToken ct = default) => Server.StartAsync(ct);

    public async ValueTask DisposeAsync()
    {
        await Server.DisposeAsync();
        _filters.Dispose();
    }
}
