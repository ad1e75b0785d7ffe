using Newtonsoft.Json.Linq;
using OpenLedger.Primitives.Transactions;
using OpenLedger.Rollup.Batcher;
using OpenLedger.Rollup.Config;
using OpenLedger.Rollup.Derivation;
using OpenLedger.Rollup.Encoding;
using OpenLedger.Rollup.L1;
using OpenLedger.Rollup.Tests.Support;

namespace OpenLedger.Rollup.Tests;

/// <summary>The batcher and derivation against a real L1 (anvil), through Nethereum's JSON-RPC client.</summary>
public class AnvilBatcherTests
{
    private readonly List<string> _log = [];

    private static async Task<List<L1Block>> ReadL1(RpcL1Source src, ulong upTo)
    {
        var list = new List<L1Block>();
        for (ulong n = 0; n <= upTo; n++) list.Add((await src.BlockByNumberAsync(n))!);
        return list;
    }

    [Fact]
    public async Task Batcher_crashing_mid_channel_restarts_without_a_gap_and_a_replica_derives_the_same_chain_from_anvil()
    {
        await using var anvil = await Anvil.StartAsync();
        var sysAddr = Address.Parse("0x0000000000000000000000000000000000000043");
        var l1 = new RpcL1Source(anvil.Client, sysAddr);
        await anvil.CallAsync("evm_mine");
        await anvil.CallAsync("evm_mine");
        var l1Blocks = await ReadL1(l1, 2);
        var config = TestConfig.Create(seqWindow: 500, channelTimeout: 30) with
        {
            GenesisL1 = l1Blocks[0].Ref.Id,
            GenesisL2Time = l1Blocks[0].Time,
            L1ChainId = 31337,
        };
        var seq = new TestSequencer(config, () => l1Blocks);
        seq.Build(30, txsPerBlock: 2);

        var options = new BatcherOptions { SpanBatches = true, Compression = CompressionAlgorithm.Brotli, MaxBlocksPerChannel = 15, MaxFrameSize = 400, PollInterval = TimeSpan.FromMilliseconds(50) };
        var logger = TestConfig.Logger(_log);

        // first run: killed after the second frame of its first channel is on L1
        var first = new BatcherService(config, l1, seq.AsL2Source(), new L1TxSender(anvil.Client, Anvil.BatcherKey, 31337, logger), options, logger);
        using var crash = new CancellationTokenSource();
        int framesInFirstChannel = 0;
        first.FrameMined += (_, n, count, _) => { framesInFirstChannel = count; if (n == 1) crash.Cancel(); };
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => first.RunAsync(crash.Token));
        Assert.True(framesInFirstChannel > 2, "the first channel must have more frames than were sent");

        // a fresh batcher (nothing carried over) finds the safe head from L1 and posts everything after it
        var second = new BatcherService(config, l1, seq.AsL2Source(), new L1TxSender(anvil.Client, Anvil.BatcherKey, 31337, logger), options, logger);
        while (await second.PostNextChannelAsync(CancellationToken.None)) { }
        Assert.Equal(30UL, second.SafeHead!.Number);

        var engine = new MemoryEngine(config);
        var replica = new Deriver(config, l1, engine, logger);
        await replica.StepAsync(config.GenesisSystemConfig);
        Assert.Equal(30UL, engine.SafeHead.Number);
        for (int n = 0; n <= 30; n++) Assert.Equal(seq.Engine.Blocks[n], engine.Blocks[n]);
    }

    [Fact]
    public async Task A_stuck_transaction_is_replaced_with_higher_fees()
    {
        await using var anvil = await Anvil.StartAsync("--no-mining");
        var sender = new L1TxSender(anvil.Client, Anvil.BatcherKey, 31337, TestConfig.Logger(_log)) { BumpAfter = TimeSpan.FromMilliseconds(500), PollInterval = TimeSpan.FromMilliseconds(50) };
        var send = sender.SendAsync(TestConfig.Inbox, [0, 1, 2, 3], CancellationToken.None);
        using var guard = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        while (sender.Bumps < 2) await Task.Delay(50, guard.Token);
        await anvil.CallAsync("evm_mine");
        ulong block = await send;
        var b = (await anvil.CallAsync("eth_getBlockByNumber", "0x" + block.ToString("x"), true))!;
        var tx = Assert.Single((JArray)b["transactions"]!);
        Assert.Equal("0x00010203", tx["input"]!.Value<string>());
        var pool = await anvil.CallAsync("txpool_content");
        Assert.Empty(((JObject)pool!["pending"]!).Properties());
        Assert.True(sender.Bumps >= 2);
    }

    [Fact]
    public async Task Transactions_re_encode_from_their_json_fields_to_the_same_hash()
    {
        await using var anvil = await Anvil.StartAsync();
        foreach (var type in new[] { TxType.Legacy, TxType.AccessList, TxType.DynamicFee })
        {
            var nonceTok = await anvil.CallAsync("eth_getTransactionCount", "0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC", "latest");
            ulong nonce = Convert.ToUInt64(nonceTok!.Value<string>(), 16);
            var tx = new Transaction
            {
                Type = type, ChainId = 31337, Nonce = nonce, GasLimit = 100_000, To = TestConfig.Inbox, Data = [1, 2, 3],
                GasPrice = new UInt256(5_000_000_000), MaxFeePerGas = new UInt256(5_000_000_000), MaxPriorityFeePerGas = new UInt256(1),
                AccessList = type == TxType.Legacy ? [] : [new AccessListItem(TestConfig.Inbox, Keccak256.Compute([1]))],
            };
            tx.Sign(Anvil.BatcherKey);
            var hash = await anvil.CallAsync("eth_sendRawTransaction", Hex.Encode(tx.Encode()));
            var json = await anvil.CallAsync("eth_getTransactionByHash", hash!.Value<string>()!);
            Assert.Equal(tx.Encode(), RpcL2BlockSource.TransactionFromJson(json!));
        }
    }
}
