using OpenLedger.Rollup.Derivation;

namespace OpenLedger.Rollup.Batcher;

/// <summary>
/// Lets the batcher find the safe head by deriving from L1: each derived block is accepted when the sequencer's
/// block at that height has the same timestamp, L1 origin and sequenced transactions. A mismatch means L1 data
/// decided otherwise than the sequencer (e.g. the window expired); the batcher stops there with that error.
/// </summary>
public sealed class VerifyingEngine : IExecutionEngine
{
    private readonly IL2BlockSource _l2;
    private readonly List<L2BlockData> _safe = [];

    public VerifyingEngine(IL2BlockSource l2, L2BlockData genesis)
    {
        _l2 = l2;
        _safe.Add(genesis);
    }

    public L2BlockRef SafeHead => _safe[^1].Ref;

    public async Task<L2BlockRef> ExecuteAsync(L2BlockRef parent, PayloadAttributes attributes, CancellationToken ct = default)
    {
        var block = await _l2.BlockAsync(parent.Number + 1, ct).ConfigureAwait(false)
            ?? throw new InvalidOperationException($"L1 data derives L2 block {parent.Number + 1}, which the sequencer does not have");
        var derivedTxs = attributes.Transactions.Skip(attributes.DepositCount).ToList();
        if (block.ParentHash != parent.Hash || block.Timestamp != attributes.Timestamp || block.L1Origin != attributes.L1Origin
            || block.SequencerTransactions.Count != derivedTxs.Count
            || !block.SequencerTransactions.Zip(derivedTxs).All(p => p.First.AsSpan().SequenceEqual(p.Second)))
            throw new InvalidOperationException($"L2 block {block.Number} differs from what L1 data derives (time {attributes.Timestamp}, origin {attributes.L1Origin.Number}, {derivedTxs.Count} txs): the sequencer must reorg");
        _safe.Add(block);
        return block.Ref;
    }

    public Task RewindAsync(L2BlockRef block, CancellationToken ct = default)
    {
        _safe.RemoveRange((int)block.Number + 1, _safe.Count - (int)block.Number - 1);
        return Task.CompletedTask;
    }

    public L2BlockRef? BlockByNumber(ulong number) => number < (ulong)_safe.Count ? _safe[(int)number].Ref : null;

    public IReadOnlyList<byte[]>? SequencerTransactions(ulong number) => number < (ulong)_safe.Count ? _safe[(int)number].SequencerTransactions : null;
}
