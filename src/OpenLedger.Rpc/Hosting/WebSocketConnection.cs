using System.Net.WebSockets;
using System.Threading.Channels;
using OpenLedger.Rpc.JsonRpc;

namespace OpenLedger.Rpc.Hosting;

/// <summary>
/// One WebSocket client: requests in, responses and subscription notifications out. Outgoing messages go through a
/// queue bounded in messages and bytes, written by one loop; a client that stops reading fills it and is disconnected,
/// so nobody ever waits on it and it cannot make the node hold unbounded data.
/// </summary>
internal sealed class WebSocketConnection(WebSocket socket, int maxQueuedMessages, long maxQueuedBytes) : IRpcConnection
{
    private readonly Channel<byte[]> _outbox = Channel.CreateUnbounded<byte[]>(new UnboundedChannelOptions { SingleReader = true });
    private readonly CancellationTokenSource _closed = new();
    private readonly List<Action> _onClose = [];
    private readonly object _queueLock = new();
    private int _queuedMessages;
    private long _queuedBytes;

    public string Id { get; } = Guid.NewGuid().ToString("N");

    /// <summary>Why the node ended the connection, if it did.</summary>
    public string? CloseReason { get; private set; }

    public ValueTask SendAsync(ReadOnlyMemory<byte> utf8Json, CancellationToken ct)
    {
        if (_closed.IsCancellationRequested) return ValueTask.CompletedTask;
        lock (_queueLock)
        {
            if (_queuedMessages + 1 > maxQueuedMessages || _queuedBytes + utf8Json.Length > maxQueuedBytes)
            {
                Close($"send queue full ({maxQueuedMessages} messages or {maxQueuedBytes} bytes, rpc.wsSendQueue*): the client is not reading");
                return ValueTask.CompletedTask;
            }
            _queuedMessages++;
            _queuedBytes += utf8Json.Length;
        }
        _outbox.Writer.TryWrite(utf8Json.ToArray());
        return ValueTask.CompletedTask;
    }

    public void OnClose(Action callback)
    {
        lock (_onClose) _onClose.Add(callback);
    }

    public void Close(string reason)
    {
        lock (_queueLock)
        {
            if (_closed.IsCancellationRequested) return;
            CloseReason = reason;
            _closed.Cancel();
        }
        _outbox.Writer.TryComplete();
        // The peer may not be reading, so a close frame could block: abort the socket (the TCP connection closes).
        socket.Abort();
    }

    private async Task WriteLoopAsync()
    {
        try
        {
            await foreach (var msg in _outbox.Reader.ReadAllAsync(_closed.Token))
            {
                if (socket.State != WebSocketState.Open) break;
                await socket.SendAsync(msg, WebSocketMessageType.Text, endOfMessage: true, _closed.Token);
                lock (_queueLock)
                {
                    _queuedMessages--;
                    _queuedBytes -= msg.Length;
                }
            }
        }
        catch (OperationCanceledException) { }
        catch (WebSocketException) { }
        catch (ObjectDisposedException) { }
    }

    public async Task RunAsync(RpcDispatcher dispatcher, CancellationToken ct)
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(ct, _closed.Token);
        var token = linked.Token;
        var writer = WriteLoopAsync();
        var buffer = new byte[64 * 1024];
        using var message = new MemoryStream();
        try
        {
            while (socket.State == WebSocketState.Open && !token.IsCancellationRequested)
            {
                var r = await socket.ReceiveAsync(buffer, token);
                if (r.MessageType == WebSocketMessageType.Close)
                {
                    // Send what is queued, then complete the close handshake so clients see a clean close.
                    _outbox.Writer.TryComplete();
                    await writer.WaitAsync(TimeSpan.FromSeconds(5), token);
                    await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "", token);
                    break;
                }
                message.Write(buffer, 0, r.Count);
                if (message.Length > dispatcher.Limits.MaxRequestBytes)
                {
                    _outbox.Writer.TryComplete();
                    await socket.CloseOutputAsync(WebSocketCloseStatus.MessageTooBig, "message too large", token);
                    break;
                }
                if (!r.EndOfMessage) continue;

                var response = await dispatcher.HandleAsync(message.ToArray(), this, token);
                message.SetLength(0);
                if (response != null) await SendAsync(response, token);
            }
        }
        catch (WebSocketException) { }
        catch (OperationCanceledException) { }
        catch (TimeoutException) { }
        finally
        {
            _outbox.Writer.TryComplete();
            if (!_closed.IsCancellationRequested) await _closed.CancelAsync();
            Action[] callbacks;
            lock (_onClose) callbacks = [.. _onClose];
            foreach (var c in callbacks) c();
        }
    }
}
