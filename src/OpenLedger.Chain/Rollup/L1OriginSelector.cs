using Microsoft.Extensions.Logging;
using OpenLedger.Primitives;

namespace OpenLedger.Chain.Rollup;

/// <summary>Why the sequencer cannot name an L1 origin for the next block now (it retries on the next slot).</summary>
public sealed class L1OriginException(string message, bool originReorged = false) : Exception(message)
{
    /// <summary>The head's own L1 origin is no longer canonical: the unsafe blocks on it must go (see <see cref="RollupBlockPlanner"/>).</summary>
    public bool OriginReorged { get; } = originReorged;
}

/// <summary>
/// Picks the L1 origin of the next L2 block as op-node's sequencer does: keep the parent's origin, or move to the next
/// L1 block once the L2 timestamp reaches its timestamp (at most one step per L2 block, and only to blocks
/// <see cref="RollupSequencingConfig.L1ConfirmationDepth"/> behind the L1 head). Past the maximum sequencer drift the
/// next origin is required: without it no block can be built (an error, not a silent wait). The parent's origin must
/// still be canonical on L1; if L1 reorganized it away the sequencer stops and says so (derivation resets the chain).
/// </summary>
public sealed class L1OriginSelector(IL1BlockSource l1, RollupSequencingConfig config, ILogger? logger = null)
{
    public async Task<L1BlockRef> SelectAsync(ulong parentOriginNumber, Hash256 parentOriginHash, ulong nextL2Timestamp, CancellationToken ct)
    {
        var current = await l1.GetBlockAsync(parentOriginNumber, ct)
            ?? throw new L1OriginException($"the L1 origin of the head, L1 block {parentOriginNumber}, is not on L1 (L1 went back?)", originReorged: true);
        if (current.Hash != parentOriginHash)
            throw new L1OriginException($"the L1 origin of the head, L1 block {parentOriginNumber} {parentOriginHash}, was reorganized away (L1 now has {current.Hash}); the chain must be re-derived", originReorged: true);

        bool pastDrift = nextL2Timestamp > current.Timestamp + config.MaxSequencerDrift;
        var head = await l1.GetHeadAsync(ct);
        L1BlockRef? next = null;
        if (current.Number + 1 + config.L1ConfirmationDepth <= head.Number)
            next = await l1.GetBlockAsync(current.Number + 1, ct);
        if (next is null)
        {
            if (pastDrift)
                throw new L1OriginException($"L2 time {nextL2Timestamp} is past L1 origin {current.Number} (time {current.Timestamp}) by more than the maximum sequencer drift ({config.MaxSequencerDrift} s), and the next L1 block is not available");
            return current;
        }
        if (next.ParentHash != current.Hash)
            throw new L1OriginException($"L1 block {next.Number} does not follow the head's origin {current.Hash} (L1 reorganized); the chain must be re-derived");
        if (current.Number + config.SequencingWindowSize <= head.Number)
            logger?.LogWarning("L1 origin {Origin} is {Lag} L1 blocks behind the L1 head, beyond the sequencing window ({Window}): its batches can no longer be included", current.Number, head.Number - current.Number, config.SequencingWindowSize);
        return nextL2Timestamp >= next.Timestamp ? next : current;
    }
}
