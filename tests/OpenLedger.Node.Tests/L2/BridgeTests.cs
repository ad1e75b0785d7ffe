using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using Nethereum.JsonRpc.Client;
using OpenLedger.Chain.Rollup;
using OpenLedger.Node.Devnet;
using OpenLedger.Node.Hosting;
using OpenLedger.Node.L1;
using OpenLedger.Primitives;
using OpenLedger.Primitives.Abi;
using OpenLedger.Primitives.Transactions;
using OpenLedger.Rollup.Batcher;
using OpenLedger.Rollup.L1;
using OpenLedger.Rollup.Outputs;
using OpenLedger.Tests.Shared;
using Xunit.Abstractions;

namespace OpenLedger.Node.Tests.L2;

/// <summary>
/// The bridge against real parts: anvil as L1 with DeployL1 (token, staking, L2OutputOracle, OpenPortal; short windows),
/// our rollup node reading the portal's logs through Nethereum. Deposits of OPEN mint on L2 (a failing one keeps its
/// mint and bumps the nonce), the proposer posts the node's output roots, and a wrong root proposed on purpose is
/// challenged by the challenger service and slashed, with balances checked exactly.
/// </summary>
public sealed class BridgeTests(ITestOutputHelper log) : IAsyncLifetime
{
    // A chain id of its own, so the deployments file never collides with a developer's devnet or another test.
    private const long L1ChainId = 31341;
    private static readonly IReadOnlyList<(Address Address, byte[] Key)> Accounts = DevnetGenesis.Create(0).Accounts;
    private static readonly UInt256 Open = new(1_000_000_000_000_000_000);

    private BridgeNet _net = null!;
    private AnvilProcess _anvil = null!;
    private NodeHost _node = null!;
    private RpcClient _l1Client = null!;
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(60) };

    public async Task InitializeAsync()
    {
        // A challenge window long enough for the challenger to act in, a guardian deadline short enough to pass.
        _net = await BridgeNet.StartAsync(L1ChainId, submissionInterval: 4, finalizationPeriod: 60, resolutionPeriod: 3);
        (_anvil, _node, _l1Client) = (_net.Anvil, _net.Node, _net.L1Client);
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _net.DisposeAsync();
    }

    private Address Addr(string name) => _net.Addr(name);

    private L1TxSender Sender(byte[] key) => _net.Sender(key);

    private async Task<JsonElement> L2Async(string method, params object?[] args)
    {
        using var content = new StringContent(JsonSerializer.Serialize(new { jsonrpc = "2.0", id = 1, method, @params = args }), Encoding.UTF8);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        using var resp = await _http.PostAsync(_node.RpcUrl, content);
        var r = JsonDocument.Parse(await resp.Content.ReadAsStringAsync()).RootElement.Clone();
        Assert.False(r.TryGetProperty("error", out var err), $"{method}: {err}");
        return r.GetProperty("result");
    }

    private async Task<UInt256> L1CallUintAsync(Address to, string signature, params object?[] args)
    {
        var f = AbiFunction.FromSignature(signature, "(uint256)");
        var hex = await _l1Client.SendRequestAsync<string>(new RpcRequest(1, "eth_call", new Dictionary<string, object> { ["to"] = to.ToString(), ["data"] = Hex.Encode(f.EncodeCall(args)) }, "latest"));
        return (UInt256)f.DecodeOutput(Hex.Decode(hex))[0]!;
    }

    private Task<UInt256> TokenBalanceAsync(Address who) => L1CallUintAsync(Addr("OpenToken"), "balanceOf(address)", who);

    private async Task<UInt256> L2BalanceAsync(Address who) => UInt256.Parse((await L2Async("eth_getBalance", who.ToString(), "latest")).GetString()!);

    private static async Task WaitUntilAsync(Func<Task<bool>> done, string what, int seconds = 60)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(seconds);
        while (!await done())
        {
            Assert.True(DateTime.UtcNow < deadline, $"timed out waiting for {what}");
            await Task.Delay(200);
        }
    }

    /// <summary>The user deposits of the L1 block a deposit was mined in, decoded as the sequencer decodes them.</summary>
    private async Task<(List<Primitives.Transactions.Transaction> Deposits, IReadOnlyList<L1DepositLog> Logs)> DepositsInL1BlockAsync(ulong number)
    {
        var block = await new NethereumL1Source(_anvil.RpcUrl).GetBlockAsync(number, default);
        var logs = await new RpcDepositLogSource(_l1Client, Addr("OpenPortal")).GetDepositLogsAsync(block!.Hash, default);
        return (DepositLog.ToDeposits(logs), logs);
    }

    private static readonly AbiFunction Transfer = AbiFunction.FromSignature("transfer(address,uint256)");
    private static readonly AbiFunction Approve = AbiFunction.FromSignature("approve(address,uint256)");
    private static readonly AbiFunction DepositErc20 = AbiFunction.FromSignature("depositERC20Transaction(address,uint256,uint256,uint64,bool,bytes)");

    [Fact]
    public async Task DepositOpen_MintsOnL2_FailedDepositKeepsMint_AndOutputsAreProposedAndWrongOnesSlashed()
    {
        var user = Accounts[7];
        var deployer = Sender(Accounts[0].Key);
        var userSender = Sender(user.Key);
        var portal = Addr("OpenPortal");
        await deployer.SendAsync(Addr("OpenToken"), Transfer.EncodeCall(user.Address, Open * new UInt256(100)), default);
        await userSender.SendAsync(Addr("OpenToken"), Approve.EncodeCall(portal, Open * new UInt256(100)), default);

        // 1. A deposit of 25 OPEN to ourselves: the L2 balance grows by exactly the mint (deposits pay no L2 fees).
        var before = await L2BalanceAsync(user.Address);
        var mint = Open * new UInt256(25);
        ulong l1Block = await userSender.SendAsync(portal, DepositErc20.EncodeCall(user.Address, mint, UInt256.Zero, 100_000UL, false, Array.Empty<byte>()), default);
        Assert.Equal(mint, await L1CallUintAsync(portal, "escrowed()"));
        var (deposits, logs) = await DepositsInL1BlockAsync(l1Block);
        var deposit = Assert.Single(deposits);
        var depositLog = Assert.Single(logs);
        Assert.Equal(user.Address, deposit.DepositFrom);
        Assert.Equal(mint, deposit.Mint);
        await WaitUntilAsync(async () => (await L2Async("eth_getTransactionReceipt", deposit.Hash.ToString())).ValueKind == JsonValueKind.Object, "the deposit on L2");
        var receipt = await L2Async("eth_getTransactionReceipt", deposit.Hash.ToString());
        Assert.Equal("0x1", receipt.GetProperty("status").GetString());
        var tx = await L2Async("eth_getTransactionByHash", deposit.Hash.ToString());
        Assert.Equal("0x7e", tx.GetProperty("type").GetString());
        // Source hash of domain 0 over the L1 block hash and the log's block-wide index (specs/protocol/deposits.md).
        Assert.Equal(DepositSource.UserDeposit(depositLog.BlockHash, depositLog.LogIndex).ToString(), tx.GetProperty("sourceHash").GetString());
        Assert.Equal(mint.ToHexString(), tx.GetProperty("mint").GetString());
        // After the L1 attributes deposit, in the first block of the epoch of that L1 block.
        Assert.Equal("0x1", receipt.GetProperty("transactionIndex").GetString());
        Assert.Equal(before + mint, await L2BalanceAsync(user.Address));

        // 2. A deposit whose value exceeds what the sender has on L2 fails: the mint stays, the nonce moves, the receipt says failed.
        var nonceBefore = (await L2Async("eth_getTransactionCount", user.Address.ToString(), "latest")).GetString();
        var balanceBefore = await L2BalanceAsync(user.Address);
        var mint2 = Open * new UInt256(3);
        ulong l1Block2 = await userSender.SendAsync(portal, DepositErc20.EncodeCall(Accounts[8].Address, mint2, Open * new UInt256(1_000_000), 100_000UL, false, Array.Empty<byte>()), default);
        var failing = Assert.Single((await DepositsInL1BlockAsync(l1Block2)).Deposits);
        await WaitUntilAsync(async () => (await L2Async("eth_getTransactionReceipt", failing.Hash.ToString())).ValueKind == JsonValueKind.Object, "the failing deposit on L2");
        Assert.Equal("0x0", (await L2Async("eth_getTransactionReceipt", failing.Hash.ToString())).GetProperty("status").GetString());
        Assert.Equal(balanceBefore + mint2, await L2BalanceAsync(user.Address));
        Assert.Equal(ulong.Parse(nonceBefore![2..], NumberStyles.HexNumber) + 1, ulong.Parse((await L2Async("eth_getTransactionCount", user.Address.ToString(), "latest")).GetString()![2..], NumberStyles.HexNumber));
        Assert.Equal(mint + mint2, await L1CallUintAsync(portal, "escrowed()"));

        // 3. The proposer posts the output of block 4 as our node computes it.
        var oracleAddress = Addr("L2OutputOracle");
        var l2Source = new L2OutputSource(new RpcClient(new Uri(_node.RpcUrl)), "latest");
        var proposerOracle = new OutputOracleClient(_l1Client, oracleAddress, Sender(Hex.Decode(DevnetBridge.ProposerKey)));
        var proposer = new ProposerService(proposerOracle, l2Source, NullLogger.Instance);
        await WaitUntilAsync(() => proposer.StepAsync(default), "the first proposal");
        var first = await proposerOracle.GetOutputAsync(0);
        Assert.Equal(4UL, first.L2BlockNumber);
        var rpcOutput = await L2Async("optimism_outputAtBlock", "0x4");
        Assert.Equal(rpcOutput.GetProperty("outputRoot").GetString(), first.OutputRoot.ToString());
        Assert.Equal(4, rpcOutput.GetProperty("blockRef").GetProperty("number").GetInt32());
        Assert.Equal(OutputRoot.ComputeV0(Hash256.Parse(rpcOutput.GetProperty("stateRoot").GetString()!), Hash256.Parse(rpcOutput.GetProperty("withdrawalStorageRoot").GetString()!),
            Hash256.Parse(rpcOutput.GetProperty("blockRef").GetProperty("hash").GetString()!)), first.OutputRoot);

        // 4. A wrong root for block 8, proposed on purpose: the challenger challenges it, the guardian stays silent past the
        // deadline, the challenger resolves it, the output is deleted and the proposer slashed.
        var staking = Addr("StakingManager");
        var timelock = Addr("TimelockController");
        var challengerKey = Hex.Decode(DevnetBridge.ChallengerKey);
        var challengerAddress = Primitives.Crypto.Secp256k1.AddressFromPrivateKey(challengerKey);
        await deployer.SendAsync(Addr("OpenToken"), Transfer.EncodeCall(challengerAddress, Open * new UInt256(500)), default);
        await WaitUntilAsync(async () => _node.Chain.Head.Number >= 8 && await proposerOracle.L2TimestampAsync(8) < (await proposerOracle.L1HeadAsync()).Timestamp, "L2 block 8 in L1's past");
        var l1Head = await proposerOracle.L1HeadAsync();
        await proposerOracle.ProposeAsync(Keccak256.Compute("wrong"u8), 8, l1Head.Hash, l1Head.Number, default);
        Assert.Equal(2UL, await proposerOracle.NextOutputIndexAsync());

        var challengerBalance = await TokenBalanceAsync(challengerAddress);
        var treasuryBalance = await TokenBalanceAsync(timelock);
        var stakeBefore = await L1CallUintAsync(staking, "totalStaked()");
        var challenger = new ChallengerService(new OutputOracleClient(_l1Client, oracleAddress, Sender(challengerKey)), l2Source, NullLogger.Instance);
        await challenger.StepAsync(default);
        Assert.Equal(1, challenger.Challenged);
        var opened = await proposerOracle.GetChallengeAsync(1);
        Assert.Equal(OutputChallenge.Open, opened.Status);
        Assert.Equal(1UL, opened.OutputIndex);
        Assert.Equal(await l2Source.OutputRootAsync(8), opened.ClaimedRoot);
        var bond = await proposerOracle.ChallengeBondAsync();
        Assert.Equal(challengerBalance - bond, await TokenBalanceAsync(challengerAddress));
        // The honest output 0 was left alone.
        await WaitUntilAsync(async () => { await challenger.StepAsync(default); return challenger.Resolved == 1; }, "the expired challenge resolved");

        Assert.Equal(1UL, await proposerOracle.NextOutputIndexAsync());
        Assert.Equal(2, (int)(await proposerOracle.GetChallengeAsync(1)).Status);
        var slash = await L1CallUintAsync(oracleAddress, "slashAmount()");
        var share = slash * await L1CallUintAsync(staking, "challengerBps()") / new UInt256(10_000);
        Assert.Equal(challengerBalance + share, await TokenBalanceAsync(challengerAddress));
        Assert.Equal(treasuryBalance + slash - share, await TokenBalanceAsync(timelock));
        Assert.Equal(stakeBefore - slash, await L1CallUintAsync(staking, "totalStaked()"));
        log.WriteLine($"deposit {mint}, failed deposit {mint2}, output 0 = {first.OutputRoot}, wrong output slashed {slash} (challenger share {share})");
    }

}
