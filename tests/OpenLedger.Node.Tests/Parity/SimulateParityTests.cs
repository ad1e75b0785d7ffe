using System.Text.Json;
using static OpenLedger.Node.Tests.Parity.DevParityFixture;

namespace OpenLedger.Node.Tests.Parity;

/// <summary>eth_createAccessList and eth_simulateV1 against anvil's answers to the same requests.</summary>
[Collection(DevParityCollection.Name)]
public sealed class SimulateParityTests(DevParityFixture f)
{
    [Fact]
    public async Task CreateAccessList_SameListAndGas_AsAnvil()
    {
        var (cOurs, cAnvil) = await f.DeployCounterAsync();
        var from = f.Accounts[0].Address.ToString();
        var ours = Result(await f.OursAsync("eth_createAccessList", new { from, to = cOurs }, "latest"));
        var anvil = Result(await f.AnvilAsync("eth_createAccessList", new { from, to = cAnvil }, "latest"));
        Assert.Equal(anvil.EnumerateObject().Select(p => p.Name), ours.EnumerateObject().Select(p => p.Name));
        Assert.Equal(anvil.GetProperty("gasUsed").GetString(), ours.GetProperty("gasUsed").GetString());
        var entry = Assert.Single(ours.GetProperty("accessList").EnumerateArray());
        var entryA = Assert.Single(anvil.GetProperty("accessList").EnumerateArray());
        Assert.Equal(cOurs, entry.GetProperty("address").GetString());
        Assert.Equal(entryA.GetProperty("storageKeys").ToString(), entry.GetProperty("storageKeys").ToString());

        // A reverting call: geth answers with the list, the gas and an "error" field (anvil 1.7.1 answers error 3 instead).
        var rOurs = Result(await f.OursAsync("eth_createAccessList", new { from, data = "0x60006000fd" }));
        Assert.Equal("execution reverted", rOurs.GetProperty("error").GetString());
        Assert.Empty(rOurs.GetProperty("accessList").EnumerateArray());
        Assert.Equal(3, Error(await f.AnvilAsync("eth_createAccessList", new { from, data = "0x60006000fd" })).Code);

        // A call that touches another contract: that address joins the list (the counter is called through a proxy here).
        var proxy = "0x000000000000000000000000000000000000bb01";
        // CALL(gas, counter, 0, 0, 0, 0, 0); STOP
        var proxyCode = "0x600060006000600060007f" + cOurs[2..].PadLeft(64, '0') + "5af100";
        var proxyCodeA = "0x600060006000600060007f" + cAnvil[2..].PadLeft(64, '0') + "5af100";
        Result(await f.OursAsync("anvil_setCode", proxy, proxyCode));
        Result(await f.AnvilAsync("anvil_setCode", proxy, proxyCodeA));
        var o = Result(await f.OursAsync("eth_createAccessList", new { from, to = proxy }, "latest"));
        var a = Result(await f.AnvilAsync("eth_createAccessList", new { from, to = proxy }, "latest"));
        // State overrides as the third argument (geth's; anvil 1.7.1 takes only two): the same answer with the code put there.
        var viaOverride = Result(await f.OursAsync("eth_createAccessList", new { from, to = "0x000000000000000000000000000000000000bb02" }, "latest",
            new Dictionary<string, object> { ["0x000000000000000000000000000000000000bb02"] = new { code = proxyCode } }));
        Assert.Equal(o.GetProperty("accessList").ToString(), viaOverride.GetProperty("accessList").ToString());
        Assert.Equal(a.GetProperty("gasUsed").GetString(), o.GetProperty("gasUsed").GetString());
        Assert.Equal(a.GetProperty("accessList").GetArrayLength(), o.GetProperty("accessList").GetArrayLength());
        Assert.Equal(cOurs, o.GetProperty("accessList")[0].GetProperty("address").GetString());
    }

    [Fact]
    public async Task SimulateV1_MultiBlock_Overrides_TraceTransfers_AndValidation_AsAnvil()
    {
        var from = "0x000000000000000000000000000000000000c0de";
        var contract = "0x000000000000000000000000000000000000c0c0";
        var to = "0x000000000000000000000000000000000000d0d0";
        var reverter = "0x000000000000000000000000000000000000dead";
        // MSTORE(0, 0x2a); LOG1(0, 32, topic 1); RETURN(0, 32).
        var runtime = "0x602a600052600160206000a160206000f3";
        object Request(bool validation) => new
        {
            blockStateCalls = new object[]
            {
                new
                {
                    blockOverrides = new { time = "0x70000000" },
                    stateOverrides = new Dictionary<string, object> { [from] = new { balance = "0xde0b6b3a7640000" }, [contract] = new { code = runtime }, [reverter] = new { code = "0x60006000fd" } },
                    calls = new object[] { new { from, to, value = "0x5" }, new { from, to = contract } },
                },
                new
                {
                    blockOverrides = new { baseFeePerGas = "0x0" },
                    calls = new object[] { new { from, to = contract, input = "0x" }, new { from, to = reverter } },
                },
            },
            traceTransfers = true,
            validation,
        };
        var ours = Result(await f.OursAsync("eth_simulateV1", Request(false), "latest"));
        var anvil = Result(await f.AnvilAsync("eth_simulateV1", Request(false), "latest"));
        var bo = ours.EnumerateArray().ToArray();
        var ba = anvil.EnumerateArray().ToArray();
        Assert.Equal(ba.Length, bo.Length);
        Assert.Equal(2, bo.Length);
        Assert.Equal(Q(bo[0].GetProperty("number")) + 1, Q(bo[1].GetProperty("number")));
        Assert.Equal("0x70000000", bo[0].GetProperty("timestamp").GetString());
        Assert.Equal(bo[0].GetProperty("hash").GetString(), bo[1].GetProperty("parentHash").GetString());
        for (int b = 0; b < 2; b++)
        {
            var co = bo[b].GetProperty("calls").EnumerateArray().ToArray();
            var ca = ba[b].GetProperty("calls").EnumerateArray().ToArray();
            Assert.Equal(ca.Length, co.Length);
            Assert.Equal(co.Length, bo[b].GetProperty("transactions").GetArrayLength());
            for (int i = 0; i < co.Length; i++)
            {
                foreach (var field in new[] { "returnData", "gasUsed", "status" })
                    Assert.Equal(ca[i].GetProperty(field).GetString(), co[i].GetProperty(field).GetString());
                var lo = co[i].GetProperty("logs").EnumerateArray().ToArray();
                var la = ca[i].GetProperty("logs").EnumerateArray().ToArray();
                Assert.Equal(la.Length, lo.Length);
                for (int l = 0; l < lo.Length; l++)
                {
                    Assert.Equal(la[l].GetProperty("address").GetString(), lo[l].GetProperty("address").GetString());
                    Assert.Equal(la[l].GetProperty("topics").ToString(), lo[l].GetProperty("topics").ToString());
                    Assert.Equal(la[l].GetProperty("data").GetString(), lo[l].GetProperty("data").GetString());
                }
                Assert.Equal(ca[i].TryGetProperty("error", out var ea), co[i].TryGetProperty("error", out var eo));
                // anvil 1.7.1 writes geth's errCodeReverted (-32000) as -3200 and says "execution failed" where geth says "execution reverted".
                if (ea.ValueKind == JsonValueKind.Object)
                {
                    int anvilCode = ea.GetProperty("code").GetInt32();
                    Assert.Equal(anvilCode == -3200 ? -32000 : anvilCode, eo.GetProperty("code").GetInt32());
                    Assert.Equal(anvilCode == -3200 ? "execution reverted" : ea.GetProperty("message").GetString(), eo.GetProperty("message").GetString());
                }
            }
        }
        // The value transfer shows as a Transfer log from 0xeeee…eeee.
        var transfer = bo[0].GetProperty("calls")[0].GetProperty("logs")[0];
        Assert.Equal("0xeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeee", transfer.GetProperty("address").GetString());
        Assert.Equal(-32000, bo[1].GetProperty("calls")[1].GetProperty("error").GetProperty("code").GetInt32()); // geth's errCodeReverted
        Assert.Equal("0x2a", "0x" + bo[0].GetProperty("calls")[1].GetProperty("returnData").GetString()!.TrimStart('0', 'x'));

        // A gap in block numbers is filled with empty blocks (ours; geth does the same).
        ulong head = Q(Result(await f.OursAsync("eth_blockNumber")));
        var gap = Result(await f.OursAsync("eth_simulateV1", new { blockStateCalls = new object[] { new { blockOverrides = new { number = "0x" + (head + 3).ToString("x") } } } }, "latest"));
        Assert.Equal(3, gap.GetArrayLength());
        Assert.Equal(head + 3, Q(gap[2].GetProperty("number")));

        // Validation: a wrong nonce is refused with geth's code (anvil 1.7.1 does not validate nonces here, nor block order below).
        var badNonce = new
        {
            blockStateCalls = new object[] { new { stateOverrides = new Dictionary<string, object> { [from] = new { balance = "0xde0b6b3a7640000" } }, calls = new object[] { new { from, to, nonce = "0x5" } } } },
            validation = true,
        };
        var (eo2, _) = await f.BothAsync("eth_simulateV1", badNonce, "latest");
        Assert.Equal((-38011, $"nonce too high: address {OpenLedger.Primitives.Address.Parse(from)}, tx: 5 state: 0"), Error(eo2));
        // Without validation the nonce is taken as given.
        var loose = Result(await f.OursAsync("eth_simulateV1", new { blockStateCalls = badNonce.blockStateCalls }, "latest"));
        Assert.Equal("0x1", loose[0].GetProperty("calls")[0].GetProperty("status").GetString());

        // Block numbers must increase: -38020 on both.
        var backwards = new { blockStateCalls = new object[] { new { blockOverrides = new { number = "0x1" } } } };
        Assert.Equal(-38020, Error(await f.OursAsync("eth_simulateV1", backwards, "latest")).Code);

        // Bad input names the field.
        var bad = await f.OursAsync("eth_simulateV1", new { blockStateCalls = "no" }, "latest");
        Assert.Equal(-32602, Error(bad).Code);
    }
}
