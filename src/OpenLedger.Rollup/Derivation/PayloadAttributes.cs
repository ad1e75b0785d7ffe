using OpenLedger.Rollup.Config;

namespace OpenLedger.Rollup.Derivation;

/// <summary>
/// OP Stack payload attributes (PayloadAttributesV3 extended with transactions, noTxPool and gasLimit): the inputs
/// of one L2 block. <see cref="Transactions"/> are EIP-2718 encodings, deposits first (the L1 attributes deposit is
/// always index 0). <see cref="L1Origin"/> and <see cref="SequenceNumber"/> are carried for the node's bookkeeping.
/// Withdrawals are always empty (Canyon).
/// </summary>
public sealed record PayloadAttributes(
    ulong Timestamp,
    Hash256 PrevRandao,
    Address SuggestedFeeRecipient,
    IReadOnlyList<byte[]> Transactions,
    bool NoTxPool,
    ulong GasLimit,
    Hash256? ParentBeaconBlockRoot,
    BlockId L1Origin,
    ulong SequenceNumber)
{
    /// <summary>Number of leading deposit (0x7E) transactions.</summary>
    public int DepositCount => Transactions.TakeWhile(t => t.Length > 0 && t[0] == L1InfoDeposit.DepositTxType).Count();
}
