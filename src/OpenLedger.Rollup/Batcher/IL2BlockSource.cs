using OpenLedger.Rollup.Config;
using OpenLedger.Rollup.Derivation;

namespace OpenLedger.Rollup.Batcher;

/// <summary>An unsafe L2 block as the batcher needs it: identity, time, L1 origin (from its L1 info deposit) and its sequenced transactions.</summary>
public sealed record L2BlockData(Hash256 Hash, ulong Number, Hash256 ParentHash, ulong Timestamp, BlockId L1Origin, ulong SequenceNumber, IReadOnlyList<byte[]> SequencerTransactions)
{
    public L2BlockRef Ref => new(Hash, Number, ParentHash, Timestamp, L1Origin, SequenceNumber);
}

/// <summary>Where the batcher reads L2 blocks: the sequencer's JSON-RPC (<see cref="RpcL2BlockSource"/>), or a test chain.</summary>
public interface IL2BlockSource
{
    Task<ulong> HeadNumberAsync(CancellationToken ct = default);

    Task<L2BlockData?> BlockAsync(ulong number, CancellationToken ct = default);
}
