using System.Buffers;
using System.Globalization;
using System.Net.Sockets;
using System.Text;

namespace OpenLedger.Tools.RpcBench;

/// <summary>
/// One keep-alive HTTP/1.1 connection that POSTs JSON bodies and returns each response body. The load
/// generator shares the cores with the node under test, so it sends pre-built bytes and parses only the
/// status line and the framing headers instead of going through HttpClient's full pipeline.
/// </summary>
internal sealed class RawHttpConnection : IDisposable
{
    private readonly Socket _socket;
    private readonly byte[] _requestHead;
    private byte[] _buffer = new byte[16 * 1024];
    private int _start, _end; // unread bytes are _buffer[_start.._end)

    private RawHttpConnection(Socket socket, byte[] requestHead)
    {
        _socket = socket;
        _requestHead = requestHead;
    }

    public static async Task<RawHttpConnection> ConnectAsync(Uri url, CancellationToken ct)
    {
        if (url.Scheme != Uri.UriSchemeHttp) throw new InvalidOperationException($"load generator speaks plain http only, got {url}");
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(url.Host, url.Port, ct);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
        var head = Encoding.ASCII.GetBytes($"POST {url.PathAndQuery} HTTP/1.1\r\nHost: {url.Authority}\r\nContent-Type: application/json\r\nContent-Length: ");
        return new RawHttpConnection(socket, head);
    }

    /// <summary>Sends one request and returns the response body (valid until the next call).</summary>
    public async Task<ReadOnlyMemory<byte>> PostAsync(byte[] body, CancellationToken ct)
    {
        var length = Encoding.ASCII.GetBytes(body.Length.ToString(CultureInfo.InvariantCulture) + "\r\n\r\n");
        var request = ArrayPool<byte>.Shared.Rent(_requestHead.Length + length.Length + body.Length);
        try
        {
            _requestHead.CopyTo(request, 0);
            length.CopyTo(request, _requestHead.Length);
            body.CopyTo(request, _requestHead.Length + length.Length);
            int total = _requestHead.Length + length.Length + body.Length, sent = 0;
            while (sent < total) sent += await _socket.SendAsync(request.AsMemory(sent, total - sent), SocketFlags.None, ct);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(request);
        }
        return await ReadResponseAsync(ct);
    }

    private async Task<ReadOnlyMemory<byte>> ReadResponseAsync(CancellationToken ct)
    {
        // Headers end at the first blank line.
        int headerEnd;
        while ((headerEnd = _buffer.AsSpan(_start, _end - _start).IndexOf("\r\n\r\n"u8)) < 0) await FillAsync(ct);
        var headers = Encoding.ASCII.GetString(_buffer, _start, headerEnd);
        _start += headerEnd + 4;

        var lines = headers.Split("\r\n");
        var status = lines[0].Split(' ');
        if (status.Length < 2 || !status[0].StartsWith("HTTP/1.", StringComparison.Ordinal) || !int.TryParse(status[1], NumberStyles.None, CultureInfo.InvariantCulture, out int code))
            throw new InvalidOperationException($"malformed HTTP status line: {lines[0]}");
        long contentLength = -1;
        bool chunked = false;
        foreach (var line in lines.AsSpan(1))
        {
            int colon = line.IndexOf(':');
            if (colon <= 0) continue;
            var name = line.AsSpan(0, colon).Trim();
            var value = line.AsSpan(colon + 1).Trim();
            if (name.Equals("Content-Length", StringComparison.OrdinalIgnoreCase)) contentLength = long.Parse(value, NumberStyles.None, CultureInfo.InvariantCulture);
            else if (name.Equals("Transfer-Encoding", StringComparison.OrdinalIgnoreCase)) chunked = value.Contains("chunked", StringComparison.OrdinalIgnoreCase);
        }

        ReadOnlyMemory<byte> body;
        if (chunked) body = await ReadChunkedAsync(ct);
        else if (contentLength >= 0)
        {
            if (contentLength > 64 * 1024 * 1024) throw new InvalidOperationException($"response too large: {contentLength} bytes");
            while (_end - _start < contentLength) await FillAsync(ct);
            body = _buffer.AsMemory(_start, (int)contentLength);
            _start += (int)contentLength;
        }
        else throw new InvalidOperationException("response has neither Content-Length nor chunked encoding");

        if (code != 200) throw new InvalidOperationException($"HTTP {code}: {Encoding.UTF8.GetString(body.Span)}");
        return body;
    }

    private async Task<ReadOnlyMemory<byte>> ReadChunkedAsync(CancellationToken ct)
    {
        var output = new ArrayBufferWriter<byte>();
        while (true)
        {
            int lineEnd;
            while ((lineEnd = _buffer.AsSpan(_start, _end - _start).IndexOf("\r\n"u8)) < 0) await FillAsync(ct);
            var sizeText = Encoding.ASCII.GetString(_buffer, _start, lineEnd).Split(';')[0].Trim();
            if (!int.TryParse(sizeText, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out int size) || size < 0)
                throw new InvalidOperationException($"malformed chunk size: {sizeText}");
            _start += lineEnd + 2;
            while (_end - _start < size + 2) await FillAsync(ct);
            output.Write(_buffer.AsSpan(_start, size));
            _start += size + 2; // chunk data and its CRLF (a zero chunk has no trailers from the servers we drive)
            if (size == 0) return output.WrittenMemory;
        }
    }

    private async Task FillAsync(CancellationToken ct)
    {
        if (_start == _end) _start = _end = 0;
        if (_end == _buffer.Length)
        {
            // Compact, then grow if the unread part still fills the buffer.
            int unread = _end - _start;
            var target = unread > _buffer.Length / 2 ? new byte[_buffer.Length * 2] : _buffer;
            Buffer.BlockCopy(_buffer, _start, target, 0, unread);
            _buffer = target;
            _start = 0;
            _end = unread;
        }
        int n = await _socket.ReceiveAsync(_buffer.AsMemory(_end), SocketFlags.None, ct);
        if (n == 0) throw new InvalidOperationException("server closed the connection");
        _end += n;
    }

    public void Dispose() => _socket.Dispose();
}
