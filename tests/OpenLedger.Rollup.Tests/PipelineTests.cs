using OpenLedger.Rollup.Config;
using OpenLedger.Rollup.Derivation;
using OpenLedger.Rollup.Encoding;
using OpenLedger.Rollup.Tests.Support;

namespace OpenLedger.Rollup.Tests;

public class PipelineTests
{
    private RollupConfig _config = TestConfig.Create();
    private readonly MemoryL1 _l1 = new(TestConfig.GenesisTime);
    private readonly List<string> _log = [];

    private (Deriver Deriver, MemoryEngine Engine) Replica()
    {
        var engine = new MemoryEngine(_config);
        return (new Deriver(_config, _l1, engine, TestConfig.Logger(_log)), engine);
    }

    private void AssertSameChain(MemoryEngine expected, MemoryEngine actual, ulong upTo)
    {
        Assert.True(actual.SafeHead.Number >= upTo, $"replica at {actual.SafeHead.Number}, expected at least {upTo}\n" + string.Join("\n", _log));
        for (ulong n = 0; n <= upTo; n++) Assert.Equal(expected.Blocks[(int)n], actual.Blocks[(int)n]);
    }

    /// <summary>L1 blocks every 2 s, L2 every 1 s: the sequencer runs ahead, the batcher posts what it has.</summary>
    private TestSequencer RunSequencer(int l1Blocks, int l2PerL1 = 2)
    {
        var seq = new TestSequencer(_config, _l1);
        for (int i = 0; i < l1Blocks; i++)
        {
            _l1.Add();
            seq.Build(l2PerL1);
        }
        return seq;
    }

    /// <summary>
    /// The sequencer builds two L2 blocks per L1 block; every <paramref name="blocksPerChannel"/> blocks the batcher
    /// posts a channel, its frames spread over inbox transactions in the next two L1 blocks.
    /// </summary>
    private TestSequencer RunWithBatcher(int l1Blocks, bool span, CompressionAlgorithm algo, int blocksPerChannel = 5, int frameSize = 400)
    {
        var seq = new TestSequencer(_config, _l1);
        var pending = new Queue<L1Transaction[]>();
        ulong posted = 0;
        for (int i = 0; i < l1Blocks; i++)
        {
            _l1.Add(pending.Count > 0 ? pending.Dequeue() : []);
            seq.Build(2);
            ulong head = seq.Engine.SafeHead.Number;
            if (head - posted >= (ulong)blocksPerChannel)
            {
                var frames = seq.Channel(posted + 1, head, span, algo, (int)head).ToFrames(frameSize);
                int half = Math.Max(1, frames.Count / 2);
                pending.Enqueue([TestSequencer.BatcherTx(frames.Take(half))]);
                pending.Enqueue(frames.Count > half ? [TestSequencer.BatcherTx(frames.Skip(half))] : []);
                posted = head;
            }
        }
        ulong last = seq.Engine.SafeHead.Number;
        if (last > posted) pending.Enqueue([TestSequencer.BatcherTx(seq.Channel(posted + 1, last, span, algo, (int)last).ToFrames(frameSize))]);
        while (pending.Count > 0) _l1.Add(pending.Dequeue());
        return seq;
    }

    [Theory]
    [InlineData(false, CompressionAlgorithm.Zlib)]
    [InlineData(false, CompressionAlgorithm.Brotli)]
    [InlineData(true, CompressionAlgorithm.Zlib)]
    [InlineData(true, CompressionAlgorithm.Brotli)]
    public async Task Replica_derives_the_sequencers_chain_from_batches(bool span, CompressionAlgorithm algo)
    {
        var seq = RunWithBatcher(40, span, algo);
        ulong head = seq.Engine.SafeHead.Number;
        var (deriver, engine) = Replica();
        int derived = await deriver.StepAsync(_config.GenesisSystemConfig);
        AssertSameChain(seq.Engine, engine, head);
        Assert.DoesNotContain(_log, l => l.StartsWith("Warning"));
        Assert.True(derived >= 75);
    }

    [Fact]
    public async Task Derivation_in_steps_as_L1_grows_matches_derivation_in_one_go()
    {
        var seq = RunWithBatcher(30, span: true, CompressionAlgorithm.Brotli, blocksPerChannel: 7, frameSize: 250);
        var all = _l1.Blocks.ToList();
        var stepped = new MemoryL1(TestConfig.GenesisTime);
        var engine = new MemoryEngine(_config);
        var deriver = new Deriver(_config, stepped, engine, TestConfig.Logger(_log));
        foreach (var b in all.Skip(1))
        {
            stepped.Add(b.Transactions.ToArray());
            await deriver.StepAsync(_config.GenesisSystemConfig);
        }
        ulong head = engine.SafeHead.Number;
        Assert.True(head >= 50);
        AssertSameChain(seq.Engine, engine, head);
    }

    [Fact]
    public async Task Garbage_wrong_sender_bad_version_and_corrupted_frames_are_dropped_and_derivation_continues()
    {
        var seq = RunSequencer(6);
        var frames = seq.Channel(1, 12, span: true, CompressionAlgorithm.Zlib, 1).ToFrames(100_000);
        var other = Address.Parse("0x90f79bf6eb2c4f893365e785982e1f3e6b3bc2cd");
        var corrupted = Frame.EncodeBatcherData(frames);
        corrupted[^1] = 7; // is_last byte neither 0 nor 1
        _l1.Add(
            new L1Transaction(2, other, TestConfig.Inbox, Frame.EncodeBatcherData(seq.Channel(1, 6, false, CompressionAlgorithm.Zlib, 99).ToFrames(100_000))),
            new L1Transaction(2, TestConfig.Batcher, TestConfig.Inbox, [0x01, 0xde, 0xad]),
            new L1Transaction(2, TestConfig.Batcher, TestConfig.Inbox, [0x00, 0xde, 0xad]),
            new L1Transaction(2, TestConfig.Batcher, TestConfig.Inbox, corrupted));
        // a channel whose compressed data is garbage, then the good channel
        _l1.Add(TestSequencer.BatcherTx([new Frame(TestSequencer.NewChannelId(5), 0, [0x78, 0x9c, 1, 2, 3, 4], true)]));
        _l1.Add(TestSequencer.BatcherTx(frames));
        var (deriver, engine) = Replica();
        await deriver.StepAsync(_config.GenesisSystemConfig);
        AssertSameChain(seq.Engine, engine, 12);
        Assert.Contains(_log, l => l.Contains("not the batcher"));
        Assert.Contains(_log, l => l.Contains("unknown derivation version 1"));
        Assert.Contains(_log, l => l.Contains("is_last byte 7"));
        Assert.Contains(_log, l => l.Contains("channel 0x") && (l.Contains("decompression failed") || l.Contains("decompresses to nothing") || l.Contains("channel: batch 0")));
    }

    [Fact]
    public async Task A_channel_that_times_out_is_dropped_and_a_later_complete_one_is_used()
    {
        _config = TestConfig.Create(seqWindow: 30);
        var seq = RunSequencer(4);
        var frames = seq.Channel(1, 8, false, CompressionAlgorithm.Zlib, 1).ToFrames(300);
        Assert.True(frames.Count >= 2);
        _l1.Add(TestSequencer.BatcherTx(frames.Take(1)));
        for (int i = 0; i < 6; i++) _l1.Add(); // channel_timeout = 5
        _l1.Add(TestSequencer.BatcherTx(frames.Skip(1)));
        var (deriver, engine) = Replica();
        await deriver.StepAsync(_config.GenesisSystemConfig);
        Assert.Equal(0UL, engine.SafeHead.Number);
        Assert.Contains(_log, l => l.Contains("timed-out channel") || l.Contains("timed out"));

        _l1.Add(TestSequencer.BatcherTx(seq.Channel(1, 8, false, CompressionAlgorithm.Zlib, 2).ToFrames(100_000)));
        await deriver.StepAsync(_config.GenesisSystemConfig);
        AssertSameChain(seq.Engine, engine, 8);
    }

    [Fact]
    public async Task A_batch_for_the_wrong_epoch_is_dropped_and_the_window_fills_with_empty_blocks()
    {
        var seq = RunSequencer(3);
        var good = seq.Batches[1];
        var wrong = good with { EpochHash = Keccak256.Compute("not an L1 block"u8) };
        var ch = new ChannelOut(TestSequencer.NewChannelId(1), CompressionAlgorithm.Zlib);
        ch.AddBatch(BatchCodec.EncodeSingular(wrong));
        _l1.Add(TestSequencer.BatcherTx(ch.ToFrames(100_000)));
        for (int i = 0; i < 12; i++) _l1.Add(); // past the 10-block sequencing window
        var (deriver, engine) = Replica();
        await deriver.StepAsync(_config.GenesisSystemConfig);
        Assert.Contains(_log, l => l.Contains("epoch hash") && l.Contains("dropping"));
        Assert.True(engine.SafeHead.Number > 5);
        for (ulong n = 1; n <= engine.SafeHead.Number; n++)
        {
            var a = engine.AttributesOf(n)!;
            Assert.Single(a.Transactions); // only the L1 info deposit
            var origin = _l1.Blocks[(int)a.L1Origin.Number];
            Assert.True(a.Timestamp >= origin.Time);
            var nextOrigin = _l1.Blocks[(int)a.L1Origin.Number + 1];
            Assert.True(a.Timestamp < nextOrigin.Time || a.SequenceNumber == 0, $"block {n} kept origin {origin.Number} past the next L1 block's time");
        }
    }

    [Fact]
    public async Task An_L1_reorg_under_the_safe_head_rewinds_and_rederives_the_same_chain()
    {
        var seq = RunSequencer(4);
        ulong forkPoint = _l1.Head.Number; // origins end here
        _l1.Add(TestSequencer.BatcherTx(seq.Channel(1, 4, false, CompressionAlgorithm.Zlib, 1).ToFrames(100_000)));
        _l1.Add(TestSequencer.BatcherTx(seq.Channel(5, 8, true, CompressionAlgorithm.Brotli, 2).ToFrames(100_000)));
        var (deriver, engine) = Replica();
        await deriver.StepAsync(_config.GenesisSystemConfig);
        AssertSameChain(seq.Engine, engine, 8);

        // the blocks holding the batches are reorged away; the new branch carries them again, one block later
        _l1.Rollback(forkPoint);
        _l1.Add();
        _l1.Add(TestSequencer.BatcherTx(seq.Channel(1, 8, true, CompressionAlgorithm.Zlib, 3).ToFrames(100_000)));
        await deriver.StepAsync(_config.GenesisSystemConfig);
        Assert.Contains(_log, l => l.Contains("L1 reorg"));
        AssertSameChain(seq.Engine, engine, 8);
    }

    [Fact]
    public async Task Finalized_head_follows_finalized_L1()
    {
        var seq = RunSequencer(4);
        _l1.Add(TestSequencer.BatcherTx(seq.Channel(1, 4, false, CompressionAlgorithm.Zlib, 1).ToFrames(100_000)));
        ulong firstBatchBlock = _l1.Head.Number;
        _l1.Add(TestSequencer.BatcherTx(seq.Channel(5, 8, false, CompressionAlgorithm.Zlib, 2).ToFrames(100_000)));
        var (deriver, _) = Replica();
        _l1.Finalized = firstBatchBlock;
        await deriver.StepAsync(_config.GenesisSystemConfig);
        Assert.Equal(8UL, deriver.SafeHead.Number);
        Assert.Equal(4UL, deriver.FinalizedHead!.Number);
        _l1.Finalized = _l1.Head.Number;
        await deriver.StepAsync(_config.GenesisSystemConfig);
        Assert.Equal(8UL, deriver.FinalizedHead!.Number);
    }

    [Fact]
    public async Task An_L1_that_lacks_the_rollups_L1_genesis_is_an_error_not_a_loop()
    {
        _config = _config with { GenesisL1 = new BlockId(Keccak256.Compute("elsewhere"u8), 0) };
        RunWithBatcher(3, span: false, CompressionAlgorithm.Zlib);
        var (deriver, _) = Replica();
        var e = await Assert.ThrowsAsync<InvalidOperationException>(() => deriver.StepAsync(_config.GenesisSystemConfig));
        Assert.Contains("not on this L1 chain", e.Message);
    }
}
