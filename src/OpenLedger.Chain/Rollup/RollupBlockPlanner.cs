using Microsoft.Extensions.Logging;
using OpenLedger.Primitives;
using OpenLedger.Chain.Execution;
using OpenLedger.Primitives.Transactions;

namespace OpenLedger.Chain.Rollup;

/// <summary>
/// Makes the sequencer's payload attributes for the next block on the head: timestamp = parent + block time, the L1
/// origin from <see cref="L1OriginSelector"/> (whose mix hash is the block's prevRandao and whose beacon root its parent beacon root), the L1 attributes deposit first (sequence number 0 at a new origin,
/// parent's + 1 otherwise), the SequencerFeeVault as coinbase, and no pool transactions once the block would be past the
/// maximum sequencer drift (the spec's rule: such a block may only hold deposits).
/// </summary>
public sealed class RollupBlockPlanner(Blockchain chain, IL1BlockSource l1, RollupSequencingConfig config, ILogger? logger = null)
{
    private readonly L1OriginSelector _selector = new(l1, config, logger);

    public RollupSequencingConfig Config => config;

    /// <summary>The portal's logs; null on a chain without a deposit contract (no user deposits).</summary>
    public IL1DepositSource? Deposits { get; init; }
    public Blockchain Chain => chain;

    /// <summary>The timestamp the next block must have.</summary>
    public ulong NextTimestamp => chain.Head.Timestamp + config.BlockTimeSeconds;

    public async Task<PayloadAttributes> NextAsync(CancellationToken ct)
    {
        var head = chain.Head;
        ulong timestamp = head.Timestamp + config.BlockTimeSeconds;
        var (originNumber, originHash, sequenceNumber, systemConfig) = ParentEpoch(head);
        var origin = await _selector.SelectAsync(originNumber, originHash, timestamp, ct);
        ulong seq = origin.Number == originNumber ? sequenceNumber + 1 : 0;
        if (timestamp < origin.Timestamp)
            throw new L1OriginException($"L2 time {timestamp} is before its L1 origin's time {origin.Timestamp}");
        bool pastDrift = timestamp > origin.Timestamp + config.MaxSequencerDrift;
        if (pastDrift)
            logger?.LogWarning("L2 block at {Time} is past the sequencer drift of L1 origin {Origin}: deposits only", timestamp, origin.Number);
        var info = L1BlockInfo.From(origin, seq, systemConfig);
        return new PayloadAttributes
        {
            Timestamp = timestamp,
            Transactions = [info.ToDepositTransaction(), .. await UserDepositsAsync(origin, seq, ct)],
            NoTxPool = pastDrift,
            FeeRecipient = Predeploys.SequencerFeeVault,
            // As derivation builds the same block: prevRandao and the beacon root come from the L1 origin.
            PrevRandao = origin.MixHash,
            ParentBeaconBlockRoot = origin.ParentBeaconRoot,
        };
    }

    /// <summary>The user deposits of a new origin, after the L1 attributes deposit in the epoch's first block (as derivation adds them).</summary>
    private async Task<List<Transaction>> UserDepositsAsync(L1BlockRef origin, ulong sequenceNumber, CancellationToken ct)
    {
        if (Deposits is null || sequenceNumber != 0) return [];
        var logs = await Deposits.GetDepositLogsAsync(origin.Hash, ct);
        return DepositLog.ToDeposits(logs, (log, why) => logger?.LogWarning("L1 block {Origin}: portal log {Index} skipped: {Reason}", origin.Number, log.LogIndex, why));
    }

    /// <summary>The head's L1 origin, its sequence number and system config: from its L1 attributes, or the configured genesis anchor for block 0.</summary>
    private (ulong Number, Hash256 Hash, ulong Sequence, SystemConfigValues Config) ParentEpoch(Blocks.BlockHeader head)
    {
        if (head.Number == 0) return (config.GenesisL1Number, config.GenesisL1Hash, 0, config.GenesisSystemConfig);
        var block = chain.Store.GetBlock(head.Hash) ?? throw new InvalidOperationException($"head block {head.Hash} is missing from the store");
        var info = L1BlockInfo.FromBlock(block)
            ?? throw new L1OriginException($"head block {head.Number} has no L1 attributes transaction: this data directory was not made by a rollup sequencer");
        return (info.Number, info.Hash, info.SequenceNumber, info.SystemConfig);
    }
}
