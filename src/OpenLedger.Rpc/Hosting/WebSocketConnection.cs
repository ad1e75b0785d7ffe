using System.Net.WebSockets;
using OpenLedger.Rpc.JsonRpc;

namespace OpenLedger.Rpc.Hosting;

/// <summary>One WebSocket client: requests in, responses and subscription notifications out (sends serialized).</summary>
internal sealed class WebSocketConnection(WebSocket socket) : IRpcConnection
{
    private readonly SemaphoreSlim _sendLock = new(1, 1);
    private readonly List<Action> _onClose = [];

    public string Id { get; } = Guid.NewGuid().ToString("N");

    public async ValueTask SendAsync(ReadOnlyMemory<byte> utf8Json, CancellationToken ct)
    {
        await _sendLock.WaitAsync(ct);
        try
        {
            if (socket.State == WebSocketState.Open)
                await socket.SendAsync(utf8Json, WebSocketMessageType.Text, endOfMessage: true, ct);
        }
        finally
        {
            _sendLock.Release();
        }
    }

    public void OnClose(Action callback)
    {
        lock (_onClose) _onClose.Add(callback);
    }

    public async Task RunAsync(RpcDispatcher dispatcher, CancellationToken ct)
    {
        var buffer = new byte[64 * 1024];
        using var message = new MemoryStream();
        try
        {
            while (socket.State == WebSocketState.Open && !ct.IsCancellationRequested)
            {
                var r = await socket.ReceiveAsync(buffer, ct);
                if (r.MessageType == WebSocketMessageType.Close)
                {
                    // Complete the close handshake so clients see a clean close.
                    await _sendLock.WaitAsync(ct);
                    try { await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "", ct); }
                    finally { _sendLock.Release(); }
                    break;
                }
                message.Write(buffer, 0, r.Count);
                if (message.Length > dispatcher.Limits.MaxRequestBytes)
                {
                    await socket.CloseAsync(WebSocketCloseStatus.MessageTooBig, "message too large", ct);
                    break;
                }
                if (!r.EndOfMessage) continue;

                var response = await dispatcher.HandleAsync(message.ToArray(), this, ct);
                message.SetLength(0);
                if (response != null) await SendAsync(response, ct);
            }
        }
        catch (WebSocketException) { }
        catch (OperationCanceledException) { }
        finally
        {
            Action[] callbacks;
            lock (_onClose) callbacks = [.. _onClose];
            foreach (var c in callbacks) c();
        }
    }
}
