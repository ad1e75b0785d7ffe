using OpenLedger.Primitives.Transactions;
using OpenLedger.Rollup.Config;
using OpenLedger.Rollup.Derivation;
using OpenLedger.Rollup.Encoding;

namespace OpenLedger.Rollup.Tests.Support;

/// <summary>
/// Stands in for the sequencer in pipeline tests: builds L2 blocks through the same attributes builder and a
/// <see cref="MemoryEngine"/>, adopting the newest L1 block whose time allows it (one step per block), and posts
/// them as a batcher would: batches → channel → frames → inbox transactions on the <see cref="MemoryL1"/>.
/// </summary>
public sealed class TestSequencer(RollupConfig config, Func<IReadOnlyList<L1Block>> l1Blocks)
{
    public TestSequencer(RollupConfig config, MemoryL1 l1) : this(config, () => l1.Blocks) { }

    public MemoryEngine Engine { get; } = new(config);
    public List<SingularBatch> Batches { get; } = [null!]; // index = L2 block number
    private ulong _nonce;
    private readonly SpanBatchCodec _span = new(config.GenesisL2Time, config.BlockTime, config.L2ChainId);

    /// <summary>Builds <paramref name="count"/> blocks, each with <paramref name="txsPerBlock"/> transactions of mixed types.</summary>
    public void Build(int count, int txsPerBlock = 2)
    {
        for (int i = 0; i < count; i++)
        {
            var parent = Engine.SafeHead;
            ulong ts = parent.Time + config.BlockTime;
            var l1 = l1Blocks();
            var origin = l1[(int)parent.L1Origin.Number];
            if ((int)origin.Number + 1 < l1.Count && l1[(int)origin.Number + 1].Time <= ts) origin = l1[(int)origin.Number + 1];
            var txs = new List<byte[]>();
            for (int k = 0; k < txsPerBlock; k++)
            {
                var type = (_nonce % 3) switch { 0 => TxType.DynamicFee, 1 => TxType.Legacy, _ => TxType.AccessList };
                txs.Add(TestConfig.SignedTx(type, _nonce++));
            }
            var batch = new SingularBatch(parent.Hash, origin.Number, origin.Hash, ts, txs);
            var attrs = AttributesBuilder.Build(batch, origin, config.GenesisSystemConfig, parent);
            Engine.ExecuteAsync(parent, attrs).Wait();
            Batches.Add(batch);
        }
    }

    public static byte[] NewChannelId(int seed) => Keccak256.Compute(BitConverter.GetBytes(seed)).Bytes[..16].ToArray();

    /// <summary>A channel holding blocks [from, to] as singular batches or one span batch.</summary>
    public ChannelOut Channel(ulong from, ulong to, bool span, CompressionAlgorithm algo, int seed)
    {
        var ch = new ChannelOut(NewChannelId(seed), algo);
        if (!span)
        {
            for (ulong n = from; n <= to; n++) ch.AddBatch(BatchCodec.EncodeSingular(Batches[(int)n]));
            return ch;
        }
        var blocks = Engine.Blocks;
        var elements = new List<SpanBatchElement>();
        for (ulong n = from; n <= to; n++) elements.Add(new SpanBatchElement(Batches[(int)n].EpochNum, Batches[(int)n].BlockTimestamp, Batches[(int)n].Transactions));
        var parent = blocks[(int)from - 1];
        bool changed = Batches[(int)from].EpochNum != parent.L1Origin.Number;
        ch.AddBatch(BatchCodec.EncodeSpan(SpanBatch.FromBlocks(parent.Hash, Batches[(int)to].EpochHash, changed, elements), _span));
        return ch;
    }

    public static L1Transaction BatcherTx(IEnumerable<Frame> frames, Address? from = null) =>
        new(2, from ?? TestConfig.Batcher, TestConfig.Inbox, Frame.EncodeBatcherData(frames));

    /// <summary>The sequencer's blocks as the batcher reads them.</summary>
    public Batcher.IL2BlockSource AsL2Source() => new Source(this);

    private sealed class Source(TestSequencer seq) : Batcher.IL2BlockSource
    {
        public Task<ulong> HeadNumberAsync(CancellationToken ct = default) => Task.FromResult(seq.Engine.SafeHead.Number);

        public Task<Batcher.L2BlockData?> BlockAsync(ulong n, CancellationToken ct = default)
        {
            var blocks = seq.Engine.Blocks;
            if (n >= (ulong)blocks.Count) return Task.FromResult<Batcher.L2BlockData?>(null);
            var r = blocks[(int)n];
            var txs = n == 0 ? [] : seq.Batches[(int)n].Transactions;
            return Task.FromResult<Batcher.L2BlockData?>(new Batcher.L2BlockData(r.Hash, r.Number, r.ParentHash, r.Time, r.L1Origin, r.SequenceNumber, txs));
        }
    }
}
