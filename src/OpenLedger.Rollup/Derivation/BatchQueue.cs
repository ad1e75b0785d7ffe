using Microsoft.Extensions.Logging;
using OpenLedger.Rollup.Config;
using OpenLedger.Rollup.Encoding;

namespace OpenLedger.Rollup.Derivation;

/// <summary>
/// Stage 6: buffers batches in L1 inclusion order, accepts the first valid one for the block after the safe head,
/// expands accepted span batches into per-block batches, and when the sequencing window of the safe head's epoch has
/// passed with nothing acceptable, generates the empty batch the spec prescribes.
/// </summary>
public sealed class BatchQueue(RollupConfig config, ILogger logger)
{
    private readonly List<L1Block> _l1Blocks = [];
    private readonly List<(Batch Batch, ulong Inclusion)> _batches = [];
    private readonly Queue<SpanBatchElement> _span = new();

    /// <summary>The newest L1 block whose data has been fully added.</summary>
    public L1Block? Origin { get; private set; }

    public int BufferedBatches => _batches.Count;

    public void Reset()
    {
        _l1Blocks.Clear();
        _batches.Clear();
        _span.Clear();
        Origin = null;
    }

    /// <summary>Adds an L1 block as a possible epoch (only blocks at or after the safe head's origin are kept) and makes it the origin.</summary>
    public void AddL1Block(L1Block block, L2BlockRef safe)
    {
        if (block.Number >= safe.L1Origin.Number && (_l1Blocks.Count == 0 || block.Number == _l1Blocks[^1].Number + 1))
            _l1Blocks.Add(block);
        Origin = block;
    }

    public L1Block? EpochBlock(ulong number) => _l1Blocks.FirstOrDefault(b => b.Number == number);

    public void AddBatch(Batch batch, ulong inclusionBlock) => _batches.Add((batch, inclusionBlock));

    /// <summary>The batch for the block after <paramref name="safe"/>, or null when more L1 data is needed.</summary>
    public SingularBatch? Next(L2BlockRef safe, IL2SafeChain chain)
    {
        while (_l1Blocks.Count > 0 && _l1Blocks[0].Number < safe.L1Origin.Number) _l1Blocks.RemoveAt(0);
        if (_l1Blocks.Count == 0 || Origin is null) return null;
        var epoch = _l1Blocks[0];
        if (epoch.Number != safe.L1Origin.Number || epoch.Hash != safe.L1Origin.Hash)
            throw new L1ReorgException($"safe head's L1 origin {safe.L1Origin} is not the canonical L1 block {epoch.Number} {epoch.Hash}");
        ulong next = safe.Time + config.BlockTime;

        while (_span.Count > 0)
        {
            var e = _span.Dequeue();
            if (e.Timestamp < next) continue;
            if (e.Timestamp > next) { _span.Clear(); break; }
            var origin = _l1Blocks.FirstOrDefault(b => b.Number == e.EpochNum);
            if (origin is null) { _span.Clear(); break; }
            return new SingularBatch(safe.Hash, e.EpochNum, origin.Hash, e.Timestamp, e.Transactions);
        }

        for (int i = 0; i < _batches.Count; i++)
        {
            var (batch, inclusion) = _batches[i];
            var r = batch switch
            {
                SingularBatch s => BatchValidation.CheckSingular(config, _l1Blocks, safe, s, inclusion),
                SpanBatch sp => BatchValidation.CheckSpan(config, _l1Blocks, safe, sp, inclusion, chain),
                _ => BatchValidation.Result.Of(BatchValidity.Drop, "unknown batch kind"),
            };
            switch (r.Validity)
            {
                case BatchValidity.Drop:
                    logger.LogWarning("dropping {Kind} batch at L2 time {Time} (included at L1 {Inclusion}): {Reason}", KindOf(batch), batch.Timestamp, inclusion, r.Reason);
                    _batches.RemoveAt(i--);
                    continue;
                case BatchValidity.Future:
                    continue;
                case BatchValidity.Undecided:
                    return null;
                case BatchValidity.Accept:
                    _batches.RemoveAt(i);
                    if (batch is SingularBatch single) return single;
                    foreach (var e in ((SpanBatch)batch).Elements) _span.Enqueue(e);
                    return Next(safe, chain);
            }
        }

        // Nothing acceptable: once the epoch's sequencing window has been read, fill the slot with an empty batch.
        if (Origin.Number < epoch.Number + config.SeqWindowSize) return null;
        if (_l1Blocks.Count < 2) return null;
        var nextEpoch = _l1Blocks[1];
        var use = next < nextEpoch.Time ? epoch : nextEpoch;
        logger.LogInformation("sequencing window of epoch {Epoch} expired: empty batch at L2 time {Time} with origin {Origin}", epoch.Number, next, use.Number);
        return new SingularBatch(safe.Hash, use.Number, use.Hash, next, []);
    }

    private static string KindOf(Batch b) => b is SpanBatch ? "span" : "singular";
}
