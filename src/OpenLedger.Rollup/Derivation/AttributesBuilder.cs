using OpenLedger.Rollup.Config;
using OpenLedger.Rollup.Encoding;

namespace OpenLedger.Rollup.Derivation;

/// <summary>
/// Stage 7: a batch and its L1 origin into payload attributes: the L1 attributes deposit first (user deposits from
/// the origin's receipts come with the portal, in a later change), then the batch's transactions; timestamp from the
/// batch, prevRandao from the origin's mix hash, fee recipient the sequencer fee vault, gas limit from the system
/// config, noTxPool = true, the origin's parent beacon root.
/// </summary>
public static class AttributesBuilder
{
    public static PayloadAttributes Build(SingularBatch batch, L1Block origin, SystemConfig sys, L2BlockRef parent)
    {
        if (origin.Number != batch.EpochNum || origin.Hash != batch.EpochHash) throw new ArgumentException("origin does not match the batch's epoch");
        ulong seq;
        if (batch.EpochNum == parent.L1Origin.Number) seq = parent.SequenceNumber + 1;
        else if (batch.EpochNum == parent.L1Origin.Number + 1) seq = 0;
        else throw new ArgumentException($"batch epoch {batch.EpochNum} does not follow the parent's {parent.L1Origin.Number}");
        if (batch.BlockTimestamp < origin.Time) throw new ArgumentException("L2 time before its L1 origin's time");
        var info = L1InfoDeposit.FromL1Block(origin, sys, seq);
        var txs = new List<byte[]>(batch.Transactions.Count + 1) { L1InfoDeposit.EncodeTransaction(info) };
        txs.AddRange(batch.Transactions);
        return new PayloadAttributes(batch.BlockTimestamp, origin.MixHash, ProtocolConstants.SequencerFeeVault, txs, NoTxPool: true,
            sys.GasLimit, origin.ParentBeaconRoot, origin.Ref.Id, seq);
    }
}
