using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using OpenLedger.Node.Hosting;
using OpenLedger.Primitives;
using OpenLedger.Tests.Shared;

namespace OpenLedger.Node.Tests.Parity;

[CollectionDefinition(Name)]
public sealed class DevParityCollection : ICollectionFixture<DevParityFixture>
{
    public const string Name = "dev-mode node beside anvil";
}

/// <summary>
/// Our node in dev mode (as `openledger devnet` runs it: the test mnemonic's accounts unlocked, instant sealing) and
/// anvil with the same accounts, so each test sends the same request to both and compares the answers.
/// </summary>
public sealed class DevParityFixture : IAsyncLifetime
{
    private Process _anvil = null!;

    public NodeHost Node { get; private set; } = null!;
    public string AnvilUrl { get; private set; } = "";
    public IReadOnlyList<(Address Address, byte[] Key)> Accounts { get; private set; } = [];
    public HttpClient Http { get; } = new() { Timeout = TimeSpan.FromSeconds(60) };

    public async Task InitializeAsync()
    {
        int port = TestPaths.FreePort();
        AnvilUrl = $"http://127.0.0.1:{port}";
        var psi = new ProcessStartInfo(TestPaths.FoundryTool("anvil"), ["--port", port.ToString(CultureInfo.InvariantCulture), "--hardfork", "cancun", "--silent"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        _anvil = Process.Start(psi)!;
        var (genesis, accounts) = DevnetGenesis.Create((ulong)DateTimeOffset.UtcNow.ToUnixTimeSeconds());
        Accounts = accounts;
        Node = await NodeHost.StartAsync(new NodeConfig
        {
            Genesis = genesis,
            Coinbase = Address.Parse("0x000000000000000000000000000000000000c0b1"),
            RpcPort = 0,
            BlockTime = null,
            DevAccounts = accounts,
            // As on the devnet: traces and pool contents are served.
            // A generous wall-clock budget: the tests check which limit trips (gas, memory capture), and on a loaded
            // machine the default 5 s could trip first.
            EthRpc = new OpenLedger.Rpc.Eth.EthRpcOptions
            {
                ExtraApis = new HashSet<string> { "debug", "txpool" },
                Execution = new OpenLedger.Rpc.Execution.ExecutionLimits { Timeout = TimeSpan.FromSeconds(60) },
            },
        }, NullLoggerFactory.Instance);
        for (int i = 0; ; i++)
        {
            try
            {
                await PostAsync(AnvilUrl, "eth_chainId");
                return;
            }
            catch (HttpRequestException) when (i < 100)
            {
                await Task.Delay(100);
            }
        }
    }

    public async Task DisposeAsync()
    {
        _anvil.Kill(entireProcessTree: true);
        await _anvil.WaitForExitAsync();
        _anvil.Dispose();
        await Node.DisposeAsync();
        Http.Dispose();
    }

    /// <summary>One call; the whole response object and its raw text.</summary>
    public async Task<(JsonElement Json, string Body)> PostAsync(string url, string method, params object?[] args)
    {
        var body = JsonSerializer.Serialize(new { jsonrpc = "2.0", id = 1, method, @params = args });
        using var content = new StringContent(body, Encoding.UTF8);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        using var resp = await Http.PostAsync(url, content);
        var text = await resp.Content.ReadAsStringAsync();
        return (JsonDocument.Parse(text).RootElement.Clone(), text);
    }

    public async Task<JsonElement> OursAsync(string method, params object?[] args) => (await PostAsync(Node.RpcUrl, method, args)).Json;
    public async Task<JsonElement> AnvilAsync(string method, params object?[] args) => (await PostAsync(AnvilUrl, method, args)).Json;

    /// <summary>The same request to both: (ours, anvil's).</summary>
    public async Task<(JsonElement Ours, JsonElement Anvil)> BothAsync(string method, params object?[] args) =>
        (await OursAsync(method, args), await AnvilAsync(method, args));

    public static JsonElement Result(JsonElement response, string who = "")
    {
        Assert.False(response.TryGetProperty("error", out var e), $"{who} returned an error: {e}");
        return response.GetProperty("result");
    }

    public static (int Code, string Message) Error(JsonElement response)
    {
        Assert.True(response.TryGetProperty("error", out var e), $"expected an error, got {response}");
        return (e.GetProperty("code").GetInt32(), e.GetProperty("message").GetString()!);
    }

    public static ulong Q(JsonElement e) => ulong.Parse(e.GetString()!.AsSpan(2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture);

    /// <summary>Waits for a receipt (our node seals on arrival; anvil automines).</summary>
    public async Task<JsonElement> ReceiptAsync(string url, string hash)
    {
        for (int i = 0; ; i++)
        {
            var r = Result((await PostAsync(url, "eth_getTransactionReceipt", hash)).Json);
            if (r.ValueKind == JsonValueKind.Object) return r;
            Assert.True(i < 1000, $"no receipt for {hash}");
            await Task.Delay(20);
        }
    }

    /// <summary>eth_sendTransaction on one node and its receipt.</summary>
    public async Task<JsonElement> SendAsync(string url, object tx)
    {
        var hash = Result((await PostAsync(url, "eth_sendTransaction", tx)).Json, url).GetString()!;
        return await ReceiptAsync(url, hash);
    }

    /// <summary>
    /// Runtime: counter = SLOAD(0) + 1 → SSTORE(0); then SLOAD(1) (an empty slot); STOP. Init code copies it out.
    /// </summary>
    public const string CounterRuntime = "600054600101600055600160015400";
    public static string CounterInit => "0x600f600c600039600f6000f3" + CounterRuntime;

    /// <summary>Deploys the counter on both nodes from dev account 0; returns the two addresses.</summary>
    public async Task<(string Ours, string Anvil)> DeployCounterAsync()
    {
        var from = Accounts[0].Address.ToString();
        var ours = await SendAsync(Node.RpcUrl, new { from, data = CounterInit });
        var anvil = await SendAsync(AnvilUrl, new { from, data = CounterInit });
        return (ours.GetProperty("contractAddress").GetString()!, anvil.GetProperty("contractAddress").GetString()!);
    }
}
