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

    /// <param name="dev">The devnet's dev methods (evm_*, anvil_*, eth_sendTransaction); null on a production node, which then answers -32601 for them.</param>
    public NodeRpc(Blockchain chain, RpcServerOptions serverOptions, EthRpcOptions ethOptions, string clientVersion, Dev.DevRpcOptions? dev = null)
    {
        var registry = new RpcMethodRegistry();
        if (dev is { UnavailableReason: { } reason }) Dev.DevModule.RegisterUnavailable(registry, reason);
        else if (dev != null) new Dev.DevModule(chain, dev, ethOptions).Register(registry);
        Web3Module.Register(registry, clientVersion, chain.Config.ChainId);
        var eth = new EthModule(chain, ethOptions);
        eth.Register(registry);
        _filters = new FilterModule(chain, eth.Blocks, ethOptions);
        _filters.Register(registry);
        TxPoolModule.Register(registry, chain);
        ConfigModule.Register(registry, chain);
        new Debug.DebugModule(chain, eth.Blocks).Register(registry);
        new Eth.SimulateModule(chain, eth.Blocks).Register(registry);
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
