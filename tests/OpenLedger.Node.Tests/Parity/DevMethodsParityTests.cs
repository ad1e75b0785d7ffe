using System.Text.Json;
using OpenLedger.Tests.Shared;
using Xunit.Abstractions;
using static OpenLedger.Node.Tests.Parity.DevParityFixture;

namespace OpenLedger.Node.Tests.Parity;

/// <summary>The devnet's dev methods answer as anvil's do (values, result types, error codes and texts).</summary>
[Collection(DevParityCollection.Name)]
public sealed class DevMethodsParityTests(DevParityFixture f, ITestOutputHelper log)
{
    private async Task<ulong> HeadTimestamp(string url) =>
        Q(Result((await f.PostAsync(url, "eth_getBlockByNumber", "latest", false)).Json).GetProperty("timestamp"));

    private async Task<ulong> BlockNumber(string url) => Q(Result((await f.PostAsync(url, "eth_blockNumber")).Json));

    [Fact]
    public async Task Clock_IncreaseTime_SetNextBlockTimestamp_AndMining_MatchAnvil()
    {
        // evm_increaseTime returns the total offset as a JSON number on both; a hex argument works too.
        var (ours, anvil) = await f.BothAsync("evm_increaseTime", 0);
        long baseOurs = Result(ours).GetInt64(), baseAnvil = Result(anvil).GetInt64();
        (ours, anvil) = await f.BothAsync("evm_increaseTime", "0x3c");
        Assert.Equal(JsonValueKind.Number, Result(ours).ValueKind);
        Assert.Equal(baseOurs + 60, Result(ours).GetInt64());
        Assert.Equal(baseAnvil + 60, Result(anvil).GetInt64());

        // A day forward: the next block is at least a day past wall time (what reward claims after a challenge window need).
        ulong now = (ulong)DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        await f.BothAsync("evm_increaseTime", 86_400);
        (ours, anvil) = await f.BothAsync("evm_mine");
        Assert.Equal("0x0", Result(ours).GetString());
        Assert.Equal(Result(anvil).GetString(), Result(ours).GetString());
        Assert.True(await HeadTimestamp(f.Node.RpcUrl) >= now + 86_400);
        Assert.True(await HeadTimestamp(f.AnvilUrl) >= now + 86_400);

        // An exact next timestamp, then later blocks continue from it.
        ulong target = Math.Max(await HeadTimestamp(f.Node.RpcUrl), await HeadTimestamp(f.AnvilUrl)) + 1000;
        (ours, anvil) = await f.BothAsync("evm_setNextBlockTimestamp", target);
        Assert.Equal(JsonValueKind.Null, Result(ours).ValueKind);
        Assert.Equal(Result(anvil).ValueKind, Result(ours).ValueKind);
        await f.BothAsync("evm_mine");
        Assert.Equal(target, await HeadTimestamp(f.Node.RpcUrl));
        Assert.Equal(target, await HeadTimestamp(f.AnvilUrl));
        await f.BothAsync("evm_mine");
        Assert.InRange(await HeadTimestamp(f.Node.RpcUrl), target + 1, target + 30);

        // evm_mine with a timestamp argument.
        (ours, anvil) = await f.BothAsync("evm_mine", target + 5000);
        Assert.Equal(target + 5000, await HeadTimestamp(f.Node.RpcUrl));
        Assert.Equal(target + 5000, await HeadTimestamp(f.AnvilUrl));

        // A timestamp in the past: -32602 on both, anvil's words.
        (ours, anvil) = await f.BothAsync("evm_setNextBlockTimestamp", 5);
        Assert.Equal(Error(anvil), Error(ours));

        // anvil_mine: N blocks, null result; with an interval the timestamps step by it.
        ulong n0 = await BlockNumber(f.Node.RpcUrl), a0 = await BlockNumber(f.AnvilUrl);
        (ours, anvil) = await f.BothAsync("anvil_mine", "0x3");
        Assert.Equal(JsonValueKind.Null, Result(ours).ValueKind);
        Assert.Equal(Result(anvil).ValueKind, Result(ours).ValueKind);
        Assert.Equal(n0 + 3, await BlockNumber(f.Node.RpcUrl));
        Assert.Equal(a0 + 3, await BlockNumber(f.AnvilUrl));
        foreach (var url in new[] { f.Node.RpcUrl, f.AnvilUrl })
        {
            Result((await f.PostAsync(url, "anvil_mine", "0x2", "0x64")).Json);
            ulong head = await BlockNumber(url);
            var last = Result((await f.PostAsync(url, "eth_getBlockByNumber", "0x" + head.ToString("x"), false)).Json);
            var before = Result((await f.PostAsync(url, "eth_getBlockByNumber", "0x" + (head - 1).ToString("x"), false)).Json);
            Assert.Equal(100UL, Q(last.GetProperty("timestamp")) - Q(before.GetProperty("timestamp")));
        }

        var bad = await f.OursAsync("evm_increaseTime", "soon");
        Assert.Equal(-32602, Error(bad).Code);
    }

    [Fact]
    public async Task SnapshotAndRevert_RewindHeadStateAndReceipts_AsAnvil()
    {
        var from = f.Accounts[1].Address.ToString();
        var to = "0x00000000000000000000000000000000000fee01";
        var (ours, anvil) = await f.BothAsync("evm_snapshot");
        string idOurs = Result(ours).GetString()!, idAnvil = Result(anvil).GetString()!;
        Assert.StartsWith("0x", idOurs);
        Assert.StartsWith("0x", idAnvil);
        ulong nOurs = await BlockNumber(f.Node.RpcUrl), nAnvil = await BlockNumber(f.AnvilUrl);

        var rOurs = await f.SendAsync(f.Node.RpcUrl, new { from, to, value = "0x1234" });
        var rAnvil = await f.SendAsync(f.AnvilUrl, new { from, to, value = "0x1234" });
        Assert.Equal("0x1234", Result(await f.OursAsync("eth_getBalance", to, "latest")).GetString());

        ours = await f.OursAsync("evm_revert", idOurs);
        anvil = await f.AnvilAsync("evm_revert", idAnvil);
        Assert.True(Result(ours).GetBoolean());
        Assert.True(Result(anvil).GetBoolean());
        Assert.Equal(nOurs, await BlockNumber(f.Node.RpcUrl));
        Assert.Equal(nAnvil, await BlockNumber(f.AnvilUrl));
        (ours, anvil) = await f.BothAsync("eth_getBalance", to, "latest");
        Assert.Equal("0x0", Result(ours).GetString());
        Assert.Equal(Result(anvil).GetString(), Result(ours).GetString());
        Assert.Equal(JsonValueKind.Null, Result(await f.OursAsync("eth_getTransactionReceipt", rOurs.GetProperty("transactionHash").GetString())).ValueKind);
        Assert.Equal(JsonValueKind.Null, Result(await f.AnvilAsync("eth_getTransactionReceipt", rAnvil.GetProperty("transactionHash").GetString())).ValueKind);

        // The same id again, or one never issued: false on both.
        Assert.False(Result(await f.OursAsync("evm_revert", idOurs)).GetBoolean());
        Assert.False(Result(await f.AnvilAsync("evm_revert", idAnvil)).GetBoolean());
        (ours, anvil) = await f.BothAsync("evm_revert", "0x999");
        Assert.Equal(Result(anvil).GetBoolean(), Result(ours).GetBoolean());

        // The chain goes on from the snapshot's block: the sender's nonce is back and a new transaction is mined there.
        var again = await f.SendAsync(f.Node.RpcUrl, new { from, to, value = "0x1" });
        Assert.Equal(nOurs + 1, Q(again.GetProperty("blockNumber")));
    }

    [Fact]
    public async Task StateEdits_SetBalanceCodeNonceStorage_ReadBackAsOnAnvil()
    {
        var target = "0x00000000000000000000000000000000000ed175";
        var (ours, anvil) = await f.BothAsync("anvil_setBalance", target, "0xde0b6b3a7640000");
        Assert.Equal(Result(anvil).ValueKind, Result(ours).ValueKind);
        (ours, anvil) = await f.BothAsync("anvil_setCode", target, "0x" + CounterRuntime);
        Assert.Equal(Result(anvil).ValueKind, Result(ours).ValueKind);
        (ours, anvil) = await f.BothAsync("anvil_setNonce", target, "0x7");
        Assert.Equal(Result(anvil).ValueKind, Result(ours).ValueKind);
        (ours, anvil) = await f.BothAsync("anvil_setStorageAt", target, "0x0", "0x0000000000000000000000000000000000000000000000000000000000000029");
        Assert.True(Result(ours).GetBoolean());
        Assert.Equal(Result(anvil).GetBoolean(), Result(ours).GetBoolean());

        foreach (var (method, args) in new (string, object[])[]
                 {
                     ("eth_getBalance", [target, "latest"]), ("eth_getCode", [target, "latest"]),
                     ("eth_getTransactionCount", [target, "latest"]), ("eth_getStorageAt", [target, "0x0", "latest"]),
                 })
        {
            (ours, anvil) = await f.BothAsync(method, args);
            Assert.Equal(Result(anvil).GetString(), Result(ours).GetString());
        }
        // The edited code runs on the edited storage: one call bumps 0x29 to 0x2a on both.
        var from = f.Accounts[2].Address.ToString();
        await f.SendAsync(f.Node.RpcUrl, new { from, to = target });
        await f.SendAsync(f.AnvilUrl, new { from, to = target });
        (ours, anvil) = await f.BothAsync("eth_getStorageAt", target, "0x0", "latest");
        Assert.EndsWith("2a", Result(ours).GetString());
        Assert.Equal(Result(anvil).GetString(), Result(ours).GetString());

        var bad = await f.OursAsync("anvil_setBalance", "0x1234", "0x1");
        Assert.Equal(-32602, Error(bad).Code);
        bad = await f.OursAsync("anvil_setStorageAt", target, "0x0", "0x" + new string('1', 66));
        Assert.Equal(-32602, Error(bad).Code);
    }

    [Fact]
    public async Task Impersonation_SendTransactionAndAccounts_AsAnvil_AndCastUnlockedWorks()
    {
        var whale = "0x000000000000000000000000000000000000a11c";
        var to = "0x000000000000000000000000000000000000b0b0";
        await f.BothAsync("anvil_setBalance", whale, "0xde0b6b3a7640000");

        // Before impersonation: refused by both (texts differ: geth's "unknown account" here).
        var (ours, anvil) = await f.BothAsync("eth_sendTransaction", new { from = whale, to, value = "0x1" });
        Assert.Equal(-32000, Error(ours).Code);
        Assert.Equal("unknown account", Error(ours).Message);
        Assert.True(anvil.TryGetProperty("error", out _));

        (ours, anvil) = await f.BothAsync("anvil_impersonateAccount", whale);
        Assert.Equal(Result(anvil).ValueKind, Result(ours).ValueKind);
        (ours, anvil) = await f.BothAsync("eth_accounts");
        var oursAccounts = Result(ours).EnumerateArray().Select(a => a.GetString()).ToArray();
        Assert.Equal(Result(anvil).EnumerateArray().Select(a => a.GetString()).ToArray(), oursAccounts);
        Assert.Contains(whale, oursAccounts);

        var rOurs = await f.SendAsync(f.Node.RpcUrl, new { from = whale, to, value = "0x10" });
        var rAnvil = await f.SendAsync(f.AnvilUrl, new { from = whale, to, value = "0x10" });
        Assert.Equal("0x1", rOurs.GetProperty("status").GetString());
        Assert.Equal(rAnvil.GetProperty("from").GetString(), rOurs.GetProperty("from").GetString());
        Assert.Equal(rAnvil.GetProperty("gasUsed").GetString(), rOurs.GetProperty("gasUsed").GetString());
        var txOurs = Result(await f.OursAsync("eth_getTransactionByHash", rOurs.GetProperty("transactionHash").GetString()));
        Assert.Equal(whale, txOurs.GetProperty("from").GetString());

        // cast send --unlocked, as scripts written for anvil do it.
        var (code, output) = await Node.Tests.L2.L2NodeFixture.RunToolAsync(TestPaths.FoundryTool("cast"),
            ["send", "--unlocked", "--from", whale, to, "--value", "7", "--rpc-url", f.Node.RpcUrl], TimeSpan.FromMinutes(1));
        log.WriteLine(output);
        Assert.True(code == 0, "cast send --unlocked failed:\n" + output);
        Assert.Equal("0x17", Result(await f.OursAsync("eth_getBalance", to, "latest")).GetString());

        (ours, anvil) = await f.BothAsync("anvil_stopImpersonatingAccount", whale);
        Assert.Equal(Result(anvil).ValueKind, Result(ours).ValueKind);
        Assert.Equal(-32000, Error(await f.OursAsync("eth_sendTransaction", new { from = whale, to, value = "0x1" })).Code);
        Assert.DoesNotContain(whale, Result(await f.OursAsync("eth_accounts")).EnumerateArray().Select(a => a.GetString()));
    }
}
