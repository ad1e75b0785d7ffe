using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using OpenLedger.Node.Hosting;
using OpenLedger.Primitives;
using OpenLedger.Primitives.Crypto;
using OpenLedger.Primitives.Transactions;
using OpenLedger.Primitives.Wallet;
using OpenLedger.Tests.Shared;

namespace OpenLedger.Node.Tests.L2;

/// <summary>Issue 21, operations: the pool's journal across kill -9, /health, and every limit in the node config.</summary>
public sealed class NodeOperationsTests : IDisposable
{
    private const ulong ChainId = 1330660686;
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "ol-ops-" + Guid.NewGuid().ToString("N"));
    private readonly byte[] _key = DevAccounts.PrivateKeys(1)[0];

    public NodeOperationsTests() => Directory.CreateDirectory(_dir);

    public void Dispose()
    {
        try { Directory.Delete(_dir, recursive: true); } catch (IOException) { }
    }

    private string Config(string extra = "")
    {
        var alloc = "\"" + Secp256k1.AddressFromPrivateKey(_key).ToLowerHex() + "\":{\"balance\":\"10000000000000000000000\"}";
        var genesis = "{\"config\":{\"chainId\":" + ChainId + "},\"gasLimit\":\"0x1c9c380\",\"baseFeePerGas\":\"0x3b9aca00\",\"alloc\":{" + alloc + "}}";
        var path = Path.Combine(_dir, "config.json");
        // An hour per block: nothing sent in this test gets mined.
        File.WriteAllText(path, "{\"datadir\":\"" + Path.Combine(_dir, "data") + "\",\"genesis\":" + genesis + ",\"rpc\":{\"port\":" + TestPaths.FreePort() + extra
            + "},\"sequencer\":{\"blockTimeMs\":3600000}}");
        return path;
    }

    private static async Task<JsonElement> Rpc(HttpClient http, string url, string method, params object?[] args)
    {
        using var resp = await http.PostAsJsonAsync(url, new { jsonrpc = "2.0", id = 1, method, @params = args });
        return JsonDocument.Parse(await resp.Content.ReadAsStringAsync()).RootElement.Clone();
    }

    [Fact]
    public async Task AcceptedUnminedTransactions_SurviveKillDashNine()
    {
        var config = Config();
        var hashes = new List<string>();
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        using (var node = await NodeProcess.StartAsync(config, TimeSpan.FromSeconds(60)))
        {
            for (ulong n = 0; n < 3; n++)
            {
                var tx = new Transaction
                {
                    Type = TxType.DynamicFee, ChainId = ChainId, Nonce = n, GasLimit = 21_000, To = Address.Parse("0x00000000000000000000000000000000000000b0"),
                    MaxFeePerGas = new UInt256(10_000_000_000), MaxPriorityFeePerGas = UInt256.One, Value = UInt256.One,
                };
                tx.Sign(_key);
                var r = await Rpc(http, node.RpcUrl, "eth_sendRawTransaction", "0x" + Convert.ToHexStringLower(tx.Encode()));
                hashes.Add(r.GetProperty("result").GetString()!);
            }
            node.KillHard();
        }
        using var restarted = await NodeProcess.StartAsync(config, TimeSpan.FromSeconds(60));
        foreach (var h in hashes)
        {
            var tx = (await Rpc(http, restarted.RpcUrl, "eth_getTransactionByHash", h)).GetProperty("result");
            Assert.Equal(JsonValueKind.Object, tx.ValueKind);
            Assert.Equal(JsonValueKind.Null, tx.GetProperty("blockHash").ValueKind); // still pending
        }
        var health = await http.GetAsync(restarted.RpcUrl + "/health");
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        Assert.True(JsonDocument.Parse(await health.Content.ReadAsStringAsync()).RootElement.GetProperty("healthy").GetBoolean());
    }

    [Fact]
    public void Config_CarriesEveryLimit_AndRefusesUnknownOrBadOnes()
    {
        var c = NodeConfig.Load(Config(""","gasCap":1000000,"evmTimeoutMs":2000,"maxResponseBytes":2048,"maxFilters":5,"maxSubscriptionsPerConnection":2,"apis":["debug"],"allowUnprotectedTxs":true,"wsSendQueueMessages":10"""));
        Assert.Equal(1_000_000UL, c.EthRpc.Execution.GasCap);
        Assert.Equal(TimeSpan.FromSeconds(2), c.EthRpc.Execution.Timeout);
        Assert.Equal(2048, c.MaxResponseBytes);
        Assert.Equal(5, c.EthRpc.MaxFilters);
        Assert.Equal(2, c.EthRpc.MaxSubscriptionsPerConnection);
        Assert.Equal(["debug"], c.EthRpc.ExtraApis);
        Assert.True(c.AllowUnprotectedTxs);
        Assert.Equal(10, c.WsSendQueueMessages);

        var defaults = NodeConfig.Load(Config());
        Assert.Empty(defaults.EthRpc.ExtraApis); // debug_* and txpool_* off on a production node
        Assert.Equal(50_000_000UL, defaults.EthRpc.Execution.GasCap);
        Assert.False(defaults.AllowUnprotectedTxs);

        Assert.Contains("unknown field 'gascap'", Assert.Throws<ConfigException>(() => NodeConfig.Load(Config(""","gascap":1"""))).Message);
        Assert.Contains("apis", Assert.Throws<ConfigException>(() => NodeConfig.Load(Config(""","apis":["admin"]"""))).Message);
        Assert.Contains("maxFilters", Assert.Throws<ConfigException>(() => NodeConfig.Load(Config(""","maxFilters":0"""))).Message);
    }
}
