using Microsoft.Extensions.Logging;
using OpenLedger.Primitives;
using OpenLedger.Chain.Execution;
using OpenLedger.Primitives.Transactions;

namespace OpenLedger.Chain.Rollup;

/// <summary>The system config after a new epoch's L1 origin: the values L1 attributes carry and the L2 gas limit.</summary>
public delegate Task<(SystemConfigValues Values, ulong GasLimit)> SystemConfigUpdater(L1BlockRef origin, SystemConfigValues current, ulong gasLimit, CancellationToken ct);

/// <summary>
/// Makes the sequencer's payload attributes for the next block on the head: timestamp = parent + block time, the L1
/// origin from <see cref="L1OriginSelector"/> (whose mix hash is the block's prevRandao and whose beacon root its parent beacon root), the rest from RollupAttributes.Build (shared with derivation): the L1 attributes deposit first (sequence number 0 at a new origin,
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
        L1BlockRef origin;
        try
        {
            origin = await _selector.SelectAsync(originNumber, originHash, timestamp, ct);
        }
        catch (L1OriginException e) when (e.OriginReorged)
        {
            // L1 reorganized the head's origin away: drop the unsafe blocks built on it and sequence again from there.
            await RewindUnsafeToCanonicalOriginAsync(e, ct);
            head = chain.Head;
            timestamp = head.Timestamp + config.BlockTimeSeconds;
            (originNumber, originHash, sequenceNumber, systemConfig) = ParentEpoch(head);
            origin = await _selector.SelectAsync(originNumber, originHash, timestamp, ct);
        }
        ulong seq = origin.Number == originNumber ? sequenceNumber + 1 : 0;
        if (timestamp < origin.Timestamp)
            throw new L1OriginException($"L2 time {timestamp} is before its L1 origin's time {origin.Timestamp}");
        bool pastDrift = timestamp > origin.Timestamp + config.MaxSequencerDrift;
        bool held = HoldPool?.Invoke(timestamp) == true;
        if (pastDrift) // expected, block after block, while a devnet's time jump is caught up
            logger?.Log(held ? LogLevel.Debug : LogLevel.Warning, "L2 block at {Time} is past the sequencer drift of L1 origin {Origin}: deposits only", timestamp, origin.Number);
        // The same attributes derivation builds for this block (one function): with the pool's transactions after them.
        // Gas limit: the system config's as carried by the parent (op-node reads an L2 block's system config from its
        // L1 attributes and header gas limit); L1 ConfigUpdate logs change it through SystemConfigUpdates.
        (systemConfig, ulong gasLimit) = await UpdateSystemConfigAsync(origin, originNumber, systemConfig, head.GasLimit, ct);
        return RollupAttributes.Build(timestamp, origin, seq, systemConfig, gasLimit, await UserDepositsAsync(origin, seq, ct), [],
            noTxPool: pastDrift || held);
    }

    private async Task<(SystemConfigValues, ulong)> UpdateSystemConfigAsync(L1BlockRef origin, ulong parentOriginNumber, SystemConfigValues current, ulong gasLimit, CancellationToken ct) =>
        origin.Number != parentOriginNumber && SystemConfigUpdates is { } updates ? await updates(origin, current, gasLimit, ct) : (current, gasLimit);

    /// <summary>
    /// Applies the L1 SystemConfig's ConfigUpdate logs of a new epoch's origin (as derivation's L1 traversal does), or
    /// null when the node does not watch the L1 SystemConfig (then the genesis values carry forward).
    /// </summary>
    public SystemConfigUpdater? SystemConfigUpdates { get; init; }

    /// <summary>True for a timestamp whose block takes no pool transactions (a devnet's time jump skipped over it: see Dev.RollupTimeTravel).</summary>
    public Func<ulong, bool>? HoldPool { get; init; }

    /// <summary>
    /// Rewinds the chain to the newest unsafe block whose L1 origin is still canonical, never below the safe head (that is
    /// derivation's to rewind: until it does, this throws and the sequencer retries). The removed blocks' transactions
    /// go back to the pool, as op-geth re-injects them on a reorg.
    /// </summary>
    private async Task RewindUnsafeToCanonicalOriginAsync(L1OriginException cause, CancellationToken ct)
    {
        var safe = chain.Safe;
        var target = chain.Head;
        while (target.Number > safe.Number)
        {
            var (n, h, _, _) = ParentEpoch(target);
            if ((await l1.GetBlockAsync(n, ct))?.Hash == h) break;
            target = chain.Store.GetHeader(target.ParentHash) ?? throw new InvalidOperationException($"block {target.ParentHash} is missing from the store");
        }
        if (target.Number == safe.Number && target.Number > 0)
        {
            var (n, h, _, _) = ParentEpoch(target);
            if ((await l1.GetBlockAsync(n, ct))?.Hash != h)
                throw new L1OriginException($"{cause.Message}; the safe head's origin is gone too: waiting for derivation to rewind the safe chain");
        }
        var removed = chain.TransactionsAbove(target);
        logger?.LogWarning("L1 reorganized the origin of unsafe blocks {From}..{To}: rewinding to {Target} and sequencing again", target.Number + 1, chain.Head.Number, target.Number);
        chain.Rewind(target);
        chain.Repool(removed);
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
