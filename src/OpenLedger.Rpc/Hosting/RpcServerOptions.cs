using System.Net;
using OpenLedger.Rpc.JsonRpc;

namespace OpenLedger.Rpc.Hosting;

/// <summary>Where the JSON-RPC server listens and what it accepts. HTTP and WebSocket share one port.</summary>
public sealed record RpcServerOptions
{
    public IPAddress Host { get; init; } = IPAddress.Loopback;
    /// <summary>0 picks a free port; the bound one is reported by <see cref="RpcServer.Port"/>.</summary>
    public int Port { get; init; } = 8545;
    public RpcLimits Limits { get; init; } = new();
    /// <summary>Origins allowed by CORS for browser dApps; "*" allows any.</summary>
    public IReadOnlyList<string> CorsOrigins { get; init; } = ["*"];
    public int MaxWebSocketConnections { get; init; } = 1000;
    /// <summary>Messages and bytes queued to one WebSocket client; a client that lets the queue fill is disconnected.</summary>
    public int WebSocketSendQueueMessages { get; init; } = 4096;
    public long WebSocketSendQueueBytes { get; init; } = 16 * 1024 * 1024;
    /// <summary>Time to receive a request body (geth's http ReadTimeout is 30 s); a slower one gets 408.</summary>
    public TimeSpan BodyReadTimeout { get; init; } = TimeSpan.FromSeconds(30);
}
