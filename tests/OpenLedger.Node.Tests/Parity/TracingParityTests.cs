using System.Text.Json;
using static OpenLedger.Node.Tests.Parity.DevParityFixture;

namespace OpenLedger.Node.Tests.Parity;

/// <summary>prestateTracer (both modes), struct logs with memory, and block tracing, against anvil's answers.</summary>
[Collection(DevParityCollection.Name)]
public sealed class TracingParityTests(DevParityFixture f)
{
    private static string Norm(string word) => word.StartsWith("0x", StringComparison.Ordinal) ? word[2..] : word;

    [Fact]
    public async Task PrestateTracer_DefaultAndDiffMode_MatchAnvil()
    {
        var (cOurs, cAnvil) = await f.DeployCounterAsync();
        var from = f.Accounts[0].Address.ToString();
        var hOurs = (await f.SendAsync(f.Node.RpcUrl, new { from, to = cOurs })).GetProperty("transactionHash").GetString();
        var hAnvil = (await f.SendAsync(f.AnvilUrl, new { from, to = cAnvil })).GetProperty("transactionHash").GetString();

        var ours = Result(await f.OursAsync("debug_traceTransaction", hOurs, new { tracer = "prestateTracer" }));
        var anvil = Result(await f.AnvilAsync("debug_traceTransaction", hAnvil, new { tracer = "prestateTracer" }));
        // The sender and the contract as they were: same fields, same values (the counter was at 1 before, slot 1 empty).
        foreach (var (o, a) in new[] { (from.ToLowerInvariant(), from.ToLowerInvariant()), (cOurs, cAnvil) })
        {
            var po = ours.GetProperty(o);
            var pa = anvil.GetProperty(a);
            Assert.Equal(pa.EnumerateObject().Select(p => p.Name).Order(), po.EnumerateObject().Select(p => p.Name).Order());
            if (pa.TryGetProperty("code", out var code)) Assert.Equal(code.GetString(), po.GetProperty("code").GetString());
            Assert.Equal(JsonValueKind.Number, po.GetProperty("nonce").ValueKind);
            if (pa.TryGetProperty("storage", out var st)) Assert.Equal(st.ToString(), po.GetProperty("storage").ToString());
        }
        Assert.Equal(anvil.GetProperty(cAnvil).GetProperty("nonce").GetUInt64(), ours.GetProperty(cOurs).GetProperty("nonce").GetUInt64());

        var dOurs = Result(await f.OursAsync("debug_traceTransaction", hOurs, new { tracer = "prestateTracer", tracerConfig = new { diffMode = true } }));
        var dAnvil = Result(await f.AnvilAsync("debug_traceTransaction", hAnvil, new { tracer = "prestateTracer", tracerConfig = new { diffMode = true } }));
        Assert.Equal(dAnvil.EnumerateObject().Select(p => p.Name), dOurs.EnumerateObject().Select(p => p.Name));
        // The contract: storage slot 0 goes 1 → 2 in post; pre keeps the non-empty old value; nonce and code unchanged are not in post.
        Assert.Equal(dAnvil.GetProperty("post").GetProperty(cAnvil).ToString(), dOurs.GetProperty("post").GetProperty(cOurs).ToString());
        Assert.Equal(dAnvil.GetProperty("pre").GetProperty(cAnvil).ToString(), dOurs.GetProperty("pre").GetProperty(cOurs).ToString());
        var senderPost = dOurs.GetProperty("post").GetProperty(from.ToLowerInvariant());
        Assert.Equal(dAnvil.GetProperty("post").GetProperty(from.ToLowerInvariant()).EnumerateObject().Select(p => p.Name), senderPost.EnumerateObject().Select(p => p.Name));

        // The same tracer through debug_traceCall.
        var call = Result(await f.OursAsync("debug_traceCall", new { from, to = cOurs }, "latest", new { tracer = "prestateTracer" }));
        Assert.True(call.TryGetProperty(cOurs, out _));
    }

    [Fact]
    public async Task StructLogs_WithMemory_EmptySlotAndReturnValue_MatchAnvil()
    {
        var (cOurs, cAnvil) = await f.DeployCounterAsync();
        var from = f.Accounts[0].Address.ToString();
        var ours = Result(await f.OursAsync("debug_traceCall", new { from, to = cOurs }, "latest", new { enableMemory = true }));
        var anvil = Result(await f.AnvilAsync("debug_traceCall", new { from, to = cAnvil }, "latest", new { enableMemory = true }));
        Assert.Equal("0x", ours.GetProperty("returnValue").GetString());
        Assert.Equal(anvil.GetProperty("returnValue").GetString(), ours.GetProperty("returnValue").GetString());
        Assert.Equal(anvil.GetProperty("gas").GetInt64(), ours.GetProperty("gas").GetInt64());
        var lo = ours.GetProperty("structLogs").EnumerateArray().ToArray();
        var la = anvil.GetProperty("structLogs").EnumerateArray().ToArray();
        Assert.Equal(la.Length, lo.Length);
        for (int i = 0; i < lo.Length; i++)
        {
            Assert.Equal(la[i].GetProperty("op").GetString(), lo[i].GetProperty("op").GetString());
            Assert.Equal(la[i].GetProperty("gasCost").GetInt64(), lo[i].GetProperty("gasCost").GetInt64());
            Assert.Equal(la[i].GetProperty("stack").ToString(), lo[i].GetProperty("stack").ToString());
            Assert.Equal(la[i].GetProperty("memory").GetArrayLength(), lo[i].GetProperty("memory").GetArrayLength());
            if (la[i].TryGetProperty("storage", out var sa))
            {
                // geth writes storage words without 0x (anvil with it); the values must agree, the empty slot 1 as a zero word.
                var so = lo[i].GetProperty("storage");
                Assert.Equal(sa.EnumerateObject().Select(p => (Norm(p.Name), Norm(p.Value.GetString()!))),
                             so.EnumerateObject().Select(p => (Norm(p.Name), Norm(p.Value.GetString()!))));
            }
        }
        var lastSload = lo.Last(l => l.GetProperty("op").GetString() == "SLOAD");
        Assert.Equal(new string('0', 64), lastSload.GetProperty("storage").GetProperty(new string('0', 63) + "1").GetString());

        // Memory words: init code storing 0x2a and returning it.
        var m = Result(await f.OursAsync("debug_traceCall", new { from, data = "0x602a60005260206000f3" }, "latest", new { enableMemory = true }));
        var ma = Result(await f.AnvilAsync("debug_traceCall", new { from, data = "0x602a60005260206000f3" }, "latest", new { enableMemory = true }));
        Assert.Equal(ma.GetProperty("returnValue").GetString(), m.GetProperty("returnValue").GetString());
        var steps = m.GetProperty("structLogs").EnumerateArray().ToArray();
        var stepsA = ma.GetProperty("structLogs").EnumerateArray().ToArray();
        for (int i = 0; i < steps.Length; i++)
            Assert.Equal(stepsA[i].GetProperty("memory").EnumerateArray().Select(w => Norm(w.GetString()!)), steps[i].GetProperty("memory").EnumerateArray().Select(w => w.GetString()));

        // Memory capture is bounded: init code that grows memory to 1 MiB (PUSH3 0x0fffe0 MLOAD POP) and then loops
        // (JUMPDEST PUSH1 6 JUMP) copies 1 MiB per step, so the 64 MiB limit trips long before the gas runs out.
        var big = await f.OursAsync("debug_traceCall", new { from, data = "0x620fffe051505b600656", gas = "0x2dc6c0" }, "latest", new { enableMemory = true });
        var (code, message) = Error(big);
        Assert.Equal(-32005, code);
        Assert.Contains("memory capture exceeds 67108864 bytes", message);
        // Without memory the same call traces (it ends out of gas).
        var plain = Result(await f.OursAsync("debug_traceCall", new { from, data = "0x620fffe051505b600656", gas = "0x2dc6c0" }, "latest", new { disableStack = true, limit = 10 }));
        Assert.True(plain.GetProperty("failed").GetBoolean());
        Assert.Equal(10, plain.GetProperty("structLogs").GetArrayLength());
    }

    [Fact]
    public async Task TraceBlockByNumberAndHash_GiveOneResultPerTransaction_AsAnvil()
    {
        var from = f.Accounts[3].Address.ToString();
        var r = await f.SendAsync(f.Node.RpcUrl, new { from, to = "0x0000000000000000000000000000000000000b0c", value = "0x1" });
        var ra = await f.SendAsync(f.AnvilUrl, new { from, to = "0x0000000000000000000000000000000000000b0c", value = "0x1" });
        var ours = Result(await f.OursAsync("debug_traceBlockByNumber", r.GetProperty("blockNumber").GetString(), new { tracer = "callTracer" }));
        var anvil = Result(await f.AnvilAsync("debug_traceBlockByNumber", ra.GetProperty("blockNumber").GetString(), new { tracer = "callTracer" }));
        var one = Assert.Single(ours.EnumerateArray());
        var oneA = Assert.Single(anvil.EnumerateArray());
        Assert.Equal(oneA.EnumerateObject().Select(p => p.Name).Order(), one.EnumerateObject().Select(p => p.Name).Order());
        Assert.Equal(r.GetProperty("transactionHash").GetString(), one.GetProperty("txHash").GetString());
        Assert.Equal(oneA.GetProperty("result").GetProperty("type").GetString(), one.GetProperty("result").GetProperty("type").GetString());
        Assert.Equal(oneA.GetProperty("result").GetProperty("gasUsed").GetString(), one.GetProperty("result").GetProperty("gasUsed").GetString());

        var byHash = Result(await f.OursAsync("debug_traceBlockByHash", r.GetProperty("blockHash").GetString(), new { tracer = "prestateTracer" }));
        Assert.Equal(r.GetProperty("transactionHash").GetString(), Assert.Single(byHash.EnumerateArray()).GetProperty("txHash").GetString());
        var missing = await f.OursAsync("debug_traceBlockByNumber", "0xffffff");
        Assert.Equal(-32000, Error(missing).Code);
        var badTracer = await f.OursAsync("debug_traceBlockByNumber", "latest", new { tracer = "nope" });
        Assert.Equal(-32602, Error(badTracer).Code);
    }
}
