using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using OpenLedger.Node.Hosting;
using OpenLedger.Primitives;
using OpenLedger.Primitives.Transactions;
using static OpenLedger.Node.Tests.Parity.DevParityFixture;

namespace OpenLedger.Node.Tests.Parity;

/// <summary>Response shapes and error texts next to anvil's, and the dev methods' absence on a production node.</summary>
[Collection(DevParityCollection.Name)]
public sealed class ShapesParityTests(DevParityFixture f)
{
    [Fact]
    public async Task TransactionsAndReceipts_CarryBlockTimestamp_AsAnvil()
    {
        var from = f.Accounts[4].Address.ToString();
        var r = await f.SendAsync(f.Node.RpcUrl, new { from, to = "0x0000000000000000000000000000000000000abc", value = "0x1" });
        var ra = await f.SendAsync(f.AnvilUrl, new { from, to = "0x0000000000000000000000000000000000000abc", value = "0x1" });
        var block = Result(await f.OursAsync("eth_getBlockByNumber", r.GetProperty("blockNumber").GetString(), false));
        Assert.Equal(block.GetProperty("timestamp").GetString(), r.GetProperty("blockTimestamp").GetString());
        Assert.True(ra.TryGetProperty("blockTimestamp", out _)); // anvil writes a number here, geth (and we) a hex quantity
        var tx = Result(await f.OursAsync("eth_getTransactionByHash", r.GetProperty("transactionHash").GetString()));
        Assert.Equal(block.GetProperty("timestamp").GetString(), tx.GetProperty("blockTimestamp").GetString());
        // Field names of the receipt: anvil's set (blob fields aside) is ours.
        var names = r.EnumerateObject().Select(p => p.Name).ToHashSet();
        foreach (var p in ra.EnumerateObject().Where(p => !p.Name.StartsWith("blob", StringComparison.Ordinal)))
            Assert.Contains(p.Name, names);
    }

    [Fact]
    public async Task Errors_AreGethsWords_WithoutEscapedPlus()
    {
        // Intrinsic gas: 21000 for a call with data is too little; geth says how much is needed.
        var key = f.Accounts[5].Key;
        var nonce = Q(Result(await f.OursAsync("eth_getTransactionCount", f.Accounts[5].Address.ToString(), "pending")));
        var tx = new Transaction
        {
            Type = TxType.DynamicFee, ChainId = f.Node.Chain.Config.ChainId, Nonce = nonce, GasLimit = 21_000,
            MaxFeePerGas = new UInt256(100_000_000_000), MaxPriorityFeePerGas = new UInt256(1_000_000_000),
            To = Address.Parse("0x0000000000000000000000000000000000000abc"), Data = new byte[100],
        };
        tx.Sign(key);
        var (code, message) = Error(await f.OursAsync("eth_sendRawTransaction", Hex.Encode(tx.Encode())));
        Assert.Equal(-32000, code);
        Assert.Equal($"intrinsic gas too low: gas 21000, minimum needed {21_000 + 100 * 4}", message);
        var (_, callMessage) = Error(await f.OursAsync("eth_call", new { from = f.Accounts[5].Address.ToString(), to = "0x0000000000000000000000000000000000000abc", gas = "0x5208", input = "0x" + new string('1', 200) }));
        Assert.Equal($"intrinsic gas too low: gas 21000, minimum needed {21_000 + 100 * 16}", callMessage);

        // Insufficient funds: the '+' in "gas * price + value" is sent as is (no \u002B), as geth and anvil send it.
        var poor = "0x000000000000000000000000000000000000dead";
        var (_, body) = await f.PostAsync(f.Node.RpcUrl, "eth_call", new { from = poor, to = poor, value = "0x1", gasPrice = "0x77359400" });
        var (_, anvilBody) = await f.PostAsync(f.AnvilUrl, "eth_call", new { from = poor, to = poor, value = "0x1", gasPrice = "0x77359400" });
        Assert.Contains("insufficient funds for gas * price + value", body);
        Assert.DoesNotContain("\\u002B", body);
        Assert.DoesNotContain("\\u002B", anvilBody);
        Assert.Equal(-32000, Error(JsonDocument.Parse(body).RootElement).Code); // geth's code (anvil uses -32003)
        Assert.Contains("insufficient funds for gas * price + value", Error(JsonDocument.Parse(anvilBody).RootElement).Message, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task EstimateGas_FromAnAccountWithoutFunds_NoGasPrice_Succeeds_AsAnvil()
    {
        var poor = "0x000000000000000000000000000000000000dea1";
        var (ours, anvil) = await f.BothAsync("eth_estimateGas", new { from = poor, to = "0x0000000000000000000000000000000000000abc" });
        Assert.Equal("0x5208", Result(ours).GetString());
        Assert.Equal(Result(anvil).GetString(), Result(ours).GetString());
        (ours, anvil) = await f.BothAsync("eth_estimateGas", new { from = poor, data = "0x" + FixtureCounterInit() });
        Assert.Equal(Result(anvil).GetString(), Result(ours).GetString());
    }

    private static string FixtureCounterInit() => CounterInit[2..];

    [Fact]
    public async Task Coinbase_TxpoolInspect_AndSyncingSubscription()
    {
        var (ours, anvil) = await f.BothAsync("eth_coinbase");
        Assert.Equal("0x000000000000000000000000000000000000c0b1", Result(ours).GetString());
        Assert.Equal(JsonValueKind.String, Result(anvil).ValueKind);

        // A transaction with a nonce gap waits in "queued": geth's one-line summary.
        var sender = f.Accounts[6];
        var next = Q(Result(await f.OursAsync("eth_getTransactionCount", sender.Address.ToString(), "pending")));
        var tx = new Transaction
        {
            Type = TxType.DynamicFee, ChainId = f.Node.Chain.Config.ChainId, Nonce = next + 5, GasLimit = 21_000,
            MaxFeePerGas = new UInt256(100_000_000_000), MaxPriorityFeePerGas = new UInt256(1_000_000_000),
            To = Address.Parse("0x0000000000000000000000000000000000000abc"), Value = new UInt256(7),
        };
        tx.Sign(sender.Key);
        Result(await f.OursAsync("eth_sendRawTransaction", Hex.Encode(tx.Encode())));
        var inspect = Result(await f.OursAsync("txpool_inspect"));
        var line = inspect.GetProperty("queued").GetProperty(sender.Address.ToString()).GetProperty((next + 5).ToString()).GetString();
        // geth writes the recipient checksummed (Address.Hex()).
        Assert.Equal("0x0000000000000000000000000000000000000aBc: 7 wei + 21000 gas × 100000000000 wei", line);
        var anvilInspect = Result(await f.AnvilAsync("txpool_inspect"));
        Assert.Equal(anvilInspect.EnumerateObject().Select(p => p.Name), inspect.EnumerateObject().Select(p => p.Name));

        using var ws = new ClientWebSocket();
        await ws.ConnectAsync(new Uri(f.Node.WebSocketUrl), CancellationToken.None);
        await ws.SendAsync(Encoding.UTF8.GetBytes("""{"jsonrpc":"2.0","id":1,"method":"eth_subscribe","params":["syncing"]}"""), WebSocketMessageType.Text, true, CancellationToken.None);
        var buffer = new byte[4096];
        var got = await ws.ReceiveAsync(buffer, CancellationToken.None);
        var reply = JsonDocument.Parse(buffer.AsMemory(0, got.Count)).RootElement;
        Assert.StartsWith("0x", Result(reply).GetString());
    }

    [Fact]
    public async Task ProductionNode_AnswersMethodNotFound_ForDevMethods()
    {
        var (genesis, _) = DevnetGenesis.Create(0);
        await using var node = await NodeHost.StartAsync(new NodeConfig { Genesis = genesis, RpcPort = 0, BlockTime = null }, NullLoggerFactory.Instance);
        foreach (var method in new[] { "evm_mine", "evm_increaseTime", "evm_setNextBlockTimestamp", "evm_snapshot", "evm_revert", "anvil_setBalance",
                                       "anvil_setCode", "anvil_setStorageAt", "anvil_impersonateAccount", "anvil_stopImpersonatingAccount", "anvil_mine", "eth_sendTransaction" })
        {
            var (json, _) = await f.PostAsync(node.RpcUrl, method, 1);
            Assert.Equal(-32601, Error(json).Code);
        }
        Assert.Equal(0, Result((await f.PostAsync(node.RpcUrl, "eth_accounts")).Json).GetArrayLength());
    }
}
