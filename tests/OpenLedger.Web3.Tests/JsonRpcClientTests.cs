using System.Net;
using System.Text;
using System.Text.Json;
using OpenLedger.Tests.Shared;
using OpenLedger.Web3.Rpc;

namespace OpenLedger.Web3.Tests;

/// <summary>Transport behaviour against scripted HTTP answers: what is retried, what is not, and batch matching.</summary>
public class JsonRpcClientTests
{
    /// <summary>Answers each request with the next scripted response (the last one repeats) and counts attempts.</summary>
    private sealed class ScriptedHandler(params Func<string, HttpResponseMessage>[] script) : HttpMessageHandler
    {
        public int Attempts;
        public readonly List<string> Bodies = new();

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken ct)
        {
            var body = await request.Content!.ReadAsStringAsync(ct);
            lock (Bodies) Bodies.Add(body);
            var n = Interlocked.Increment(ref Attempts);
            return script[Math.Min(n - 1, script.Length - 1)](body);
        }
    }

    private static readonly JsonRpcClientOptions Fast = new() { MaxRetries = 3, InitialBackoff = TimeSpan.FromMilliseconds(1), MaxBackoff = TimeSpan.FromMilliseconds(5) };

    private static HttpResponseMessage Json(string json, HttpStatusCode status = HttpStatusCode.OK) =>
        new(status) { Content = new StringContent(json, Encoding.UTF8, "application/json") };

    private static long IdOf(string body) => JsonDocument.Parse(body).RootElement.GetProperty("id").GetInt64();

    private static HttpResponseMessage Result(string body, string result) => Json($"{{\"jsonrpc\":\"2.0\",\"id\":{IdOf(body)},\"result\":{result}}}");

    [Theory]
    [InlineData(HttpStatusCode.TooManyRequests)]
    [InlineData(HttpStatusCode.BadGateway)]
    [InlineData(HttpStatusCode.ServiceUnavailable)]
    [InlineData(HttpStatusCode.GatewayTimeout)]
    public async Task Transient_http_statuses_are_retried_until_success(HttpStatusCode status)
    {
        var h = new ScriptedHandler(_ => new HttpResponseMessage(status), _ => new HttpResponseMessage(status), b => Result(b, "\"0x7a69\""));
        using var rpc = new JsonRpcClient(new Uri("http://rpc.test"), Fast, h);
        var r = await rpc.CallAsync("eth_chainId");
        Assert.Equal("0x7a69", r.GetString());
        Assert.Equal(3, h.Attempts);
    }

    [Fact]
    public async Task Transient_failures_give_up_after_max_retries()
    {
        var h = new ScriptedHandler(_ => new HttpResponseMessage(HttpStatusCode.ServiceUnavailable));
        using var rpc = new JsonRpcClient(new Uri("http://rpc.test"), Fast, h);
        var ex = await Assert.ThrowsAsync<RpcTransportException>(() => rpc.CallAsync("eth_chainId"));
        Assert.Equal(4, h.Attempts);
        Assert.Equal(4, ex.Attempts);
        Assert.Contains("503", ex.Message);
    }

    [Fact]
    public async Task Rpc_errors_are_never_retried_and_carry_code_message_and_data()
    {
        var h = new ScriptedHandler(b => Json($"{{\"jsonrpc\":\"2.0\",\"id\":{IdOf(b)},\"error\":{{\"code\":3,\"message\":\"execution reverted: no\",\"data\":\"0x08c379a0\"}}}}"));
        using var rpc = new JsonRpcClient(new Uri("http://rpc.test"), Fast, h);
        var ex = await Assert.ThrowsAsync<RpcException>(() => rpc.CallAsync("eth_call"));
        Assert.Equal(1, h.Attempts);
        Assert.Equal(3, ex.Code);
        Assert.Equal("execution reverted: no", ex.RpcMessage);
        Assert.Equal(new byte[] { 0x08, 0xc3, 0x79, 0xa0 }, ex.RevertData);
    }

    [Fact]
    public async Task Rpc_error_sent_with_an_http_error_status_is_still_an_rpc_error_and_not_retried()
    {
        var h = new ScriptedHandler(b => Json($"{{\"jsonrpc\":\"2.0\",\"id\":{IdOf(b)},\"error\":{{\"code\":-32000,\"message\":\"nonce too low\"}}}}", HttpStatusCode.BadRequest));
        using var rpc = new JsonRpcClient(new Uri("http://rpc.test"), Fast, h);
        var ex = await Assert.ThrowsAsync<RpcException>(() => rpc.CallAsync("eth_sendRawTransaction", "0x00"));
        Assert.Equal(-32000, ex.Code);
        Assert.Null(ex.RevertData);
        Assert.Equal(1, h.Attempts);
    }

    [Fact]
    public async Task Non_transient_http_errors_are_not_retried()
    {
        var h = new ScriptedHandler(_ => new HttpResponseMessage(HttpStatusCode.Unauthorized) { Content = new StringContent("go away") });
        using var rpc = new JsonRpcClient(new Uri("http://rpc.test"), Fast, h);
        var ex = await Assert.ThrowsAsync<RpcTransportException>(() => rpc.CallAsync("eth_chainId"));
        Assert.Equal(1, h.Attempts);
        Assert.Contains("401", ex.Message);
    }

    [Fact]
    public async Task Connection_refused_is_retried()
    {
        var port = TestPaths.FreePort(); // nothing listens here once the probe listener is closed
        var h = new CountingHandler();
        using var rpc = new JsonRpcClient(new Uri($"http://127.0.0.1:{port}"), Fast with { MaxRetries = 2 }, h);
        var ex = await Assert.ThrowsAsync<RpcTransportException>(() => rpc.CallAsync("eth_chainId"));
        Assert.Equal(3, h.Attempts);
        Assert.IsType<HttpRequestException>(ex.InnerException);
    }

    [Fact]
    public async Task An_attempt_that_outlives_its_timeout_is_retried_then_reported()
    {
        var h = new DelayingHandler();
        using var rpc = new JsonRpcClient(new Uri("http://rpc.test"), Fast with { MaxRetries = 1, Timeout = TimeSpan.FromMilliseconds(50) }, h);
        var ex = await Assert.ThrowsAsync<RpcTransportException>(() => rpc.CallAsync("eth_chainId"));
        Assert.Equal(2, h.Attempts);
        Assert.Contains("timed out", ex.Message);
    }

    [Fact]
    public async Task Per_call_timeout_overrides_the_default()
    {
        var h = new DelayingHandler();
        using var rpc = new JsonRpcClient(new Uri("http://rpc.test"), Fast with { MaxRetries = 0, Timeout = TimeSpan.FromHours(1) }, h);
        var ex = await Assert.ThrowsAsync<RpcTransportException>(() => rpc.CallAsync("eth_chainId", [], CancellationToken.None, TimeSpan.FromMilliseconds(30)));
        Assert.Equal(1, h.Attempts);
        Assert.Contains("timed out after 30 ms", ex.Message);
    }

    [Fact]
    public async Task Response_with_a_foreign_id_is_rejected()
    {
        var h = new ScriptedHandler(_ => Json("{\"jsonrpc\":\"2.0\",\"id\":424242,\"result\":\"0x1\"}"));
        using var rpc = new JsonRpcClient(new Uri("http://rpc.test"), Fast, h);
        var ex = await Assert.ThrowsAsync<RpcTransportException>(() => rpc.CallAsync("eth_chainId"));
        Assert.Contains("does not match", ex.Message);
    }

    [Fact]
    public async Task Caller_cancellation_is_not_retried()
    {
        var h = new DelayingHandler();
        using var rpc = new JsonRpcClient(new Uri("http://rpc.test"), Fast, h);
        using var cts = new CancellationTokenSource();
        var call = rpc.CallAsync("eth_chainId", [], cts.Token);
        while (Volatile.Read(ref h.Attempts) == 0) await Task.Yield();
        cts.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => call);
        Assert.Equal(1, h.Attempts);
    }

    private sealed class DelayingHandler : HttpMessageHandler
    {
        public int Attempts;
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken ct)
        {
            Interlocked.Increment(ref Attempts);
            await Task.Delay(Timeout.Infinite, ct);
            throw new InvalidOperationException("unreachable");
        }
    }

    [Fact]
    public async Task Batch_answers_are_matched_by_id_whatever_their_order()
    {
        var h = new ScriptedHandler(body =>
        {
            var ids = JsonDocument.Parse(body).RootElement.EnumerateArray().Select(e => e.GetProperty("id").GetInt64()).ToArray();
            // Reverse order; the middle call fails.
            var parts = ids.Reverse().Select(id => id == ids[1]
                ? $"{{\"jsonrpc\":\"2.0\",\"id\":{id},\"error\":{{\"code\":-32601,\"message\":\"method not found\"}}}}"
                : $"{{\"jsonrpc\":\"2.0\",\"id\":{id},\"result\":\"r{id}\"}}");
            return Json("[" + string.Join(",", parts) + "]");
        });
        using var rpc = new JsonRpcClient(new Uri("http://rpc.test"), Fast, h);
        var answers = await rpc.BatchAsync([new RpcRequest("a"), new RpcRequest("b", 1), new RpcRequest("c", "x", true)]);
        var ids = JsonDocument.Parse(h.Bodies[0]).RootElement.EnumerateArray().Select(e => e.GetProperty("id").GetInt64()).ToArray();
        Assert.Equal("r" + ids[0], answers[0].Result.GetString());
        Assert.True(answers[1].IsError);
        Assert.Equal(-32601, Assert.Throws<RpcException>(() => answers[1].Result).Code);
        Assert.Equal("r" + ids[2], answers[2].Result.GetString());
    }

    [Theory]
    [InlineData("[]")]
    [InlineData("[{\"jsonrpc\":\"2.0\",\"id\":999999,\"result\":1}]")]
    [InlineData("{\"jsonrpc\":\"2.0\",\"id\":1}")]
    [InlineData("not json")]
    public async Task Malformed_batch_responses_are_transport_errors(string response)
    {
        var h = new ScriptedHandler(_ => Json(response));
        using var rpc = new JsonRpcClient(new Uri("http://rpc.test"), Fast, h);
        await Assert.ThrowsAsync<RpcTransportException>(() => rpc.BatchAsync([new RpcRequest("a")]));
        Assert.Equal(1, h.Attempts);
    }

    [Fact]
    public async Task Oversized_responses_are_refused()
    {
        var h = new ScriptedHandler(b => Result(b, "\"" + new string('a', 5000) + "\""));
        using var rpc = new JsonRpcClient(new Uri("http://rpc.test"), Fast with { MaxResponseBytes = 1000 }, h);
        var ex = await Assert.ThrowsAsync<RpcTransportException>(() => rpc.CallAsync("eth_chainId"));
        Assert.Contains("limit", ex.Message);
    }
}
