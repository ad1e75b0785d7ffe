using Microsoft.Extensions.Logging;
using OpenLedger.Rollup.Config;
using OpenLedger.Rollup.Encoding;

namespace OpenLedger.Rollup.Derivation;

/// <summary>
/// Stage 7: a batch and its L1 origin into payload attributes: the L1 attributes deposit first (the chain's layout,
/// Isthmus' setL1BlockValuesIsthmus), then, in the epoch's first block, the user deposits of the origin's portal logs
/// (decoded by the chain's <see cref="Chain.Rollup.DepositLog"/>, as the sequencer does), then the batch's transactions; timestamp from the
/// batch, prevRandao from the origin's mix hash, fee recipient the sequencer fee vault, gas limit from the system
/// config, noTxPool = true, the origin's parent beacon root.
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
        if (batch.BlockTimestamp < origin.Time) throw new ArgumentException("L2 time before its L1 origin's time");
        var txs = new List<byte[]>(batch.Transactions.Count + 1) { L1AttributesDeposit(origin, sys, seq) };
        if (seq == 0)
            foreach (var deposit in Chain.Rollup.DepositLog.ToDeposits(origin.DepositLogs,
                         (log, why) => logger?.LogWarning("L1 block {Origin}: portal log {Index} skipped: {Reason}", origin.Number, log.LogIndex, why)))
                txs.Add(deposit.Encode());
        txs.AddRange(batch.Transactions);
        return new PayloadAttributes(batch.BlockTimestamp, origin.MixHash, ProtocolConstants.SequencerFeeVault, txs, NoTxPool: true,
            sys.GasLimit, origin.ParentBeaconRoot, origin.Ref.Id, seq);
    }

    /// <summary>The L1 attributes deposit, encoded by the chain's own <see cref="Chain.Rollup.L1BlockInfo"/> (one home for its layout).</summary>
    public static byte[] L1AttributesDeposit(L1Block origin, SystemConfig sys, ulong sequenceNumber) =>
        new Chain.Rollup.L1BlockInfo
        {
            Number = origin.Number,
            Timestamp = origin.Time,
            BaseFee = origin.BaseFee,
            BlobBaseFee = origin.BlobBaseFee,
            Hash = origin.Hash,
            SequenceNumber = sequenceNumber,
            SystemConfig = sys.ToL1AttributesValues(),
        }.ToDepositTransaction().Encode();
}
