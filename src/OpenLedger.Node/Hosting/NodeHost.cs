using Microsoft.Extensions.Logging;
using OpenLedger.Chain;
using OpenLedger.Chain.Sequencing;
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

    public Blockchain Chain { get; }
    public string RpcUrl => _rpc.Server.HttpUrl;
    public string WebSocketUrl => _rpc.Server.WebSocketUrl;

    private NodeHost(Blockchain chain, Sequencer sequencer, NodeRpc rpc)
    {
        Chain = chain;
        _sequencer = sequencer;
        _rpc = rpc;
    }

    public static async Task<NodeHost> StartAsync(NodeConfig config, ILoggerFactory loggers, CancellationToken ct = default)
    {
        IKeyValueStore store = config.DataDir is null ? new MemoryKeyValueStore() : new RocksDbKeyValueStore(config.DataDir);
        var chain = Blockchain.Open(store, config.Genesis, config.Coinbase);
        var sequencer = new Sequencer(chain, new SequencerOptions { BlockTime = config.BlockTime }, loggers.CreateLogger("sequencer"));
        var rpc = new NodeRpc(chain,
            new RpcServerOptions
            {
                Host = config.RpcHost,
                Port = config.RpcPort,
                CorsOrigins = config.CorsOrigins,
                Limits = new RpcLimits(config.MaxRequestBytes, config.MaxBatchLength),
            },
            new EthRpcOptions(),
            VersionCommand.ClientVersion,
            config.DevAccounts is { } dev ? new Rpc.Dev.DevRpcOptions(dev) : null);
        try
        {
            await rpc.StartAsync(ct);
        }
        catch
        {
            await rpc.DisposeAsync();
            chain.Dispose();
            throw;
        }
        sequencer.Start();
        return new NodeHost(chain, sequencer, rpc);
    }

    public async ValueTask DisposeAsync()
    {
        await _rpc.DisposeAsync();
        await _sequencer.DisposeAsync();
        Chain.Dispose();
    }
}
