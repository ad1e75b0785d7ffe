using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text.Json;

namespace OpenLedger.Web3.Rpc;

/// <summary>
/// JSON-RPC 2.0 over HTTP: single and batch calls, a per-attempt timeout, and retries with exponential backoff
/// on transient transport failures only (connection refused/reset, HTTP 429/502/503/504, timeouts).
/// RPC error objects are returned as <see cref="RpcException"/> and never retried.
/// </summary>
public sealed class JsonRpcClient : IDisposable
{
    private static readonly MediaTypeHeaderValue JsonContentType = new("application/json");
    private readonly HttpClient _http;
    private long _nextId;

    public Uri Endpoint { get; }
    public JsonRpcClientOptions Options { get; }

    public JsonRpcClient(Uri endpoint, JsonRpcClientOptions? options = null, HttpMessageHandler? handler = null)
    {
        Endpoint = endpoint;
        Options = options ?? new JsonRpcClientOptions();
        // Timeouts are enforced per attempt below, so HttpClient's own is disabled.
        _http = handler is null ? new HttpClient() : new HttpClient(handler, disposeHandler: false);
        _http.Timeout = System.Threading.Timeout.InfiniteTimeSpan;
    }

    public JsonRpcClient(string endpoint, JsonRpcClientOptions? options = null) : this(new Uri(endpoint), options) { }

    /// <summary>Calls <paramref name="method"/> and returns its result (a detached copy). Throws <see cref="RpcException"/> or <see cref="RpcTransportException"/>.</summary>
    public async Task<JsonElement> CallAsync(string method, object?[] parameters, CancellationToken ct = default, TimeSpan? timeout = null)
    {
        var id = Interlocked.Increment(ref _nextId);
        var body = Serialize(new Dictionary<string, object?> { ["jsonrpc"] = "2.0", ["id"] = id, ["method"] = method, ["params"] = parameters });
        using var doc = await PostAsync(method, body, timeout, ct).ConfigureAwait(false);
        var root = doc.RootElement;
        if (root.ValueKind != JsonValueKind.Object)
            throw new RpcTransportException(method, 1, $"response is a JSON {root.ValueKind}, not an object");
        // A null id is allowed: nodes answer unparseable requests that way, with an error object.
        if (root.TryGetProperty("id", out var idEl) && idEl.ValueKind != JsonValueKind.Null && !(idEl.TryGetInt64(out var got) && got == id))
            throw new RpcTransportException(method, 1, $"response id {idEl.GetRawText()} does not match request id {id}");
        return ReadResponse(method, root).Result;
    }

    public Task<JsonElement> CallAsync(string method, params object?[] parameters) => CallAsync(method, parameters, CancellationToken.None);

    /// <summary>Sends all requests in one HTTP request; answers come back in request order whatever order the node used.</summary>
    public async Task<IReadOnlyList<RpcResponse>> BatchAsync(IReadOnlyList<RpcRequest> requests, CancellationToken ct = default, TimeSpan? timeout = null)
    {
        if (requests.Count == 0) return Array.Empty<RpcResponse>();
        var first = Interlocked.Add(ref _nextId, requests.Count) - requests.Count + 1;
        var batch = new List<Dictionary<string, object?>>(requests.Count);
        for (var i = 0; i < requests.Count; i++)
            batch.Add(new() { ["jsonrpc"] = "2.0", ["id"] = first + i, ["method"] = requests[i].Method, ["params"] = requests[i].Params });
        const string label = "batch";
        using var doc = await PostAsync(label, Serialize(batch), timeout, ct).ConfigureAwait(false);
        var root = doc.RootElement;
        if (root.ValueKind == JsonValueKind.Object && root.TryGetProperty("error", out _))
            throw ReadResponse(label, root).Error!; // the node rejected the batch as a whole
        if (root.ValueKind != JsonValueKind.Array)
            throw new RpcTransportException(label, 1, $"batch response is a JSON {root.ValueKind}, not an array");
        var answers = new RpcResponse?[requests.Count];
        foreach (var item in root.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.Object || !item.TryGetProperty("id", out var idEl) || !idEl.TryGetInt64(out var id)
                || id < first || id >= first + requests.Count)
                throw new RpcTransportException(label, 1, "batch response holds an answer with a missing or unknown id");
            var index = (int)(id - first);
            if (answers[index] != null) throw new RpcTransportException(label, 1, $"batch response answers id {id} twice");
            answers[index] = ReadResponse(requests[index].Method, item);
        }
        for (var i = 0; i < answers.Length; i++)
            if (answers[i] is null) throw new RpcTransportException(label, 1, $"batch response lacks an answer to {requests[i].Method} (id {first + i})");
        return answers!;
    }

    private static RpcResponse ReadResponse(string method, JsonElement obj)
    {
        if (obj.TryGetProperty("error", out var err) && err.ValueKind != JsonValueKind.Null)
        {
            var code = err.TryGetProperty("code", out var c) && c.TryGetInt32(out var ci) ? ci : 0;
            var message = err.TryGetProperty("message", out var m) && m.ValueKind == JsonValueKind.String ? m.GetString()! : "";
            JsonElement? data = err.TryGetProperty("data", out var d) ? d.Clone() : null;
            return new RpcResponse(default, new RpcException(method, code, message, data));
        }
        if (!obj.TryGetProperty("result", out var result))
            throw new RpcTransportException(method, 1, "response has neither result nor error");
        return new RpcResponse(result.Clone(), null);
    }

    private static byte[] Serialize(object value) => JsonSerializer.SerializeToUtf8Bytes(value, RpcJson.Options);

    private async Task<JsonDocument> PostAsync(string method, byte[] body, TimeSpan? timeout, CancellationToken ct)
    {
        var limit = timeout ?? Options.Timeout;
        var backoff = Options.InitialBackoff;
        for (var attempt = 1; ; attempt++)
        {
            Exception? failure;
            string reason;
            using (var attemptCts = CancellationTokenSource.CreateLinkedTokenSource(ct))
            {
                attemptCts.CancelAfter(limit);
                try
                {
                    using var content = new ByteArrayContent(body);
                    content.Headers.ContentType = JsonContentType;
                    using var response = await _http.PostAsync(Endpoint, content, attemptCts.Token).ConfigureAwait(false);
                    if (IsTransientStatus(response.StatusCode))
                    {
                        failure = null;
                        reason = $"HTTP {(int)response.StatusCode} {response.ReasonPhrase}";
                    }
                    else
                    {
                        var bytes = await ReadBodyAsync(method, response, attempt, attemptCts.Token).ConfigureAwait(false);
                        // Nodes answer RPC errors with HTTP 4xx/5xx too; a JSON-RPC body wins over the status.
                        try { return JsonDocument.Parse(bytes); }
                        catch (JsonException e)
                        {
                            if (!response.IsSuccessStatusCode)
                                throw new RpcTransportException(method, attempt, $"HTTP {(int)response.StatusCode} {response.ReasonPhrase}", e);
                            throw new RpcTransportException(method, attempt, "response is not valid JSON", e);
                        }
                    }
                }
                catch (OperationCanceledException e) when (!ct.IsCancellationRequested)
                {
                    failure = e;
                    reason = $"timed out after {limit.TotalMilliseconds:0} ms";
                }
                catch (HttpRequestException e) when (IsTransient(e))
                {
                    failure = e;
                    reason = e.Message;
                }
                catch (HttpRequestException e)
                {
                    throw new RpcTransportException(method, attempt, e.Message, e);
                }
            }
            if (attempt > Options.MaxRetries)
                throw new RpcTransportException(method, attempt, reason, failure);
            await Task.Delay(backoff, ct).ConfigureAwait(false);
            backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, Options.MaxBackoff.Ticks));
        }
    }

    private async Task<byte[]> ReadBodyAsync(string method, HttpResponseMessage response, int attempt, CancellationToken ct)
    {
        if (response.Content.Headers.ContentLength is long declared && declared > Options.MaxResponseBytes)
            throw new RpcTransportException(method, attempt, $"response of {declared} bytes exceeds the {Options.MaxResponseBytes}-byte limit");
        await using var stream = await response.Content.ReadAsStreamAsync(ct).ConfigureAwait(false);
        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int n;
        while ((n = await stream.ReadAsync(chunk, ct).ConfigureAwait(false)) > 0)
        {
            if (buffer.Length + n > Options.MaxResponseBytes)
                throw new RpcTransportException(method, attempt, $"response exceeds the {Options.MaxResponseBytes}-byte limit");
            buffer.Write(chunk, 0, n);
        }
        return buffer.ToArray();
    }

    private static bool IsTransientStatus(HttpStatusCode status) =>
        status is HttpStatusCode.TooManyRequests or HttpStatusCode.BadGateway or HttpStatusCode.ServiceUnavailable or HttpStatusCode.GatewayTimeout;

    private static bool IsTransient(HttpRequestException e)
    {
        if (e.HttpRequestError is HttpRequestError.ConnectionError or HttpRequestError.ResponseEnded) return true;
        for (Exception? inner = e; inner != null; inner = inner.InnerException)
            if (inner is SocketException { SocketErrorCode: SocketError.ConnectionRefused or SocketError.ConnectionReset or SocketError.ConnectionAborted or SocketError.TimedOut }
                or IOException { InnerException: SocketException })
                return true;
        return false;
    }

    public void Dispose()
    {
        _http.Dispose();
    }
}
