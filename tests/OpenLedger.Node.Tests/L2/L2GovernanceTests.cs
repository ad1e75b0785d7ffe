using System.Globalization;
using Nethereum.JsonRpc.Client;
using Newtonsoft.Json.Linq;
using OpenLedger.Chain.Rollup;
using OpenLedger.Node.Devnet;
using OpenLedger.Primitives;
using OpenLedger.Primitives.Abi;
using OpenLedger.Tests.Shared;

namespace OpenLedger.Node.Tests.L2;

/// <summary>
/// Issue 15, "the L2 governed from L1": the L2 contracts belong to the L1 timelock's aliased address. A governance
/// proposal on L1 (propose, vote, queue, execute through the timelock) calls the portal's depositTransaction; the
/// deposit arrives on L2 from the aliased timelock and changes DatanetRegistry's limits. The same call made directly
/// on L2 by anyone else (the deployer included) is refused with OwnableUnauthorizedAccount.
/// </summary>
public sealed class L2GovernanceTests
{
    private const long L1ChainId = 31346;
    private const ulong L2ChainId = 1330660699; // its own deployments/<id>-l2.json, deleted at the end

    private static readonly AbiFunction SetLimits = AbiFunction.FromSignature("setLimits(uint128,uint64,uint128)");
    private static readonly AbiFunction MaxUserBytes = AbiFunction.FromSignature("maxUserBytesPerDay()", "(uint128)");
    private static readonly AbiFunction Owner = AbiFunction.FromSignature("owner()", "(address)");
    private static readonly AbiFunction Deposit = AbiFunction.FromSignature("depositTransaction(address,uint256,uint64,bool,bytes)");
    private static readonly AbiFunction Delegate = AbiFunction.FromSignature("delegate(address)");
    private static readonly AbiFunction DelegateVesting = AbiFunction.FromSignature("delegate(address,address)");
    private static readonly AbiFunction Propose = AbiFunction.FromSignature("propose(address[],uint256[],bytes[],string)");
    private static readonly AbiFunction HashProposal = AbiFunction.FromSignature("hashProposal(address[],uint256[],bytes[],bytes32)", "(uint256)");
    private static readonly AbiFunction State = AbiFunction.FromSignature("state(uint256)", "(uint8)");
    private static readonly AbiFunction CastVote = AbiFunction.FromSignature("castVote(uint256,uint8)");
    private static readonly AbiFunction Queue = AbiFunction.FromSignature("queue(address[],uint256[],bytes[],bytes32)");
    private static readonly AbiFunction Execute = AbiFunction.FromSignature("execute(address[],uint256[],bytes[],bytes32)");
    private static readonly AbiFunction Eta = AbiFunction.FromSignature("proposalEta(uint256)", "(uint256)");

    [Fact]
    public async Task GovernanceProposal_OnL1_ChangesAnL2Parameter_ThroughADeposit_AndNobodyElseCanOnL2()
    {
        await using var net = await BridgeNet.StartAsync(L1ChainId, submissionInterval: 10, finalizationPeriod: 60, resolutionPeriod: 60,
            environment: new Dictionary<string, string> { ["VOTING_DELAY"] = "1", ["VOTING_PERIOD"] = "20", ["TIMELOCK_DELAY"] = "2" }, l2ChainId: L2ChainId);
        var timelock = net.Addr("TimelockController");
        var governance = AddressAlias.ApplyL1ToL2(timelock);
        Assert.Equal(governance, DevnetGovernance.L2Owner(net.L1.Addresses));
        var l2 = await ContractDeployer.DeployL2Async(ToolLocator.Find("forge"), TestPaths.RepoRoot, net.Node.RpcUrl, L2ChainId,
            environment: new Dictionary<string, string> { ["L2_OWNER"] = governance.ToString() });
        try
        {
            var registry = Address.Parse(l2.Addresses["DatanetRegistry"]);
            var l2Client = new RpcClient(new Uri(net.Node.RpcUrl));
            Assert.Equal(governance, (Address)Owner.DecodeOutput(await CallAsync(l2Client, registry, Owner.EncodeCall()))[0]!);
            var before = (UInt256)MaxUserBytes.DecodeOutput(await CallAsync(l2Client, registry, MaxUserBytes.EncodeCall()))[0]!;
            var limits = SetLimits.EncodeCall(new UInt256(7_777_777), new UInt256(77), new UInt256(777_777_777));
            Assert.NotEqual(new UInt256(7_777_777), before);

            // Directly on L2, the deployer (or anyone) is refused: OwnableUnauthorizedAccount(caller).
            var deployer = BridgeNet.Accounts[0];
            var refused = await Assert.ThrowsAsync<RpcResponseException>(() => CallAsync(l2Client, registry, limits, deployer.Address));
            var unauthorized = AbiFunction.FromSignature("OwnableUnauthorizedAccount(address)").Selector;
            Assert.StartsWith(Hex.Encode(unauthorized), refused.RpcError.Data?.ToString() ?? "");

            // L1: the deployer gathers votes (its own OPEN and the two vesting wallets it is beneficiary of).
            var l1 = net.L1Client;
            var token = net.Addr("OpenToken");
            var governor = net.Addr("OpenGovernor");
            var sender = net.Sender(deployer.Key);
            // (A block between them: the token's checkpoints are keyed by timestamp, and a gas estimate made in the block of the
            // delegatee's last checkpoint prices an in-place update where the next block pushes a new checkpoint.)
            await sender.SendAsync(token, Delegate.EncodeCall(deployer.Address), default);
            await NextL1BlockAsync(l1);
            await sender.SendAsync(net.Addr("TeamVesting"), DelegateVesting.EncodeCall(token, deployer.Address), default);
            await NextL1BlockAsync(l1);
            await sender.SendAsync(net.Addr("InvestorVesting"), DelegateVesting.EncodeCall(token, deployer.Address), default);
            await NextL1BlockAsync(l1);

            // The proposal: the timelock calls OpenPortal.depositTransaction(registry, 0, gas, false, setLimits(...)).
            object[] targets = [net.Addr("OpenPortal")];
            object[] values = [UInt256.Zero];
            object[] calls = [Deposit.EncodeCall(registry, UInt256.Zero, new UInt256(200_000), false, limits)];
            const string description = "Raise the Datanet upload limits on L2";
            var descriptionHash = Keccak256.Compute(System.Text.Encoding.UTF8.GetBytes(description)).Bytes.ToArray();
            await sender.SendAsync(governor, Propose.EncodeCall(targets, values, calls, description), default);
            var id = (UInt256)HashProposal.DecodeOutput(await CallAsync(l1, governor, HashProposal.EncodeCall(targets, values, calls, descriptionHash)))[0]!;

            await WaitStateAsync(l1, governor, id, 1, "Active");
            await sender.SendAsync(governor, CastVote.EncodeCall(id, new UInt256(1)), default);
            await WaitStateAsync(l1, governor, id, 4, "Succeeded");
            await sender.SendAsync(governor, Queue.EncodeCall(targets, values, calls, descriptionHash), default);
            var eta = (ulong)(UInt256)Eta.DecodeOutput(await CallAsync(l1, governor, Eta.EncodeCall(id)))[0]!;
            while (await L1TimeAsync(l1) < eta) await NextL1BlockAsync(l1);
            await NextL1BlockAsync(l1);
            await sender.SendAsync(governor, Execute.EncodeCall(targets, values, calls, descriptionHash), default);
            await WaitStateAsync(l1, governor, id, 7, "Executed");

            // The deposit reaches L2 from the aliased timelock, which owns the registry: the limit changes.
            var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(2);
            UInt256 after;
            while ((after = (UInt256)MaxUserBytes.DecodeOutput(await CallAsync(l2Client, registry, MaxUserBytes.EncodeCall()))[0]!) != new UInt256(7_777_777))
            {
                Assert.True(DateTime.UtcNow < deadline, "the governance deposit did not change the L2 limit");
                await Task.Delay(250);
            }
            Assert.Equal(new UInt256(7_777_777), after);
        }
        finally
        {
            File.Delete(l2.FilePath);
        }
    }

    private static async Task WaitStateAsync(IClient l1, Address governor, UInt256 id, int state, string name)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(2);
        int now;
        while ((now = (int)(ulong)(UInt256)State.DecodeOutput(await CallAsync(l1, governor, State.EncodeCall(id)))[0]!) != state)
        {
            Assert.True(DateTime.UtcNow < deadline, $"proposal never reached {name} (state {now})");
            Assert.True(now is 0 or 1 or 4 or 5 or 7, $"proposal ended in state {now} before {name}");
            await Task.Delay(250);
        }
    }

    private static async Task<ulong> L1TimeAsync(IClient l1)
    {
        var b = await l1.SendRequestAsync<JObject>(new RpcRequest(1, "eth_getBlockByNumber", "latest", false));
        return ulong.Parse(b["timestamp"]!.Value<string>()![2..], NumberStyles.HexNumber);
    }

    private static async Task NextL1BlockAsync(IClient l1)
    {
        var start = await l1.SendRequestAsync<string>(new RpcRequest(1, "eth_blockNumber"));
        while (await l1.SendRequestAsync<string>(new RpcRequest(1, "eth_blockNumber")) == start) await Task.Delay(100);
    }

    private static async Task<byte[]> CallAsync(IClient client, Address to, byte[] data, Address? from = null)
    {
        var call = new Dictionary<string, object> { ["to"] = to.ToString(), ["data"] = Hex.Encode(data) };
        if (from is { } f) call["from"] = f.ToString();
        return Hex.Decode(await client.SendRequestAsync<string>(new RpcRequest(1, "eth_call", call, "latest")));
    }
}
