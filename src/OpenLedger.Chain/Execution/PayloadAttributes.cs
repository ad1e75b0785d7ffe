using OpenLedger.Primitives;
using OpenLedger.Primitives.Transactions;

namespace OpenLedger.Chain.Execution;

/// <summary>
/// What a block is built from, as the OP Stack engine API's PayloadAttributes: the sequencer makes them from its L1 origin
/// and the pool, derivation makes them from L1 data, and both go through <see cref="Blockchain.BuildBlock"/>.
/// <see cref="Transactions"/> are forced in order (deposits first: the L1 attributes deposit, then user deposits, then,
/// for derived blocks, the batch's transactions); any of them the EVM rejects makes the whole payload invalid
/// (<see cref="InvalidPayloadException"/>) and nothing is committed. Deposits that fail in execution are not rejections:
/// they are included as failed. With <see cref="NoTxPool"/> false the pool's transactions follow the forced ones.
/// </summary>
public sealed record PayloadAttributes
{
    /// <summary>The block's timestamp; must be above the parent's.</summary>
    public required ulong Timestamp { get; init; }

    /// <summary>Forced transactions, in block order (deposits first).</summary>
    public IReadOnlyList<Transaction> Transactions { get; init; } = [];

    /// <summary>True: only <see cref="Transactions"/> (derivation, or a sequencer past the drift limit). False: pool transactions follow.</summary>
    public bool NoTxPool { get; init; }

    /// <summary>PREVRANDAO; null derives keccak256(parent hash) (a sequencer has no beacon randomness).</summary>
    public Hash256? PrevRandao { get; init; }

    /// <summary>The block's coinbase; null uses the chain's configured one (the SequencerFeeVault on a rollup).</summary>
    public Address? FeeRecipient { get; init; }

    /// <summary>The block gas limit; null keeps the parent's.</summary>
    public ulong? GasLimit { get; init; }
}

/// <summary>Payload attributes that cannot make a block (a forced transaction the EVM rejects, a bad timestamp, a deposit not fitting).</summary>
public sealed class InvalidPayloadException(string message) : Exception(message);
