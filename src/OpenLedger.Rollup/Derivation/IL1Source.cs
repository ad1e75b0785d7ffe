namespace OpenLedger.Rollup.Derivation;

/// <summary>How derivation reads L1. Implemented over JSON-RPC (<see cref="L1.RpcL1Source"/>) and in memory for tests.</summary>
public interface IL1Source
{
    /// <summary>The canonical block at <paramref name="number"/> with its transactions and SystemConfig logs, or null when L1 has no such block yet.</summary>
    Task<L1Block?> BlockByNumberAsync(ulong number, CancellationToken ct = default);

    /// <summary>The latest finalized L1 block, or null if the L1 reports none.</summary>
    Task<L1BlockRef?> FinalizedAsync(CancellationToken ct = default);
}

/// <summary>
/// The L2 chain derivation reads back: the safe chain's block refs and sequencer transactions (span batches that
/// overlap the safe chain are checked against it).
/// </summary>
public interface IL2SafeChain
{
    L2BlockRef? BlockByNumber(ulong number);

    /// <summary>The block's non-deposit transactions (EIP-2718 bytes), or null if unknown.</summary>
    IReadOnlyList<byte[]>? SequencerTransactions(ulong number);
}

/// <summary>Raised when the next L1 block does not extend the one derivation last read: the pipeline must reset.</summary>
public sealed class L1ReorgException(string message) : Exception(message);
