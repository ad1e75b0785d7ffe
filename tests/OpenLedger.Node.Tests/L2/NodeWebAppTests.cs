using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using OpenLedger.Node.Devnet;
using OpenLedger.Tests.Shared;

namespace OpenLedger.Node.Tests.L2;

/// <summary>`openledger node --web-app DIR`: the built app at /app on the node's RPC port with a config.json naming this node, its L1, the deployments and the services given; bad flags refused.</summary>
[Collection("Console")]
public sealed class NodeWebAppTests : IDisposable
{
    private const ulong ChainId = 1330660686;
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "ol-webapp-" + Guid.NewGuid().ToString("N"));

    public NodeWebAppTests() => Directory.CreateDirectory(_dir);

    public void Dispose()
    {
        try { Directory.Delete(_dir, recursive: true); } catch (IOException) { }
    }

    private string Config()
    {
        var path = Path.Combine(_dir, "config.json");
        File.WriteAllText(path, "{\"datadir\":\"" + Path.Combine(_dir, "data") + "\",\"genesis\":{\"config\":{\"chainId\":" + ChainId + "},\"gasLimit\":\"0x1c9c380\",\"alloc\":{}},\"rpc\":{\"port\":"
            + TestPaths.FreePort() + "},\"sequencer\":{\"blockTimeMs\":3600000}}");
        return path;
    }

    /// <summary>A stand-in for web/dist: index.html and one hashed asset.</summary>
    private string Dist()
    {
        var dist = Path.Combine(_dir, "dist");
        Directory.CreateDirectory(Path.Combine(dist, "assets"));
        File.WriteAllText(Path.Combine(dist, "index.html"), "<!doctype html><title>app</title><div id=root></div>");
        File.WriteAllText(Path.Combine(dist, "assets", "index-abc123.js"), "console.log(1)");
        return dist;
    }

    [Fact]
    public async Task Serves_the_app_and_its_config_beside_the_JSON_RPC()
    {
        int l1Port = TestPaths.FreePort();
        await using var anvil = await AnvilProcess.StartAsync(ToolLocator.Find("anvil"), l1Port, ["--chain-id", "31337"]);
        var deployments = Path.Combine(_dir, "deployments");
        Directory.CreateDirectory(deployments);
        File.WriteAllText(Path.Combine(deployments, "31337-l1.json"), "{\"OpenToken\":\"0x5FbDB2315678afecb367f032d93F642f64180aa3\",\"note\":\"not an address\"}");
        File.WriteAllText(Path.Combine(deployments, $"{ChainId}-l2.json"), "{\"DatanetRegistry\":\"0xe7f1725E7734CE288F8367e1Bb143E90bb3F0512\"}");
        using var node = await NodeProcess.StartAsync(Config(), TimeSpan.FromSeconds(60), "--web-app", Dist(), "--web-l1-rpc", anvil.RpcUrl,
            "--web-deployments", deployments, "--web-service", "inference=http://127.0.0.1:8000/");
        // NodeProcess returns at the RPC line; the site is attached right after it.
        for (int i = 0; i < 600 && !node.Log.Contains($"Web app: {node.RpcUrl}/app/"); i++) await Task.Delay(100);
        Assert.Contains($"Web app: {node.RpcUrl}/app/", node.Log);
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };

        var index = await http.GetAsync(node.RpcUrl + "/app/");
        Assert.Equal(HttpStatusCode.OK, index.StatusCode);
        Assert.Contains("<div id=root>", await index.Content.ReadAsStringAsync());
        var route = await http.GetAsync(node.RpcUrl + "/app/bridge");
        Assert.Contains("<div id=root>", await route.Content.ReadAsStringAsync()); // an app route gets index.html
        var asset = await http.GetAsync(node.RpcUrl + "/app/assets/index-abc123.js");
        Assert.Equal("text/javascript; charset=utf-8", asset.Content.Headers.ContentType?.ToString());
        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync(node.RpcUrl + "/app/assets/missing.js")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync(node.RpcUrl + "/app/..%2F..%2Fconfig.json")).StatusCode);

        using var cfg = JsonDocument.Parse(await http.GetStringAsync(node.RpcUrl + "/app/config.json"));
        var c = cfg.RootElement;
        Assert.Equal(31337, c.GetProperty("l1").GetProperty("chainId").GetInt64());
        Assert.Equal(anvil.RpcUrl, c.GetProperty("l1").GetProperty("rpcUrl").GetString());
        Assert.Equal("0x5FbDB2315678afecb367f032d93F642f64180aa3", c.GetProperty("l1").GetProperty("contracts").GetProperty("OpenToken").GetString());
        Assert.False(c.GetProperty("l1").GetProperty("contracts").TryGetProperty("note", out _));
        Assert.Equal((long)ChainId, c.GetProperty("l2").GetProperty("chainId").GetInt64());
        Assert.Equal(node.RpcUrl, c.GetProperty("l2").GetProperty("rpcUrl").GetString());
        Assert.Equal("OPEN", c.GetProperty("l2").GetProperty("currency").GetProperty("symbol").GetString());
        Assert.False(c.GetProperty("l2").GetProperty("devMethods").GetBoolean());
        Assert.False(c.GetProperty("l2").GetProperty("bridge").GetBoolean()); // no rollup section: deposits are not derived
        Assert.Equal("http://127.0.0.1:8000", c.GetProperty("services").GetProperty("inference").GetString());
        Assert.Equal(JsonValueKind.Null, c.GetProperty("services").GetProperty("datanetsApi").ValueKind);

        // The JSON-RPC still answers on the same port.
        using var rpc = await http.PostAsJsonAsync(node.RpcUrl, new { jsonrpc = "2.0", id = 1, method = "eth_chainId", @params = Array.Empty<object>() });
        Assert.Equal("0x" + ChainId.ToString("x"), JsonDocument.Parse(await rpc.Content.ReadAsStringAsync()).RootElement.GetProperty("result").GetString());
    }

    [Fact]
    public void Bad_web_app_flags_are_refused_naming_the_flag()
    {
        var config = Config();
        var empty = Path.Combine(_dir, "empty");
        Directory.CreateDirectory(empty);
        var dist = Dist();
        (int, string) Run(params string[] args)
        {
            var (code, _, err) = CliRunner.Run(["node", "--config", config, .. args]);
            return (code, err);
        }
        var (code, err) = Run("--web-app", empty, "--web-l1-rpc", "http://127.0.0.1:1");
        Assert.Equal(2, code);
        Assert.Contains("has no index.html", err);
        (code, err) = Run("--web-app", dist);
        Assert.Equal(2, code);
        Assert.Contains("--web-app needs the L1 JSON-RPC URL", err);
        (code, err) = Run("--web-app", dist, "--web-l1-rpc", "ws://127.0.0.1:1");
        Assert.Equal(2, code);
        Assert.Contains("--web-l1-rpc must be an http(s) URL", err);
        (code, err) = Run("--web-app", dist, "--web-l1-rpc", "http://127.0.0.1:1", "--web-service", "chat=http://127.0.0.1:2");
        Assert.Equal(2, code);
        Assert.Contains("unknown service chat", err);
        (code, err) = Run("--web-app", dist, "--web-l1-rpc", "http://127.0.0.1:1", "--web-service", "inference");
        Assert.Equal(2, code);
        Assert.Contains("--web-service must be NAME=URL", err);
        (code, err) = Run("--web-l1-rpc", "http://127.0.0.1:1");
        Assert.Equal(2, code);
        Assert.Contains("add --web-app DIR", err);
        (code, err) = Run("--models-dir", empty);
        Assert.Equal(2, code);
        Assert.Contains("add --api", err);
    }
}
