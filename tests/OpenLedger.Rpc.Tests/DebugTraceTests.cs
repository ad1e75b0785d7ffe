using System.Net.Http.Json;
using System.Text.Json;
using OpenLedger.Chain;
using OpenLedger.Chain.Genesis;
using OpenLedger.Primitives;
using OpenLedger.Primitives.Crypto;
using OpenLedger.Primitives.Transactions;
using OpenLedger.Primitives.Wallet;
using OpenLedger.Rpc.Eth;
using OpenLedger.Rpc.Hosting;
using OpenLedger.State.Storage;

namespace OpenLedger.Rpc.Tests;

public sealed class DebugTraceTests : IAsyncLifetime
{
    private static readonly byte[] Key = DevAccounts.PrivateKeys(1)[0];
    private static readonly Address Alice = Secp256k1.AddressFromPrivateKey(Key);
    private Blockchain _chain = null!;
    private NodeRpc _rpc = null!;
    private readonly HttpClient _http = new();

    public async Task InitializeAsync()
    {
        var genesis = new GenesisSpec
        {
            Config = new ChainConfig { ChainId = 1337 },
            Alloc = new Dictionary<Address, GenesisAccount> { [Alice] = new(new UInt256(1_000_000_000_000_000_000), 0, [], new Dictionary<UInt256, UInt256>()) },
        };
        _chain = Blockchain.Open(new MemoryKeyValueStore(), genesis, Address.Zero);
        _rpc = new NodeRpc(_chain, new RpcServerOptions { Port = 0 }, new EthRpcOptions(), "test");
        await _rpc.StartAsync();
    }

    public async Task DisposeAsync()
    {
        await _rpc.DisposeAsync();
        _chain.Dispose();
    }

    private async Task<JsonElement> Call(string method, params object[] args)
    {
        var resp = await _http.PostAsJsonAsync(_rpc.Server.HttpUrl, new { jsonrpc = "2.0", id = 1, method, @params = args });
        return JsonDocument.Parse(await resp.Content.ReadAsStringAsync()).RootElement.Clone();
    }

    [Fact]
    public async Task TraceTransaction_StructLogs_ShowOpcodesGasAndStorage()
    {
        // init code: SSTORE(1, 0x2a); STOP
        byte[] init = [0x60, 0x2a, 0x60, 0x01, 0x55, 0x00];
        var tx = new Transaction { Type = TxType.DynamicFee, ChainId = 1337, Nonce = 0, MaxFeePerGas = new UInt256(10_000_000_000), MaxPriorityFeePerGas = UInt256.One, GasLimit = 100_000, Data = init };
        tx.Sign(Key);
        var hash = (await Call("eth_sendRawTransaction", Hex.Encode(tx.Encode()))).GetProperty("result").GetString()!;
        _chain.ProduceBlock(1_000);
        var receipt = (await Call("eth_getTransactionReceipt", hash)).GetProperty("result");

        var trace = (await Call("debug_traceTransaction", hash)).GetProperty("result");
        Assert.False(trace.GetProperty("failed").GetBoolean());
        Assert.Equal((long)(ulong)UInt256.Parse(receipt.GetProperty("gasUsed").GetString()!), trace.GetProperty("gas").GetInt64());
        var ops = trace.GetProperty("structLogs").EnumerateArray().Select(l => l.GetProperty("op").GetString()).ToArray();
        Assert.Equal(new string?[] { "PUSH1", "PUSH1", "SSTORE", "STOP" }, ops);
        var sstore = trace.GetProperty("structLogs")[2];
        Assert.Equal(new string?[] { "0x2a", "0x1" }, sstore.GetProperty("stack").EnumerateArray().Select(s => s.GetString()).ToArray());
        Assert.Equal("000000000000000000000000000000000000000000000000000000000000002a",
            sstore.GetProperty("storage").GetProperty("0000000000000000000000000000000000000000000000000000000000000001").GetString());
        Assert.Equal(22_100, sstore.GetProperty("gasCost").GetInt32()); // cold slot, zero to non-zero

        var call = (await Call("debug_traceCall", new { from = Alice.ToString(), data = "0x600160020100" }, "latest", new { disableStack = true })).GetProperty("result");
        Assert.Equal(new string?[] { "PUSH1", "PUSH1", "ADD", "STOP" }, call.GetProperty("structLogs").EnumerateArray().Select(l => l.GetProperty("op").GetString()).ToArray());
        Assert.False(call.GetProperty("structLogs")[0].TryGetProperty("stack", out _));

        var unknown = await Call("debug_traceTransaction", Hash256.Zero.ToString());
        Assert.Equal(-32000, unknown.GetProperty("error").GetProperty("code").GetInt32());
        var badTracer = await Call("debug_traceTransaction", hash, new { tracer = "noSuchTracer" });
        Assert.Equal(-32602, badTracer.GetProperty("error").GetProperty("code").GetInt32());
    }

    [Fact]
    public async Task CallTracer_ShowsTheCallTree_AndFailures()
    {
        // init code: CALL(gas, 0x04 identity, 0, 0, 0, 0, 0); STOP
        var tree = (await Call("debug_traceCall", new { from = Alice.ToString(), data = "0x6000600060006000600060045af100" }, "latest", new { tracer = "callTracer" })).GetProperty("result");
        Assert.Equal("CREATE", tree.GetProperty("type").GetString());
        Assert.Equal(Alice.ToLowerHex(), tree.GetProperty("from").GetString());
        var child = Assert.Single(tree.GetProperty("calls").EnumerateArray());
        Assert.Equal("CALL", child.GetProperty("type").GetString());
        Assert.Equal("0x0000000000000000000000000000000000000004", child.GetProperty("to").GetString());
        Assert.False(tree.TryGetProperty("error", out _));

        var top = (await Call("debug_traceCall", new { from = Alice.ToString(), data = "0x6000600060006000600060045af100" }, "latest", new { tracer = "callTracer", tracerConfig = new { onlyTopCall = true } })).GetProperty("result");
        Assert.False(top.TryGetProperty("calls", out _));

        // init code: REVERT(0, 0)
        var reverted = (await Call("debug_traceCall", new { from = Alice.ToString(), data = "0x60006000fd" }, "latest", new { tracer = "callTracer" })).GetProperty("result");
        Assert.Equal("execution reverted", reverted.GetProperty("error").GetString());
    }

    // Init code: LOG0; CALL identity; LOG1(0x01); CREATE a child whose init code is LOG0 then REVERT; LOG2(0x01, 0x02); STOP.
    private const string LoggingInit = "0x60006000a0" + "600060006000600060006004" + "5af150" + "600160006000a1"
        + "6960006000a060006000fd" + "600052" + "600a60166000f050" + "6002600160006000a2" + "00";

    [Fact]
    public async Task CallTracer_WithLog_GivesEachFramesLogs_WithBlockIndexAndPosition_AndDropsRevertedOnes()
    {
        var tree = (await Call("debug_traceCall", new { from = Alice.ToString(), data = LoggingInit }, "latest", new { tracer = "callTracer", tracerConfig = new { withLog = true } })).GetProperty("result");
        Assert.False(tree.TryGetProperty("error", out _));
        var logs = tree.GetProperty("logs").EnumerateArray().ToArray();
        Assert.Equal(3, logs.Length);
        Assert.Equal(new[] { "0x0", "0x1", "0x2" }, logs.Select(l => l.GetProperty("index").GetString()).ToArray()); // the reverted child's index is reused
        Assert.Equal(new[] { "0x0", "0x1", "0x2" }, logs.Select(l => l.GetProperty("position").GetString()).ToArray());
        Assert.Empty(logs[0].GetProperty("topics").EnumerateArray());
        Assert.Equal(new[] { Word(1), Word(2) }, logs[2].GetProperty("topics").EnumerateArray().Select(t => t.GetString()).ToArray());
        Assert.Equal(tree.GetProperty("to").GetString(), logs[0].GetProperty("address").GetString());
        Assert.Equal("0x", logs[0].GetProperty("data").GetString());
        var calls = tree.GetProperty("calls").EnumerateArray().ToArray();
        Assert.Equal("CREATE", calls[1].GetProperty("type").GetString());
        Assert.Equal("execution reverted", calls[1].GetProperty("error").GetString());
        Assert.False(calls[1].TryGetProperty("logs", out _));

        var without = (await Call("debug_traceCall", new { from = Alice.ToString(), data = LoggingInit }, "latest", new { tracer = "callTracer" })).GetProperty("result");
        Assert.False(without.TryGetProperty("logs", out _));

        // In a block, a transaction's log indices continue from the earlier transactions' logs.
        var hashes = new List<string>();
        for (ulong nonce = 0; nonce < 2; nonce++)
        {
            var tx = new Transaction { Type = TxType.DynamicFee, ChainId = 1337, Nonce = nonce, MaxFeePerGas = new UInt256(10_000_000_000), MaxPriorityFeePerGas = UInt256.One, GasLimit = 300_000, Data = Hex.Decode(LoggingInit) };
            tx.Sign(Key);
            hashes.Add((await Call("eth_sendRawTransaction", Hex.Encode(tx.Encode()))).GetProperty("result").GetString()!);
        }
        _chain.ProduceBlock(1_000);
        var second = (await Call("debug_traceTransaction", hashes[1], new { tracer = "callTracer", tracerConfig = new { withLog = true } })).GetProperty("result");
        Assert.Equal(new[] { "0x3", "0x4", "0x5" }, second.GetProperty("logs").EnumerateArray().Select(l => l.GetProperty("index").GetString()).ToArray());
        var receipt = (await Call("eth_getTransactionReceipt", hashes[1])).GetProperty("result");
        Assert.Equal(new[] { "0x3", "0x4", "0x5" }, receipt.GetProperty("logs").EnumerateArray().Select(l => l.GetProperty("logIndex").GetString()).ToArray());

        var badConfig = await Call("debug_traceCall", new { from = Alice.ToString(), data = LoggingInit }, "latest", new { tracer = "callTracer", tracerConfig = new { withLog = "yes" } });
        Assert.Equal(-32602, badConfig.GetProperty("error").GetProperty("code").GetInt32());
    }

    private static string Word(int v) => "0x" + v.ToString("x64", System.Globalization.CultureInfo.InvariantCulture);
}
