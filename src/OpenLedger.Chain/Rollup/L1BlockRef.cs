using OpenLedger.Primitives;

namespace OpenLedger.Chain.Rollup;

/// <summary>
/// What an L2 block needs to know of an L1 block to name it as its origin (op-node's L1BlockRef plus the fees the
/// L1 attributes carry). <see cref="BlobBaseFee"/> is 1 for an L1 block without a blob fee market (the spec's rule).
/// </summary>
public sealed record L1BlockRef(ulong Number, Hash256 Hash, Hash256 ParentHash, ulong Timestamp, UInt256 BaseFee, UInt256 BlobBaseFee)
{
    public override string ToString() => $"L1 #{Number} {Hash}";
}

/// <summary>Where the sequencer reads L1 blocks. Two implementations: a JSON-RPC L1 (Nethereum) and a configured fixed origin.</summary>
public interface IL1BlockSource
{
    /// <summary>The newest L1 block (the sequencer applies its confirmation depth itself).</summary>
    Task<L1BlockRef> GetHeadAsync(CancellationToken ct);

    /// <summary>The canonical L1 block at <paramref name="number"/>, or null if L1 has none (yet).</summary>
    Task<L1BlockRef?> GetBlockAsync(ulong number, CancellationToken ct);
}

/// <summary>
/// An L1 that never moves: one configured block is both the head and the only origin. For a standalone chain (tests,
/// a node without L1): every L2 block names that origin, and the sequencer stops including user transactions once the
/// L2 clock runs past it by the maximum sequencer drift, as the spec demands; it says so in its log.
/// </summary>
public sealed class FixedL1Source(L1BlockRef origin) : IL1BlockSource
{
    public L1BlockRef Origin { get; } = origin;
    public Task<L1BlockRef> GetHeadAsync(CancellationToken ct) => Task.FromResult(Origin);
    public Task<L1BlockRef?> GetBlockAsync(ulong number, CancellationToken ct) => Task.FromResult(number == Origin.Number ? Origin : null);
}
