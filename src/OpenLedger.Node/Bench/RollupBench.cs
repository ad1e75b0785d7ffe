using System.Diagnostics;
using Microsoft.Extensions.Logging.Abstractions;
using OpenLedger.Primitives;
using OpenLedger.Primitives.Transactions;
using OpenLedger.Rollup.Config;
using OpenLedger.Rollup.Derivation;
using OpenLedger.Rollup.Encoding;

namespace OpenLedger.Node.Bench;

/// <summary>
/// Measurements behind `openledger bench rollup`: L1 calldata bytes per L2 transaction for each batch kind and
/// compression, and how fast the derivation pipeline turns L1 data back into payload attributes. The chain is built
/// in memory (an L1 block every 12 s, an L2 block every second) with real signed transactions; block execution is
/// not part of the second figure (see docs/benchmarks.md).
/// </summary>
public static class RollupBench
{
    public sealed record SizeResult(string Workload, string Batches, CompressionAlgorithm Compression, int Transactions, long RawTxBytes, long L1Bytes)
    {
        public double BytesPerTx => (double)L1Bytes / Transactions;
    }

    public static readonly Address Token = Address.Parse("0x5FbDB2315678afecb367f032d93F642f64180aa3");
    public const ulong ChainId = 1330660686;

    /// <summary>Signed transactions from <paramref name="senders"/> keys: ETH transfers or ERC-20 transfer(address,uint256) calls.</summary>
    public static List<byte[]> Transactions(int count, bool erc20, int senders = 50)
    {
        var keys = Enumerable.Range(1, senders).Select(i => Keccak256.Compute(BitConverter.GetBytes(i)).ToArray()).ToArray();
        var rnd = new Random(1);
        var txs = new List<byte[]>(count);
        for (int i = 0; i < count; i++)
        {
            var to = new byte[20];
            rnd.NextBytes(to);
            var tx = new Transaction
            {
                Type = TxType.DynamicFee, ChainId = ChainId, Nonce = (ulong)(i / senders), GasLimit = erc20 ? 60_000UL : 21_000UL,
                MaxPriorityFeePerGas = new UInt256(1_000_000), MaxFeePerGas = new UInt256(2_000_000_000),
            };
            if (erc20)
            {
                var data = new byte[68];
                new byte[] { 0xa9, 0x05, 0x9c, 0xbb }.CopyTo(data, 0);
                to.CopyTo(data, 16);
                new UInt256((ulong)rnd.Next(1, 1_000_000) * 1_000_000_000_000).ToBigEndian().CopyTo(data, 36);
                tx.To = Token;
                tx.Data = data;
            }
            else
            {
                tx.To = new Address(to);
                tx.Value = new UInt256((ulong)rnd.Next(1, 1_000_000) * 1_000_000_000);
            }
            tx.Sign(keys[i % senders]);
            txs.Add(tx.Encode());
        }
        return txs;
    }

    /// <summary>Batches <paramref name="txs"/> into blocks of <paramref name="perBlock"/>, channels of 100 blocks, frames of 120 kB.</summary>
    public static SizeResult MeasureSize(string workload, List<byte[]> txs, int perBlock, bool span, CompressionAlgorithm algo)
    {
        var codec = new SpanBatchCodec(0, 1, ChainId);
        var blocks = txs.Chunk(perBlock).Select((c, i) => (Txs: (IReadOnlyList<byte[]>)c, Time: (ulong)i + 1)).ToList();
        long l1 = 0;
        int seed = 0;
        foreach (var group in blocks.Chunk(100))
        {
            var ch = new ChannelOut(Keccak256.Compute(BitConverter.GetBytes(seed++)).Bytes[..16].ToArray(), algo);
            var parent = Keccak256.Compute(BitConverter.GetBytes(group[0].Time));
            if (span)
                ch.AddBatch(BatchCodec.EncodeSpan(SpanBatch.FromBlocks(parent, parent, false, group.Select(b => new SpanBatchElement(1, b.Time, b.Txs)).ToList()), codec));
            else
                foreach (var b in group)
                    ch.AddBatch(BatchCodec.EncodeSingular(new SingularBatch(Keccak256.Compute(BitConverter.GetBytes(b.Time)), 1, parent, b.Time, b.Txs)));
            foreach (var f in ch.ToFrames(120_000)) l1 += Frame.EncodeBatcherData([f]).Length;
        }
        return new SizeResult(workload, span ? "span" : "singular", algo, txs.Count, txs.Sum(t => (long)t.Length), l1);
    }

    public sealed record DerivationResult(int L2Blocks, int Transactions, TimeSpan Elapsed, ulong ChainSeconds)
    {
        public double TimesRealTime => ChainSeconds / Elapsed.TotalSeconds;
    }

    /// <summary>
    /// Builds <paramref name="l2Blocks"/> blocks (1 s apart, <paramref name="txsPerBlock"/> transfers each) as a
    /// sequencer would, posts them as span batches (brotli) every 10 L1 blocks, then times a fresh pipeline deriving
    /// all of them from that L1 data.
    /// </summary>
    public static DerivationResult MeasureDerivation(int l2Blocks, int txsPerBlock)
    {
        var l1 = new ListL1();
        l1.Blocks.Add(L1At(0, Hash256.Zero, 1_700_000_000, []));
        var cfg = new RollupConfig
        {
            GenesisL1 = l1.Blocks[0].Ref.Id, GenesisL2 = new BlockId(Keccak256.Compute("l2 genesis"u8), 0),
            GenesisL2Time = 1_700_000_000, BlockTime = 1, MaxSequencerDrift = 600, SeqWindowSize = 3600, ChannelTimeout = 300,
            GenesisSystemConfig = new SystemConfig(Address.Parse("0x3c44cdddb6a900fa2b585dd299e03d12fa4293bc"), Hash256.Zero, SystemConfig.EcotoneScalar(1368, 810949), 30_000_000),
            L1ChainId = 31337, L2ChainId = ChainId, BatchInboxAddress = Address.Parse("0xff00000000000000000000000000000000000901"),
            DepositContractAddress = Address.Zero, L1SystemConfigAddress = Address.Zero, FjordTime = 0,
        };
        var allTxs = Transactions(l2Blocks * txsPerBlock, erc20: false, senders: 200);
        var engine = new HashingEngine(cfg);
        var codec = new SpanBatchCodec(cfg.GenesisL2Time, cfg.BlockTime, cfg.L2ChainId);
        var unposted = new List<(L2BlockRef Ref, IReadOnlyList<byte[]> Txs)>();
        int seed = 0;

        // Every 10th L1 block carries one brotli span-batch channel of the blocks not yet posted.
        void AddL1Block()
        {
            var txs = new List<L1Transaction>();
            if (unposted.Count > 0 && l1.Blocks.Count % 10 == 0)
            {
                var first = unposted[0];
                var prev = engine.BlockByNumber(first.Ref.Number - 1)!;
                var span = SpanBatch.FromBlocks(prev.Hash, l1.Blocks[(int)unposted[^1].Ref.L1Origin.Number].Hash, first.Ref.L1Origin.Number != prev.L1Origin.Number,
                    unposted.Select(u => new SpanBatchElement(u.Ref.L1Origin.Number, u.Ref.Time, u.Txs)).ToList());
                var ch = new ChannelOut(Keccak256.Compute(BitConverter.GetBytes(seed++)).Bytes[..16].ToArray(), CompressionAlgorithm.Brotli);
                ch.AddBatch(BatchCodec.EncodeSpan(span, codec));
                foreach (var f in ch.ToFrames(120_000)) txs.Add(new L1Transaction(2, cfg.GenesisSystemConfig.BatcherAddress, cfg.BatchInboxAddress, Frame.EncodeBatcherData([f])));
                unposted.Clear();
            }
            var last = l1.Blocks[^1];
            l1.Blocks.Add(L1At(last.Number + 1, last.Hash, last.Time + 12, txs));
        }

        for (int n = 1; n <= l2Blocks; n++)
        {
            var parent = engine.SafeHead;
            ulong ts = parent.Time + 1;
            while (l1.Blocks[^1].Time + 12 <= ts)
            {
                AddL1Block();
            }
            var origin = l1.Blocks[(int)parent.L1Origin.Number];
            if ((int)origin.Number + 1 < l1.Blocks.Count && l1.Blocks[(int)origin.Number + 1].Time <= ts) origin = l1.Blocks[(int)origin.Number + 1];
            var blockTxs = allTxs.GetRange((n - 1) * txsPerBlock, txsPerBlock);
            var attrs = AttributesBuilder.Build(new SingularBatch(parent.Hash, origin.Number, origin.Hash, ts, blockTxs), origin, cfg.GenesisSystemConfig, parent);
            var r = engine.ExecuteAsync(parent, attrs).Result;
            unposted.Add((r, blockTxs));
        }
        // the rest goes out at the next posting slot
        for (int i = 0; i < 12 && unposted.Count > 0; i++) AddL1Block();

        var replica = new HashingEngine(cfg);
        var deriver = new Deriver(cfg, l1, replica, NullLogger.Instance);
        var sw = Stopwatch.StartNew();
        deriver.StepAsync(cfg.GenesisSystemConfig).GetAwaiter().GetResult();
        sw.Stop();
        if (replica.SafeHead != engine.SafeHead)
            throw new InvalidOperationException($"derived head {replica.SafeHead} differs from the sequenced {engine.SafeHead}");
        return new DerivationResult(l2Blocks, allTxs.Count, sw.Elapsed, (ulong)l2Blocks * cfg.BlockTime);
    }

    private static L1Block L1At(ulong number, Hash256 parent, ulong time, IReadOnlyList<L1Transaction> txs)
    {
        var hash = Keccak256.Compute([.. parent.Bytes, .. BitConverter.GetBytes(number)]);
        return new L1Block(new L1BlockRef(hash, number, parent, time), new UInt256(1_000_000_000), UInt256.One, Keccak256.Compute(hash.Bytes), null, txs, []);
    }

    private sealed class ListL1 : IL1Source
    {
        public List<L1Block> Blocks { get; } = [];
        public Task<L1Block?> BlockByNumberAsync(ulong number, CancellationToken ct = default) => Task.FromResult(number < (ulong)Blocks.Count ? Blocks[(int)number] : null);
        public Task<L1BlockRef?> FinalizedAsync(CancellationToken ct = default) => Task.FromResult<L1BlockRef?>(null);
    }

    /// <summary>Stands in for execution: a block's hash commits to its parent and attributes.</summary>
    private sealed class HashingEngine(RollupConfig cfg) : IExecutionEngine
    {
        private readonly List<(L2BlockRef Ref, IReadOnlyList<byte[]> Txs)> _chain = [(new L2BlockRef(cfg.GenesisL2.Hash, 0, Hash256.Zero, cfg.GenesisL2Time, cfg.GenesisL1, 0), [])];
        public L2BlockRef SafeHead => _chain[^1].Ref;

        public Task<L2BlockRef> ExecuteAsync(L2BlockRef parent, PayloadAttributes a, CancellationToken ct = default)
        {
            var h = new Keccak256Hasher();
            h.Update(parent.Hash.Bytes);
            h.Update(BitConverter.GetBytes(a.Timestamp));
            foreach (var t in a.Transactions) h.Update(t);
            var r = new L2BlockRef(h.Finish(), parent.Number + 1, parent.Hash, a.Timestamp, a.L1Origin, a.SequenceNumber);
            _chain.Add((r, a.Transactions.Skip(a.DepositCount).ToList()));
            return Task.FromResult(r);
        }

        public Task RewindAsync(L2BlockRef block, CancellationToken ct = default)
        {
            _chain.RemoveRange((int)block.Number + 1, _chain.Count - (int)block.Number - 1);
            return Task.CompletedTask;
        }

        public L2BlockRef? BlockByNumber(ulong number) => number < (ulong)_chain.Count ? _chain[(int)number].Ref : null;
        public IReadOnlyList<byte[]>? SequencerTransactions(ulong number) => number < (ulong)_chain.Count ? _chain[(int)number].Txs : null;
    }
}
