namespace OpenLedger.Rollup.Derivation;

/// <summary>
/// The L2 side derivation drives: builds a block from payload attributes on top of the safe head and makes it the
/// new safe head, or rewinds the safe chain after an L1 reorg. The node's adapter runs it through the chain's one
/// execution path; tests use an in-memory engine.
/// </summary>
public interface IExecutionEngine : IL2SafeChain
{
    L2BlockRef SafeHead { get; }

    Task<L2BlockRef> ExecuteAsync(L2BlockRef parent, PayloadAttributes attributes, CancellationToken ct = default);

    /// <summary>Makes <paramref name="block"/> (an ancestor of the safe head) the safe head again.</summary>
    Task RewindAsync(L2BlockRef block, CancellationToken ct = default);
}
