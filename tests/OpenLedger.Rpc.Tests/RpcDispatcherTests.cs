using System.Text;
using System.Text.Json;
using OpenLedger.Rpc.JsonRpc;
using OpenLedger.Rpc.Modules;

namespace OpenLedger.Rpc.Tests;

public class RpcDispatcherTests
{
    private static RpcDispatcher NewDispatcher(RpcLimits? limits = null)
    {
        var registry = new RpcMethodRegistry();
        Web3Module.Register(registry, "OpenLedger/test", 1337);
        registry.Add("test_echo", p => p.Required(0, "value").Clone());
        registry.Add("test_fail", _ => throw new RpcException(RpcErrorCodes.ExecutionReverted, "execution reverted", "0x08c379a0"));
        registry.Add("test_bug", _ => throw new InvalidOperationException("boom"));
        return new RpcDispatcher(registry, limits ?? new RpcLimits());
    }

    private static async Task<JsonElement> Call(RpcDispatcher d, string json)
    {
        var bytes = await d.HandleAsync(Encoding.UTF8.GetBytes(json), null, CancellationToken.None);
        Assert.NotNull(bytes);
        return JsonDocument.Parse(bytes).RootElement;
    }

    [Fact]
    public async Task Sha3_HashesData()
    {
        var r = await Call(NewDispatcher(), """{"jsonrpc":"2.0","id":1,"method":"web3_sha3","params":["0x68656c6c6f20776f726c64"]}""");
        Assert.Equal("0x47173285a8d7341e5e972fc677286384f802f8ef42a5ec5f03bbfa254cb01fad", r.GetProperty("result").GetString());
        Assert.Equal(1, r.GetProperty("id").GetInt32());
    }

    [Theory]
    [InlineData("{not json", -32700)]
    [InlineData("42", -32600)]
    [InlineData("""{"jsonrpc":"1.0","id":1,"method":"net_version"}""", -32600)]
    [InlineData("""{"jsonrpc":"2.0","id":1}""", -32600)]
    [InlineData("""{"jsonrpc":"2.0","id":{"a":1},"method":"net_version"}""", -32600)]
    [InlineData("""{"jsonrpc":"2.0","id":1,"method":"eth_noSuchMethod"}""", -32601)]
    [InlineData("""{"jsonrpc":"2.0","id":1,"method":"web3_sha3","params":["0x123"]}""", -32602)]
    [InlineData("""{"jsonrpc":"2.0","id":1,"method":"web3_sha3","params":[]}""", -32602)]
    [InlineData("""{"jsonrpc":"2.0","id":1,"method":"web3_sha3","params":{"a":1}}""", -32602)]
    [InlineData("""{"jsonrpc":"2.0","id":1,"method":"net_version","params":[1]}""", -32602)]
    [InlineData("[]", -32600)]
    public async Task BadRequests_GetTheirErrorCode(string json, int code)
    {
        var r = await Call(NewDispatcher(), json);
        Assert.Equal(code, r.GetProperty("error").GetProperty("code").GetInt32());
        Assert.False(string.IsNullOrWhiteSpace(r.GetProperty("error").GetProperty("message").GetString()));
    }

    [Fact]
    public async Task RevertError_CarriesCode3AndData()
    {
        var r = await Call(NewDispatcher(), """{"jsonrpc":"2.0","id":"x","method":"test_fail"}""");
        var e = r.GetProperty("error");
        Assert.Equal(3, e.GetProperty("code").GetInt32());
        Assert.Equal("0x08c379a0", e.GetProperty("data").GetString());
        Assert.Equal("x", r.GetProperty("id").GetString());
    }

    [Fact]
    public async Task HandlerBug_IsInternalError_AndDispatcherKeepsServing()
    {
        var d = NewDispatcher();
        var r = await Call(d, """{"jsonrpc":"2.0","id":1,"method":"test_bug"}""");
        Assert.Equal(-32603, r.GetProperty("error").GetProperty("code").GetInt32());
        var ok = await Call(d, """{"jsonrpc":"2.0","id":2,"method":"net_version"}""");
        Assert.Equal("1337", ok.GetProperty("result").GetString());
    }

    [Fact]
    public async Task Batch_AnswersEachCall_InOrder_SkippingNotifications()
    {
        var r = await Call(NewDispatcher(), """
            [{"jsonrpc":"2.0","id":1,"method":"net_version"},
             {"jsonrpc":"2.0","method":"net_version"},
             {"jsonrpc":"2.0","id":2,"method":"nope"},
             5,
             {"jsonrpc":"2.0","id":3,"method":"test_echo","params":[{"k":[1,2]}]}]
            """);
        Assert.Equal(JsonValueKind.Array, r.ValueKind);
        var items = r.EnumerateArray().ToArray();
        Assert.Equal(4, items.Length);
        Assert.Equal("1337", items[0].GetProperty("result").GetString());
        Assert.Equal(-32601, items[1].GetProperty("error").GetProperty("code").GetInt32());
        Assert.Equal(-32600, items[2].GetProperty("error").GetProperty("code").GetInt32());
        Assert.Equal(2, items[3].GetProperty("result").GetProperty("k")[1].GetInt32());
    }

    [Fact]
    public async Task NotificationOnly_ProducesNoResponse()
    {
        var bytes = await NewDispatcher().HandleAsync(Encoding.UTF8.GetBytes("""{"jsonrpc":"2.0","method":"net_version"}"""), null, default);
        Assert.Null(bytes);
    }

    [Fact]
    public async Task Limits_RejectOversizeRequestsAndBatches()
    {
        var d = NewDispatcher(new RpcLimits(MaxRequestBytes: 200, MaxBatchLength: 2));
        var big = await Call(d, $$"""{"jsonrpc":"2.0","id":1,"method":"test_echo","params":["{{new string('a', 300)}}"]}""");
        Assert.Equal(-32600, big.GetProperty("error").GetProperty("code").GetInt32());
        var batch = await Call(d, """[{"jsonrpc":"2.0","id":1,"method":"net_version"},{"jsonrpc":"2.0","id":2,"method":"net_version"},{"jsonrpc":"2.0","id":3,"method":"net_version"}]""");
        Assert.Equal(-32005, batch.GetProperty("error").GetProperty("code").GetInt32());
    }

    [Theory]
    [InlineData("0x0", true, 0UL)]
    [InlineData("0x1f", true, 31UL)]
    [InlineData("0x01", false, 0UL)]
    [InlineData("0x", false, 0UL)]
    [InlineData("1f", false, 0UL)]
    [InlineData("0xffffffffffffffff", true, ulong.MaxValue)]
    [InlineData("0x10000000000000000", false, 0UL)]
    [InlineData("0xg", false, 0UL)]
    public void Quantity_IsStrict(string s, bool ok, ulong value)
    {
        Assert.Equal(ok, RpcHex.TryParseQuantity(s, out var v));
        if (ok) Assert.Equal(value, v);
    }
}
