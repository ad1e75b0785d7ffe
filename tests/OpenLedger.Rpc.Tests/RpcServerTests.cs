using System.Net;
using System.Net.Http.Json;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using OpenLedger.Rpc.Hosting;
using OpenLedger.Rpc.JsonRpc;
using OpenLedger.Rpc.Modules;

namespace OpenLedger.Rpc.Tests;

public class RpcServerTests : IAsyncLifetime
{
    private RpcServer _server = null!;

    public async Task InitializeAsync()
    {
        var registry = new RpcMethodRegistry();
        Web3Module.Register(registry, "OpenLedger/test", 1337);
        registry.Add("test_notifyMe", async (p, ctx) =>
        {
            if (ctx.Connection is null) throw new RpcException(RpcErrorCodes.MethodNotFound, "notifications not supported");
            var conn = ctx.Connection;
            _ = Task.Run(async () =>
            {
                await Task.Delay(50);
                await conn.SendAsync(Encoding.UTF8.GetBytes("""{"jsonrpc":"2.0","method":"eth_subscription","params":{"subscription":"0x1","result":"hi"}}"""), default);
            });
            return await ValueTask.FromResult<object?>("0x1");
        });
        _server = new RpcServer(registry, new RpcServerOptions { Port = 0, Limits = new RpcLimits(MaxRequestBytes: 4096) });
        await _server.StartAsync();
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task Http_PostAndBatch()
    {
        using var http = new HttpClient();
        var resp = await http.PostAsync(_server.HttpUrl, new StringContent("""[{"jsonrpc":"2.0","id":1,"method":"net_version"},{"jsonrpc":"2.0","id":2,"method":"web3_clientVersion"}]""", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.OK, resp.StatusCode);
        var doc = JsonDocument.Parse(await resp.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal("1337", doc[0].GetProperty("result").GetString());
        Assert.Equal("OpenLedger/test", doc[1].GetProperty("result").GetString());
    }

    [Fact]
    public async Task Http_OversizeBody_IsRefused_AndServerKeepsServing()
    {
        using var http = new HttpClient();
        var resp = await http.PostAsync(_server.HttpUrl, new StringContent(new string(' ', 10_000), Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, resp.StatusCode);
        var ok = await http.PostAsJsonAsync(_server.HttpUrl, new { jsonrpc = "2.0", id = 1, method = "net_listening" });
        Assert.True(JsonDocument.Parse(await ok.Content.ReadAsStringAsync()).RootElement.GetProperty("result").GetBoolean());
    }

    [Fact]
    public async Task Cors_PreflightAllowsBrowserDapps()
    {
        using var http = new HttpClient();
        var req = new HttpRequestMessage(HttpMethod.Options, _server.HttpUrl);
        req.Headers.Add("Origin", "http://localhost:3000");
        req.Headers.Add("Access-Control-Request-Method", "POST");
        var resp = await http.SendAsync(req);
        Assert.Equal(HttpStatusCode.NoContent, resp.StatusCode);
        Assert.Equal("*", resp.Headers.GetValues("Access-Control-Allow-Origin").Single());
    }

    [Fact]
    public async Task WebSocket_RequestsAndNotifications()
    {
        using var ws = new ClientWebSocket();
        await ws.ConnectAsync(new Uri(_server.WebSocketUrl), default);
        await ws.SendAsync(Encoding.UTF8.GetBytes("""{"jsonrpc":"2.0","id":7,"method":"test_notifyMe"}"""), WebSocketMessageType.Text, true, default);
        var first = await Receive(ws);
        Assert.Equal("0x1", first.GetProperty("result").GetString());
        var note = await Receive(ws);
        Assert.Equal("eth_subscription", note.GetProperty("method").GetString());
        await ws.CloseAsync(WebSocketCloseStatus.NormalClosure, "", default);
    }

    [Fact]
    public async Task Metrics_ExposesRpcCounters()
    {
        using var http = new HttpClient();
        await http.PostAsJsonAsync(_server.HttpUrl, new { jsonrpc = "2.0", id = 1, method = "net_version" });
        var text = await http.GetStringAsync(_server.HttpUrl + "/metrics");
        Assert.Contains("openledger_rpc_calls_total{method=\"net_version\"}", text);
    }

    private static async Task<JsonElement> Receive(ClientWebSocket ws)
    {
        var buf = new byte[8192];
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var r = await ws.ReceiveAsync(buf, cts.Token);
        return JsonDocument.Parse(buf.AsMemory(0, r.Count)).RootElement.Clone();
    }
}
