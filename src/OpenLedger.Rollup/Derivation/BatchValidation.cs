using OpenLedger.Rollup.Config;
using OpenLedger.Rollup.Encoding;

namespace OpenLedger.Rollup.Derivation;

public enum BatchValidity
{
    /// <summary>Invalid now and forever on this L1 chain: discard.</summary>
    Drop,
    Accept,
    /// <summary>Needs L1 blocks not yet read.</summary>
    Undecided,
    /// <summary>For a later L2 block: keep.</summary>
    Future,
}

/// <summary>
/// The batch queue's validity rules (specs: derivation.md "Batch Queue", delta/span-batches.md "Batch Queue"),
/// in the spec's order. <c>l1Blocks</c> starts at the safe head's L1 origin (the epoch) and runs to the newest L1
/// block read; <c>inclusion</c> is the L1 block in which the batch was fully read.
/// </summary>
public static class BatchValidation
{
    public readonly record struct Result(BatchValidity Validity, string Reason)
    {
        public static Result Of(BatchValidity v, string reason = "") => new(v, reason);
    }

    public static Result CheckSingular(RollupConfig cfg, IReadOnlyList<L1Block> l1Blocks, L2BlockRef safe, SingularBatch batch, ulong inclusion)
    {
        var epoch = l1Blocks[0];
        ulong next = safe.Time + cfg.BlockTime;
        if (batch.BlockTimestamp > next) return Result.Of(BatchValidity.Future);
        if (batch.BlockTimestamp < next) return Result.Of(BatchValidity.Drop, $"timestamp {batch.BlockTimestamp} is before the next L2 time {next}");
        if (batch.ParentHash != safe.Hash) return Result.Of(BatchValidity.Drop, $"parent {batch.ParentHash} is not the safe head {safe.Hash}");
        if (batch.EpochNum + cfg.SeqWindowSize < inclusion) return Result.Of(BatchValidity.Drop, $"epoch {batch.EpochNum} included at L1 {inclusion}, after the sequencing window");
        if (batch.EpochNum < epoch.Number) return Result.Of(BatchValidity.Drop, $"epoch {batch.EpochNum} is older than the safe head's {epoch.Number}");
        L1Block origin;
        if (batch.EpochNum == epoch.Number) origin = epoch;
        else if (batch.EpochNum == epoch.Number + 1)
        {
            if (l1Blocks.Count < 2) return Result.Of(BatchValidity.Undecided);
            origin = l1Blocks[1];
        }
        else return Result.Of(BatchValidity.Drop, $"epoch {batch.EpochNum} skips past {epoch.Number + 1}");
        if (batch.EpochHash != origin.Hash) return Result.Of(BatchValidity.Drop, $"epoch hash {batch.EpochHash} is not L1 block {origin.Number}'s {origin.Hash}");
        if (batch.BlockTimestamp < origin.Time) return Result.Of(BatchValidity.Drop, $"timestamp {batch.BlockTimestamp} is before its L1 origin's {origin.Time}");
        if (batch.BlockTimestamp > origin.Time + cfg.MaxSequencerDriftAt(origin.Time))
        {
            if (batch.Transactions.Count > 0) return Result.Of(BatchValidity.Drop, "past the sequencer drift with transactions");
            if (epoch.Number == batch.EpochNum)
            {
                if (l1Blocks.Count < 2) return Result.Of(BatchValidity.Undecided);
                if (batch.BlockTimestamp >= l1Blocks[1].Time) return Result.Of(BatchValidity.Drop, "past the sequencer drift and could have adopted the next L1 origin");
            }
        }
        var bad = CheckTransactions(batch.Transactions);
        return bad != null ? Result.Of(BatchValidity.Drop, bad) : Result.Of(BatchValidity.Accept);
    }

    /// <summary>Empty, deposit (0x7E) and types above 2 may not come from a batch.</summary>
    public static string? CheckTransactions(IReadOnlyList<byte[]> txs)
    {
        for (int i = 0; i < txs.Count; i++)
        {
            var t = txs[i];
            if (t.Length == 0) return $"transaction {i} is empty";
            if (t[0] == L1InfoDeposit.DepositTxType) return $"transaction {i} is a deposit";
            if (t[0] < 0xC0 && t[0] > 2) return $"transaction {i} has type {t[0]}";
        }
        return null;
    }

    public static Result CheckSpan(RollupConfig cfg, IReadOnlyList<L1Block> l1Blocks, L2BlockRef safe, SpanBatch batch, ulong inclusion, IL2SafeChain chain)
    {
        var epoch = l1Blocks[0];
        ulong startEpoch = batch.StartEpochNum;
        if (startEpoch == epoch.Number + 1 && l1Blocks.Count < 2) return Result.Of(BatchValidity.Undecided);
        ulong next = safe.Time + cfg.BlockTime;
        if (batch.Timestamp > next) return Result.Of(BatchValidity.Future);
        if (batch.EndTimestamp < next) return Result.Of(BatchValidity.Drop, $"span ends at {batch.EndTimestamp}, before the next L2 time {next}");

        var parent = safe;
        ulong parentNum = safe.Number;
        if (batch.Timestamp < next)
        {
            if (batch.Timestamp > safe.Time) return Result.Of(BatchValidity.Drop, "span start is misaligned with the safe chain");
            if ((safe.Time - batch.Timestamp) % cfg.BlockTime != 0) return Result.Of(BatchValidity.Drop, "span start is misaligned with the block time");
            ulong back = (safe.Time - batch.Timestamp) / cfg.BlockTime + 1;
            if (back > safe.Number) return Result.Of(BatchValidity.Drop, "span starts before L2 genesis");
            parentNum = safe.Number - back;
            var p = chain.BlockByNumber(parentNum);
            if (p is null) return Result.Of(BatchValidity.Drop, $"no safe L2 block {parentNum} to check the span's parent against");
            parent = p;
        }
        if (!parent.Hash.Bytes[..SpanBatch.CheckLength].SequenceEqual(batch.ParentCheck))
            return Result.Of(BatchValidity.Drop, $"parent check does not match L2 block {parent.Number}");
        if (startEpoch + cfg.SeqWindowSize < inclusion) return Result.Of(BatchValidity.Drop, $"epoch {startEpoch} included at L1 {inclusion}, after the sequencing window");
        if (startEpoch > parent.L1Origin.Number + 1) return Result.Of(BatchValidity.Drop, $"start epoch {startEpoch} skips past {parent.L1Origin.Number + 1}");
        ulong endEpoch = batch.L1OriginNum;
        var end = l1Blocks.FirstOrDefault(b => b.Number == endEpoch);
        if (end is null)
        {
            if (endEpoch > l1Blocks[^1].Number) return Result.Of(BatchValidity.Undecided);
            return Result.Of(BatchValidity.Drop, $"end epoch {endEpoch} is older than the safe head's origin");
        }
        if (!end.Hash.Bytes[..SpanBatch.CheckLength].SequenceEqual(batch.L1OriginCheck))
            return Result.Of(BatchValidity.Drop, $"L1 origin check does not match L1 block {endEpoch}");
        if (startEpoch < parent.L1Origin.Number) return Result.Of(BatchValidity.Drop, $"start epoch {startEpoch} is older than the parent's {parent.L1Origin.Number}");

        int originIdx = 0;
        bool originAdvanced = startEpoch == parent.L1Origin.Number + 1;
        for (int i = 0; i < batch.Elements.Count; i++)
        {
            var e = batch.Elements[i];
            if (e.Timestamp <= safe.Time) continue;
            L1Block? origin = null;
            for (int j = originIdx; j < l1Blocks.Count; j++)
                if (l1Blocks[j].Number == e.EpochNum) { origin = l1Blocks[j]; originIdx = j; break; }
            if (origin is null) return Result.Of(BatchValidity.Drop, $"block {i}: L1 origin {e.EpochNum} is not among the L1 blocks read");
            if (e.EpochNum < safe.L1Origin.Number) return Result.Of(BatchValidity.Drop, $"block {i}: L1 origin goes backwards");
            if (i > 0) originAdvanced = e.EpochNum > batch.Elements[i - 1].EpochNum;
            if (e.Timestamp < origin.Time) return Result.Of(BatchValidity.Drop, $"block {i}: timestamp {e.Timestamp} is before its L1 origin's {origin.Time}");
            if (e.Timestamp > origin.Time + cfg.MaxSequencerDriftAt(origin.Time))
            {
                if (e.Transactions.Count > 0) return Result.Of(BatchValidity.Drop, $"block {i}: past the sequencer drift with transactions");
                if (!originAdvanced)
                {
                    if (originIdx + 1 >= l1Blocks.Count) return Result.Of(BatchValidity.Undecided);
                    if (e.Timestamp >= l1Blocks[originIdx + 1].Time) return Result.Of(BatchValidity.Drop, $"block {i}: past the sequencer drift and could have adopted the next L1 origin");
                }
            }
            var bad = CheckTransactions(e.Transactions);
            if (bad != null) return Result.Of(BatchValidity.Drop, $"block {i}: {bad}");
        }

        if (batch.Timestamp < next)
        {
            for (ulong k = 0; k < safe.Number - parentNum; k++)
            {
                ulong n = parentNum + k + 1;
                var e = batch.Elements[(int)k];
                var block = chain.BlockByNumber(n);
                var txs = chain.SequencerTransactions(n);
                if (block is null || txs is null) return Result.Of(BatchValidity.Drop, $"safe L2 block {n} is unknown for the overlap check");
                if (block.L1Origin.Number != e.EpochNum) return Result.Of(BatchValidity.Drop, $"overlapping block {n}: L1 origin differs from the safe chain");
                if (txs.Count != e.Transactions.Count || !txs.Zip(e.Transactions).All(p => p.First.AsSpan().SequenceEqual(p.Second)))
                    return Result.Of(BatchValidity.Drop, $"overlapping block {n}: transactions differ from the safe chain");
            }
        }
        return Result.Of(BatchValidity.Accept);
    }
}
