namespace OpenLedger.Rpc.JsonRpc;

/// <summary>A method handler: validated params in, a JSON-serializable result (or null) out.</summary>
public delegate ValueTask<object?> RpcHandler(RpcParams p, RpcCallContext context);

/// <summary>Per-call context: the connection (for subscriptions over WebSocket) and cancellation.</summary>
public sealed class RpcCallContext(IRpcConnection? connection, CancellationToken cancellation)
{
    /// <summary>The WebSocket connection, or null for plain HTTP (which cannot receive notifications).</summary>
    public IRpcConnection? Connection { get; } = connection;
    public CancellationToken Cancellation { get; } = cancellation;
}

/// <summary>A long-lived connection that can be pushed notifications (eth_subscription).</summary>
public interface IRpcConnection
{
    string Id { get; }
    ValueTask SendAsync(ReadOnlyMemory<byte> utf8Json, CancellationToken ct);
    /// <summary>Runs when the connection closes, so subscriptions can be removed.</summary>
    void OnClose(Action callback);
    /// <summary>Ends the connection, telling the client why (a client that fell behind, a full send queue).</summary>
    void Close(string reason) { }
}

/// <summary>Name to handler. Modules register their methods here at start-up; read-only afterwards.</summary>
public sealed class RpcMethodRegistry
{
    private readonly Dictionary<string, RpcHandler> _methods = new(StringComparer.Ordinal);

    public void Add(string name, RpcHandler handler)
    {
        if (!_methods.TryAdd(name, handler))
            throw new InvalidOperationException($"RPC method {name} registered twice");
    }

    public void Add(string name, Func<RpcParams, object?> handler) =>
        Add(name, (p, _) => ValueTask.FromResult(handler(p)));

    public bool TryGet(string name, out RpcHandler handler) => _methods.TryGetValue(name, out handler!);

    public IEnumerable<string> Names => _methods.Keys;
}
