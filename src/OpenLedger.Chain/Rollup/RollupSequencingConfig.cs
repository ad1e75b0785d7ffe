namespace OpenLedger.Chain.Rollup;

/// <summary>
/// The sequencer's rollup parameters (op-node's rollup config, the parts the sequencer uses; specs/protocol/derivation.md).
/// Defaults are OP Stack's: max sequencer drift 1800 s (Fjord's constant), sequencing window 3600 L1 blocks.
/// </summary>
public sealed record RollupSequencingConfig
{
    /// <summary>L2 block time in seconds: every block's timestamp is its parent's plus this.</summary>
    public ulong BlockTimeSeconds { get; init; } = 1;

    /// <summary>How far (seconds) an L2 block's timestamp may run ahead of its L1 origin's before only deposits may be included.</summary>
    public ulong MaxSequencerDrift { get; init; } = 1800;

    /// <summary>L1 blocks after an epoch's origin within which its batches must be included on L1.</summary>
    public ulong SequencingWindowSize { get; init; } = 3600;

    /// <summary>L1 blocks the sequencer keeps behind the L1 head before adopting one as an origin (reorg safety).</summary>
    public ulong L1ConfirmationDepth { get; init; }

    /// <summary>The L1 block genesis is anchored to (op-node's genesis.l1): the origin of L2 block 0.</summary>
    public required ulong GenesisL1Number { get; init; }
    public required OpenLedger.Primitives.Hash256 GenesisL1Hash { get; init; }

    /// <summary>The system config at genesis (carried forward by each block's L1 attributes until derivation changes it).</summary>
    public SystemConfigValues GenesisSystemConfig { get; init; } = new();

    /// <summary>The spec's window rule, one home for batcher and derivation: a batch for <paramref name="epoch"/> counts only if included in an L1 block before epoch + window.</summary>
    public bool IsWithinSequencingWindow(ulong epoch, ulong inclusionL1Block) => inclusionL1Block < epoch + SequencingWindowSize;
}
