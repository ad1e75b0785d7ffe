using Microsoft.Extensions.Logging;
using OpenLedger.Rollup.Config;
using OpenLedger.Rollup.Encoding;

namespace OpenLedger.Rollup.Derivation;

/// <summary>
/// Stage 7: a batch and its L1 origin into payload attributes: what <see cref="Chain.Rollup.RollupAttributes.Build"/>
/// makes for any rollup block (the L1 attributes deposit first, in the chain's Isthmus layout; then, in the epoch's
/// first block, the user deposits of the origin's portal logs, decoded by the chain's <see cref="Chain.Rollup.DepositLog"/>
/// as the sequencer does; prevRandao from the origin's mix hash; fee recipient the sequencer fee vault; gas limit from
/// the system config; the origin's parent beacon root), then the batch's transactions, noTxPool = true. The
/// sequencer's planner calls the same function.
/// </summary>
public static class AttributesBuilder
{
    public static PayloadAttributes Build(SingularBatch batch, L1Block origin, SystemConfig sys, L2BlockRef parent, ILogger? logger = null)
    {
        if (origin.Number != batch.EpochNum || origin.Hash != batch.EpochHash) throw new ArgumentException("origin does not match the batch's epoch");
        ulong seq;
        if (batch.EpochNum == parent.L1Origin.Number) seq = parent.SequenceNumber + 1;
        else if (batch.EpochNum == parent.L1Origin.Number + 1) seq = 0;
        else throw new ArgumentException($"batch epoch {batch.EpochNum} does not follow the parent's {parent.L1Origin.Number}");
        // One function for the sequencer and derivation (Chain's RollupAttributes): deposits, prevRandao, beacon root,
        // fee recipient, gas limit. User deposits join in the first block of an epoch.
        var deposits = seq == 0
            ? Chain.Rollup.DepositLog.ToDeposits(origin.DepositLogs,
                (log, why) => logger?.LogWarning("L1 block {Origin}: portal log {Index} skipped: {Reason}", origin.Number, log.LogIndex, why))
            : [];
        var chainAttrs = Chain.Rollup.RollupAttributes.Build(batch.BlockTimestamp, ToChainRef(origin), seq, sys.ToL1AttributesValues(), sys.GasLimit, deposits, [], noTxPool: true);
        var txs = new List<byte[]>(chainAttrs.Transactions.Count + batch.Transactions.Count);
        txs.AddRange(chainAttrs.Transactions.Select(t => t.Encode()));
        txs.AddRange(batch.Transactions);
        return new PayloadAttributes(chainAttrs.Timestamp, chainAttrs.PrevRandao!.Value, chainAttrs.FeeRecipient!.Value, txs, NoTxPool: true,
            chainAttrs.GasLimit!.Value, chainAttrs.ParentBeaconBlockRoot, origin.Ref.Id, seq);
    }

    /// <summary>The origin as the chain's rollup code names L1 blocks.</summary>
    public static Chain.Rollup.L1BlockRef ToChainRef(L1Block origin) =>
        new(origin.Number, origin.Hash, origin.Ref.ParentHash, origin.Time, origin.BaseFee, origin.BlobBaseFee, origin.MixHash, origin.ParentBeaconRoot);
}
