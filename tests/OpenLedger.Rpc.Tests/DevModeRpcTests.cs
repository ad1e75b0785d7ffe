using System.Net.Http.Json;
using System.Text.Json;
using OpenLedger.Chain;
using OpenLedger.Chain.Genesis;
using OpenLedger.Primitives;
using OpenLedger.Primitives.Wallet;
using OpenLedger.Rpc.Dev;
using OpenLedger.Rpc.Eth;
using OpenLedger.Rpc.Hosting;
using OpenLedger.State.Storage;

namespace OpenLedger.Rpc.Tests;

/// <summary>Where dev mode cannot work (a rollup chain) its methods say why, with -32601; without dev options they do not exist.</summary>
public sealed class DevModeRpcTests
{
    private static async Task<JsonElement> Call(NodeRpc rpc, string method, params object[] args)
    {
        using var http = new HttpClient();
        var resp = await http.PostAsJsonAsync(rpc.Server.HttpUrl, new { jsonrpc = "2.0", id = 1, method, @params = args });
        return JsonDocument.Parse(await resp.Content.ReadAsStringAsync()).RootElement.Clone();
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task DevMethods_AreMethodNotFound_WithTheReason_WhenUnavailable(bool withReason)
    {
        var genesis = new GenesisSpec { Config = new ChainConfig { ChainId = 1337 }, Alloc = new Dictionary<Address, GenesisAccount>() };
        using var chain = Blockchain.Open(new MemoryKeyValueStore(), genesis, Address.Zero);
        var accounts = DevAccounts.PrivateKeys(1).Select(k => (OpenLedger.Primitives.Crypto.Secp256k1.AddressFromPrivateKey(k), k)).ToList();
        await using var rpc = new NodeRpc(chain, new RpcServerOptions { Port = 0 }, new EthRpcOptions(), "test",
            withReason ? new DevRpcOptions(accounts, "is not available here: a test reason") : null);
        await rpc.StartAsync();
        foreach (var method in DevModule.Names)
        {
            var error = (await Call(rpc, method)).GetProperty("error");
            Assert.Equal(-32601, error.GetProperty("code").GetInt32());
            Assert.Equal(withReason ? $"{method} is not available here: a test reason" : $"the method {method} does not exist/is not available",
                error.GetProperty("message").GetString());
        }
        Assert.Null(chain.Dev);
    }
}
