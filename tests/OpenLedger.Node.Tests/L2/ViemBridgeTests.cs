using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using Nethereum.JsonRpc.Client;
using OpenLedger.Node.Devnet;
using OpenLedger.Node.Tests;
using OpenLedger.Primitives;
using OpenLedger.Rollup.Outputs;
using Xunit.Abstractions;

namespace OpenLedger.Node.Tests.L2;

/// <summary>A bridge network with short windows (an output every 4 L2 blocks, a 4-second finalization period) and the proposer running.</summary>
public sealed class ShortWindowBridge : IAsyncLifetime
{
    private const long L1ChainId = 31342;
    private readonly CancellationTokenSource _stop = new();
    private Task _proposing = Task.CompletedTask;
    public BridgeNet Net { get; private set; } = null!;
    public ProposerService Proposer { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Net = await BridgeNet.StartAsync(L1ChainId, submissionInterval: 4, finalizationPeriod: 4, resolutionPeriod: 3);
        var oracle = new OutputOracleClient(Net.L1Client, Net.Addr("L2OutputOracle"), Net.Sender(Hex.Decode(DevnetBridge.ProposerKey)));
        Proposer = new ProposerService(oracle, new L2OutputSource(new RpcClient(new Uri(Net.Node.RpcUrl)), "latest"), NullLogger.Instance)
        {
            PollInterval = TimeSpan.FromMilliseconds(500),
        };
        _proposing = Task.Run(() => Proposer.RunAsync(_stop.Token));
    }

    public async Task DisposeAsync()
    {
        await _stop.CancelAsync();
        await _proposing;
        if (Net is not null) await Net.DisposeAsync();
        _stop.Dispose();
    }
}

/// <summary>
/// Clients we did not write and our own CLI against our contracts and node: viem's OP Stack actions
/// (tests/js/op-bridge-e2e.mjs) and `openledger bridge`: deposit OPEN on L1, spend it as gas on L2, withdraw, wait for
/// the proposer's output, prove, finalize, OPEN back on L1 exactly. The CLI runs in-process (Console collection).
/// </summary>
[Collection("Console")]
public sealed class ViemBridgeTests(ShortWindowBridge bridge, ITestOutputHelper log) : IClassFixture<ShortWindowBridge>
{
    private const long L1ChainId = 31342;
    private static readonly UInt256 Open = new(1_000_000_000_000_000_000);

    [Fact]
    public async Task ViemOpStackActions_DepositWithdrawProveFinalize_ReturnOpenExactly()
    {
        var net = bridge.Net;
        var proposer = bridge.Proposer;
        var escrowBefore = await EscrowedAsync(net);
        {
            var (code, output) = await L2NodeFixture.RunToolAsync("node",
                [Path.Combine("tests", "js", "op-bridge-e2e.mjs"), net.Anvil.RpcUrl, net.Node.RpcUrl, L1ChainId.ToString(CultureInfo.InvariantCulture),
                 net.Node.Chain.Config.ChainId.ToString(CultureInfo.InvariantCulture), net.Addr("OpenPortal").ToString(), net.Addr("L2OutputOracle").ToString(),
                 net.Addr("OpenToken").ToString(), ContractDeployer.AnvilDevKey0], TimeSpan.FromMinutes(4));
            log.WriteLine(output);
            Assert.True(code == 0, output);
            var result = JsonDocument.Parse(output.Trim().Split('\n')[^1]).RootElement;
            Assert.True(result.GetProperty("ok").GetBoolean());
            // Escrow = minted by deposits − released by withdrawals: 40 − 15 OPEN more than before.
            Assert.Equal((escrowBefore + new UInt256(25) * Open).ToBigInteger().ToString(), result.GetProperty("escrowed").GetString());
            Assert.True(proposer.Proposed > 0);
        }
    }

    private static async Task<UInt256> EscrowedAsync(BridgeNet net) => (await new Rollup.Bridge.BridgeClient(net.L1Client, null, net.Addr("OpenPortal")).EscrowAsync()).Escrowed;

    private static (int Code, string Out, string Err) Cli(params string[] args) => CliRunner.Run(args);

    [Fact]
    public async Task BridgeCli_DepositWithdrawProveFinalizeStatus_ReturnOpenExactly()
    {
        var net = bridge.Net;
        var user = BridgeNet.Accounts[6];
        var key = Hex.Encode(user.Key);
        string l1 = net.Anvil.RpcUrl, l2 = net.Node.RpcUrl, portal = net.Addr("OpenPortal").ToString();
        await net.Sender(BridgeNet.Accounts[0].Key).SendAsync(net.Addr("OpenToken"), Primitives.Abi.AbiFunction.FromSignature("transfer(address,uint256)").EncodeCall(user.Address, Open * new UInt256(10)), default);
        var l1Start = await TokenBalanceAsync(net, user.Address);
        var escrowStart = await EscrowedAsync(net);

        // Bad input is refused with a clear error and the usage exit code.
        var bad = Cli("bridge", "deposit", "--l1-rpc", l1, "--portal", portal, "--private-key", key, "--amount", "1.0000000000000000001");
        Assert.Equal(2, bad.Code);
        Assert.Contains("at most 18 decimals", bad.Err);
        Assert.Equal(2, Cli("bridge", "deposit", "--l1-rpc", l1, "--portal", "0x12", "--private-key", key, "--amount", "1").Code);

        // Deposit 2.5 OPEN: escrowed on L1, minted on L2 (the printed L2 deposit transaction succeeds).
        var l2Before = await L2BalanceAsync(net, user.Address);
        var dep = Cli("bridge", "deposit", "--l1-rpc", l1, "--portal", portal, "--private-key", key, "--amount", "2.5");
        Assert.True(dep.Code == 0, dep.Err);
        var depositL2 = Hash256.Parse(dep.Out.Trim().Split(' ')[^1]);
        await WaitAsync(async () => await ReceiptStatusAsync(net, depositL2) == "0x1", "the deposit on L2");
        Assert.Equal(l2Before + Open * new UInt256(5) / new UInt256(2), await L2BalanceAsync(net, user.Address));

        // Withdraw 1 OPEN; wait for an output to cover it; prove; wait the period; finalize.
        var wd = Cli("bridge", "withdraw", "--l1-rpc", l1, "--l2-rpc", l2, "--portal", portal, "--private-key", key, "--amount", "1");
        Assert.True(wd.Code == 0, wd.Err);
        var withdrawTx = wd.Out.Split("tx ")[1].Split(',')[0];
        var status = () => Cli("bridge", "status", "--l1-rpc", l1, "--l2-rpc", l2, "--portal", portal, "--tx", withdrawTx).Out.Trim();
        await WaitAsync(() => Task.FromResult(status() == "ready-to-prove"), "an output covering the withdrawal");
        var early = Cli("bridge", "finalize", "--l1-rpc", l1, "--l2-rpc", l2, "--portal", portal, "--private-key", key, "--tx", withdrawTx);
        Assert.Equal(1, early.Code); // not proven yet: the portal refuses, the CLI says so
        Assert.Contains("revert", early.Err);
        var prove = Cli("bridge", "prove", "--l1-rpc", l1, "--l2-rpc", l2, "--portal", portal, "--private-key", key, "--tx", withdrawTx);
        Assert.True(prove.Code == 0, prove.Err);
        await WaitAsync(() => Task.FromResult(status() == "ready-to-finalize"), "the finalization period");
        var fin = Cli("bridge", "finalize", "--l1-rpc", l1, "--l2-rpc", l2, "--portal", portal, "--private-key", key, "--tx", withdrawTx);
        Assert.True(fin.Code == 0, fin.Err);
        Assert.Equal("finalized", status());
        Assert.Equal(1, Cli("bridge", "finalize", "--l1-rpc", l1, "--l2-rpc", l2, "--portal", portal, "--private-key", key, "--tx", withdrawTx).Code); // no replay

        // OPEN on L1: −2.5 deposited, +1 withdrawn; the portal's escrow moved by exactly 1.5; the escrow check holds.
        Assert.Equal(l1Start - Open * new UInt256(5) / new UInt256(2) + Open, await TokenBalanceAsync(net, user.Address));
        Assert.Equal(escrowStart + Open * new UInt256(3) / new UInt256(2), await EscrowedAsync(net));
        var escrow = Cli("bridge", "status", "--l1-rpc", l1, "--l2-rpc", l2, "--portal", portal);
        Assert.True(escrow.Code == 0, escrow.Err);
        Assert.Contains("escrow invariant holds", escrow.Out);
        Assert.Contains("withdrawn on L2 (MessagePassed)", escrow.Out);
        Assert.Contains(" deposits ", escrow.Out); // the L2's mints summed from its blocks, equal to the portal's deposits up to its L1 origin
        Assert.Contains("in flight: deposits not yet on L2", escrow.Out);
        log.WriteLine(escrow.Out);

        // The guardian (the timelock, impersonated on anvil) pauses the portal: the CLI refuses with the reason and shows it.
        var timelock = net.Addr("TimelockController").ToString();
        await net.L1Client.SendRequestAsync<object>(new RpcRequest(1, "anvil_impersonateAccount", timelock));
        await net.L1Client.SendRequestAsync<object>(new RpcRequest(2, "anvil_setBalance", timelock, "0x56bc75e2d63100000"));
        var pauseTx = await net.L1Client.SendRequestAsync<string>(new RpcRequest(3, "eth_sendTransaction", new Dictionary<string, object> { ["from"] = timelock, ["to"] = portal, ["data"] = "0x8456cb59" })); // pause()
        await WaitAsync(async () => (await net.L1Client.SendRequestAsync<Newtonsoft.Json.Linq.JToken?>(new RpcRequest(4, "eth_getTransactionReceipt", pauseTx)))?.Type == Newtonsoft.Json.Linq.JTokenType.Object, "the pause");
        var paused = Cli("bridge", "deposit", "--l1-rpc", l1, "--portal", portal, "--private-key", key, "--amount", "1");
        Assert.Equal(1, paused.Code);
        Assert.Contains("paused by its guardian", paused.Err);
        Assert.Contains("PAUSED", Cli("bridge", "status", "--l1-rpc", l1, "--portal", portal).Out);
        // Unpaused again: the other test on this network may run after this one.
        var unpauseTx = await net.L1Client.SendRequestAsync<string>(new RpcRequest(5, "eth_sendTransaction", new Dictionary<string, object> { ["from"] = timelock, ["to"] = portal, ["data"] = "0x3f4ba83a" })); // unpause()
        await WaitAsync(async () => (await net.L1Client.SendRequestAsync<Newtonsoft.Json.Linq.JToken?>(new RpcRequest(6, "eth_getTransactionReceipt", unpauseTx)))?.Type == Newtonsoft.Json.Linq.JTokenType.Object, "the unpause");
        Assert.Equal(l1Start - Open * new UInt256(5) / new UInt256(2) + Open, await TokenBalanceAsync(net, user.Address));
    }

    private static async Task<UInt256> TokenBalanceAsync(BridgeNet net, Address who)
    {
        var f = Primitives.Abi.AbiFunction.FromSignature("balanceOf(address)", "(uint256)");
        var hex = await net.L1Client.SendRequestAsync<string>(new RpcRequest(1, "eth_call", new Dictionary<string, object> { ["to"] = net.Addr("OpenToken").ToString(), ["data"] = Hex.Encode(f.EncodeCall(who)) }, "latest"));
        return (UInt256)f.DecodeOutput(Hex.Decode(hex))[0]!;
    }

    private static async Task<UInt256> L2BalanceAsync(BridgeNet net, Address who) =>
        UInt256.Parse(await new RpcClient(new Uri(net.Node.RpcUrl)).SendRequestAsync<string>(new RpcRequest(1, "eth_getBalance", who.ToString(), "latest")));

    private static async Task<string?> ReceiptStatusAsync(BridgeNet net, Hash256 tx)
    {
        var r = await new RpcClient(new Uri(net.Node.RpcUrl)).SendRequestAsync<Newtonsoft.Json.Linq.JToken?>(new RpcRequest(1, "eth_getTransactionReceipt", tx.ToString()));
        return r?.Type == Newtonsoft.Json.Linq.JTokenType.Object ? r["status"]?.ToString() : null;
    }

    private static async Task WaitAsync(Func<Task<bool>> done, string what)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(90);
        while (!await done())
        {
            Assert.True(DateTime.UtcNow < deadline, $"timed out waiting for {what}");
            await Task.Delay(300);
        }
    }
}
