using OpenLedger.Evm.Execution;
using OpenLedger.Primitives;
using OpenLedger.State.World;

namespace OpenLedger.Evm.Transactions;

/// <summary>
/// A processed transaction. <see cref="Rejection"/> set means the transaction is invalid and the state is untouched
/// (it cannot be included); otherwise it ran, successfully or not (<see cref="Status"/>), and paid <see cref="GasUsed"/>.
/// </summary>
public sealed record TransactionResult(
    string? Rejection,
    EvmStatus Status,
    long GasUsed,
    byte[] Output,
    IReadOnlyList<LogEntry> Logs,
    Address? ContractAddress)
{
    /// <summary>Deposits (0x7E): the sender's nonce before execution (the receipt's depositNonce); null otherwise.</summary>
    public ulong? DepositNonce { get; init; }

    /// <summary>Deposits: why a deposit failed outside the EVM (e.g. value above balance); it is still included, as failed.</summary>
    public string? DepositFailure { get; init; }

    /// <summary>Rollups: the L1 data fee the sender paid (gas token wei; zero for deposits and on plain chains).</summary>
    public UInt256 L1Fee { get; init; }

    public bool IsValid => Rejection == null;
    public bool Success => IsValid && Status is EvmStatus.Stop or EvmStatus.Return;

    public static TransactionResult Rejected(string reason) => new(reason, EvmStatus.Stop, 0, [], [], null);
}
