using OpenLedger.Primitives.Transactions;
using OpenLedger.Rollup.Config;
using OpenLedger.Rollup.Derivation;
using OpenLedger.Rollup.Encoding;
using OpenLedger.Rollup.Tests.Support;
using V = OpenLedger.Rollup.Derivation.BatchValidity;

namespace OpenLedger.Rollup.Tests;

/// <summary>Each batch-queue rule of derivation.md and span-batches.md, in the spec's order.</summary>
public class BatchValidationTests
{
    private readonly RollupConfig _cfg = TestConfig.Create(seqWindow: 10);
    private readonly MemoryL1 _l1 = new(TestConfig.GenesisTime);
    private readonly L2BlockRef _safe;
    private readonly byte[] _tx = TestConfig.SignedTx(TxType.DynamicFee, 0);

    public BatchValidationTests()
    {
        for (int i = 0; i < 5; i++) _l1.Add(); // L1 times: genesis + 2i
        // safe head: L2 block 10 at genesis+10, origin L1 3 (time +6)
        _safe = new L2BlockRef(Keccak256.Compute("safe"u8), 10, Keccak256.Compute("p"u8), TestConfig.GenesisTime + 10, _l1.Blocks[3].Ref.Id, 2);
    }

    private IReadOnlyList<L1Block> Epochs(int count = 2) => _l1.Blocks.Skip(3).Take(count).ToList();

    private SingularBatch Good(ulong epoch = 3, ulong? ts = null, IReadOnlyList<byte[]>? txs = null) =>
        new(_safe.Hash, epoch, _l1.Blocks[(int)epoch].Hash, ts ?? _safe.Time + 1, txs ?? [_tx]);

    private V Check(SingularBatch b, ulong inclusion = 5, int epochs = 2) => BatchValidation.CheckSingular(_cfg, Epochs(epochs), _safe, b, inclusion).Validity;

    [Fact]
    public void Singular_rules()
    {
        Assert.Equal(V.Accept, Check(Good()));
        Assert.Equal(V.Future, Check(Good(ts: _safe.Time + 2)));
        Assert.Equal(V.Drop, Check(Good(ts: _safe.Time)));
        Assert.Equal(V.Drop, Check(Good() with { ParentHash = Hash256.Zero }));
        Assert.Equal(V.Accept, Check(Good(), inclusion: 13));
        Assert.Equal(V.Drop, Check(Good(), inclusion: 14)); // epoch 3 + window 10 < 14
        Assert.Equal(V.Drop, Check(Good(epoch: 2)));         // older than the safe head's origin
        Assert.Equal(V.Accept, Check(Good(epoch: 4)));       // next epoch, known
        Assert.Equal(V.Undecided, Check(Good(epoch: 4), epochs: 1));
        Assert.Equal(V.Drop, Check(Good(epoch: 5)));         // skips an epoch
        Assert.Equal(V.Drop, Check(Good() with { EpochHash = Hash256.Zero }));
    }

    [Fact]
    public void Singular_time_rules()
    {
        // L2 time before its origin's time: origin 4 at genesis+8... make the safe head earlier
        var early = _safe with { Time = TestConfig.GenesisTime + 6 };
        var b = new SingularBatch(early.Hash, 4, _l1.Blocks[4].Hash, early.Time + 1, [_tx]); // 7 < 8
        Assert.Equal(V.Drop, BatchValidation.CheckSingular(_cfg, Epochs(), early, b, 5).Validity);

        // past the drift (Fjord: 1800 s): with transactions always dropped
        var late = _safe with { Time = TestConfig.GenesisTime + 6 + 1800 };
        var withTxs = new SingularBatch(late.Hash, 3, _l1.Blocks[3].Hash, late.Time + 1, [_tx]);
        Assert.Equal(V.Drop, BatchValidation.CheckSingular(_cfg, Epochs(), late, withTxs, 5).Validity);
        // empty, same epoch: undecided without the next epoch, dropped if it could have moved on
        var empty = withTxs with { Transactions = [] };
        Assert.Equal(V.Undecided, BatchValidation.CheckSingular(_cfg, Epochs(1), late, empty, 5).Validity);
        Assert.Equal(V.Drop, BatchValidation.CheckSingular(_cfg, Epochs(), late, empty, 5).Validity);
    }

    [Theory]
    [InlineData("empty")]
    [InlineData("deposit")]
    [InlineData("blob")]
    public void Singular_transactions_that_batches_may_not_carry(string kind)
    {
        byte[] bad = kind switch { "empty" => [], "deposit" => [0x7E, 0xc0], _ => [0x03, 0xc0] };
        Assert.Equal(V.Drop, Check(Good(txs: [_tx, bad])));
    }

    private sealed class Chain(Dictionary<ulong, (L2BlockRef Ref, byte[][] Txs)> blocks) : IL2SafeChain
    {
        public L2BlockRef? BlockByNumber(ulong n) => blocks.TryGetValue(n, out var b) ? b.Ref : null;
        public IReadOnlyList<byte[]>? SequencerTransactions(ulong n) => blocks.TryGetValue(n, out var b) ? b.Txs : null;
    }

    private SpanBatch Span(Hash256 parent, ulong firstTs, ulong[] epochs, bool firstChanged = false, byte[][]? txs = null)
    {
        var els = epochs.Select((e, i) => new SpanBatchElement(e, firstTs + (ulong)i, txs ?? [_tx])).ToList();
        return SpanBatch.FromBlocks(parent, _l1.Blocks[(int)epochs[^1]].Hash, firstChanged, els);
    }

    [Fact]
    public void Span_rules()
    {
        var chain = new Chain(new()
        {
            [9] = (new L2BlockRef(_safe.ParentHash, 9, Hash256.Zero, _safe.Time - 1, _l1.Blocks[3].Ref.Id, 1), [_tx]),
            [10] = (_safe, [_tx]),
        });
        V C(SpanBatch s, ulong inclusion = 5, int epochs = 2) => BatchValidation.CheckSpan(_cfg, Epochs(epochs), _safe, s, inclusion, chain).Validity;

        Assert.Equal(V.Accept, C(Span(_safe.Hash, _safe.Time + 1, [3, 3, 4], firstChanged: false)));
        Assert.Equal(V.Future, C(Span(_safe.Hash, _safe.Time + 2, [3, 3])));
        Assert.Equal(V.Drop, C(Span(_safe.ParentHash, _safe.Time - 1, [3, 3])));          // ends before the next slot
        Assert.Equal(V.Drop, C(Span(Hash256.Zero, _safe.Time + 1, [3, 3])));              // parent check
        Assert.Equal(V.Drop, C(Span(_safe.Hash, _safe.Time + 1, [3, 3]), inclusion: 14)); // window
        Assert.Equal(V.Undecided, C(Span(_safe.Hash, _safe.Time + 1, [3, 4]), epochs: 1)); // end epoch not read yet
        var wrongOrigin = Span(_safe.Hash, _safe.Time + 1, [3, 3]) with { L1OriginCheck = new byte[20] };
        Assert.Equal(V.Drop, C(wrongOrigin));
        Assert.Equal(V.Drop, C(Span(_safe.Hash, _safe.Time + 1, [3], txs: [[0x7E]])));

        // overlapping the safe chain: starts at block 10 (parent 9), must match block 10's transactions and origin
        Assert.Equal(V.Accept, C(Span(_safe.ParentHash, _safe.Time, [3, 3, 3])));
        Assert.Equal(V.Drop, C(Span(_safe.ParentHash, _safe.Time, [3, 3], txs: [TestConfig.SignedTx(TxType.Legacy, 9)])));
    }
}
