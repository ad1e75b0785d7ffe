using OpenLedger.Chain.Execution;
using OpenLedger.Primitives;
using OpenLedger.Primitives.Transactions;

namespace OpenLedger.Chain.Rollup;

/// <summary>
/// One home for what a rollup block's payload attributes hold besides its sequenced transactions
/// (specs/protocol/derivation.md, "Building individual payload attributes"): the L1 attributes deposit first, then the
/// epoch's user deposits, prevRandao = the L1 origin's mix hash, parent beacon root = the origin's, fee recipient = the
/// SequencerFeeVault, gas limit = the system config's. The sequencer (<see cref="RollupBlockPlanner"/>) and derivation
/// (OpenLedger.Rollup's attributes stage) both call <see cref="Build"/>, so the blocks they make are the same block.
/// </summary>
public static class RollupAttributes
{
    /// <param name="timestamp">The L2 block's timestamp.</param>
    /// <param name="origin">The L1 origin (epoch) of the block.</param>
    /// <param name="sequenceNumber">0 for the first block of an epoch, then parent's + 1.</param>
    /// <param name="systemConfig">The system config values the L1 attributes deposit carries.</param>
    /// <param name="gasLimit">The system config's L2 gas limit.</param>
    /// <param name="userDeposits">Deposits from the origin's receipts (first block of an epoch only; empty otherwise).</param>
    /// <param name="sequenced">Batch transactions (derivation), or none (the sequencer takes the pool's).</param>
    /// <param name="noTxPool">True for derivation and for a sequencer past the drift limit.</param>
    public static PayloadAttributes Build(ulong timestamp, L1BlockRef origin, ulong sequenceNumber, SystemConfigValues systemConfig, ulong gasLimit,
        IReadOnlyList<Transaction> userDeposits, IReadOnlyList<Transaction> sequenced, bool noTxPool)
    {
        if (timestamp < origin.Timestamp) throw new ArgumentException($"L2 time {timestamp} is before its L1 origin's time {origin.Timestamp}");
        if (sequenceNumber != 0 && userDeposits.Count > 0) throw new ArgumentException("user deposits belong to the first block of an epoch (sequence number 0)");
        var txs = new List<Transaction>(1 + userDeposits.Count + sequenced.Count) { L1BlockInfo.From(origin, sequenceNumber, systemConfig).ToDepositTransaction() };
        txs.AddRange(userDeposits);
        txs.AddRange(sequenced);
        return new PayloadAttributes
        {
            Timestamp = timestamp,
            Transactions = txs,
            NoTxPool = noTxPool,
            PrevRandao = origin.MixHash,
            ParentBeaconBlockRoot = origin.ParentBeaconRoot,
            FeeRecipient = Predeploys.SequencerFeeVault,
            GasLimit = gasLimit,
        };
    }
}
