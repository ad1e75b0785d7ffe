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

    public NodeRpc(Blockchain chain, RpcServerOptions serverOptions, EthRpcOptions ethOptions, string clientVersion)
    {
        var registry = new RpcMethodRegistry();
        Web3Module.Register(registry, clientVersion, chain.Config.ChainId);
        var eth = new EthModule(chain, ethOptions);
        eth.Register(registry);
        _filters = new FilterModule(chain, eth.Blocks, ethOptions);
        _filters.Register(registry);
        TxPoolModule.Register(registry, chain);
        ConfigModule.Register(registry, chain);
        new Debug.DebugModule(chain, eth.Blocks).Register(registry);
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
