using Microsoft.Extensions.Logging.Abstractions;
using Nethereum.JsonRpc.Client;
using OpenLedger.Primitives;
using OpenLedger.Rollup.Batcher;
using OpenLedger.Rollup.Bridge;
using OpenLedger.Rollup.Encoding;
using OpenLedger.Rollup.L1;

namespace OpenLedger.Node.Tests.L2;

/// <summary>
/// Deposits derived, not only sequenced: a sequencer node with rollup.json (the real portal, SystemConfig and inbox
/// from DeployL1) includes an OPEN deposit, the batcher posts its blocks to anvil, and a replica with only L1 and
/// rollup.json derives the same blocks hash for hash (the same user deposit transaction in the same place).
/// </summary>
public sealed class BridgeReplicaTests
{
    private const long L1ChainId = 31343;
    private static readonly UInt256 Open = new(1_000_000_000_000_000_000);

    [Fact]
    public async Task Replica_derives_the_sequencers_deposit_blocks_hash_for_hash()
    {
        await using var net = await BridgeNet.StartAsync(L1ChainId, submissionInterval: 10, finalizationPeriod: 60, resolutionPeriod: 60, withDerivation: true);
        var user = BridgeNet.Accounts[7];
        var userSender = net.Sender(user.Key);
        await net.Sender(BridgeNet.Accounts[0].Key).SendAsync(net.Addr("OpenToken"),
            Primitives.Abi.AbiFunction.FromSignature("transfer(address,uint256)").EncodeCall(user.Address, Open * new UInt256(10)), default);
        var bridge = new BridgeClient(net.L1Client, null, net.Addr("OpenPortal"));
        var (_, l2Hash) = await bridge.DepositAsync(userSender, user.Address, Open * new UInt256(4), 100_000, default);

        var seq = net.Node.Chain;
        ulong depositBlock = 0;
        await WaitAsync(() =>
        {
            var loc = seq.Store.GetTxLocation(l2Hash);
            if (loc is { } l) depositBlock = l.BlockNumber;
            return Task.FromResult(loc is not null);
        }, "the deposit on the sequencer");
        var included = seq.Store.GetBlock(seq.Store.GetCanonicalHash(depositBlock)!.Value)!;
        Assert.Equal(l2Hash, included.Transactions[1].Hash);

        // The batcher posts the sequencer's blocks until the deposit's block is on L1.
        var rollup = net.Rollup!;
        var batcher = new BatcherService(rollup, new RpcL1Source(net.L1Client, rollup.L1SystemConfigAddress, rollup.DepositContractAddress), RpcL2BlockSource.Create(net.Node.RpcUrl),
            new L1TxSender(net.L1Client, BridgeNet.BatcherKey, (ulong)L1ChainId, NullLogger.Instance),
            new BatcherOptions { SpanBatches = true, Compression = CompressionAlgorithm.Brotli, MaxBlocksPerChannel = 50, MaxFrameSize = 100_000 }, NullLogger.Instance);
        await WaitAsync(async () => { await batcher.PostNextChannelAsync(default); return batcher.SafeHead!.Number >= depositBlock; }, "the batcher to post the deposit's block");

        // The replica derives the same chain through the deposit's block: same hashes, so the same deposit bytes.
        await using var replica = await net.StartReplicaAsync();
        await WaitAsync(() => Task.FromResult(replica.Chain.Head.Number >= depositBlock), "the replica to derive the deposit's block");
        for (ulong n = 0; n <= depositBlock; n++)
            Assert.Equal(seq.Store.GetCanonicalHash(n), replica.Chain.Store.GetCanonicalHash(n));
        Assert.NotNull(replica.Chain.Store.GetTxLocation(l2Hash));
        // The sequencer's own derivation confirmed its blocks instead of replacing them.
        Assert.Equal(0, net.Node.Derivation!.Engine.Reorgs);
    }

    private static async Task WaitAsync(Func<Task<bool>> done, string what)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(120);
        while (!await done())
        {
            Assert.True(DateTime.UtcNow < deadline, $"timed out waiting for {what}");
            await Task.Delay(250);
        }
    }
}
