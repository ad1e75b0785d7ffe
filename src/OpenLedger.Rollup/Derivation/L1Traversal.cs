using Microsoft.Extensions.Logging;
using OpenLedger.Rollup.Config;

namespace OpenLedger.Rollup.Derivation;

/// <summary>
/// Stage 1: walks L1 one block at a time, checking each extends the last, and keeps the system config as of the
/// block being read (ConfigUpdate logs of the L1 SystemConfig contract apply from the block that holds them).
/// </summary>
public sealed class L1Traversal(IL1Source l1, RollupConfig config, ILogger logger)
{
    public L1Block? Current { get; private set; }
    public SystemConfig SystemConfig { get; private set; } = config.GenesisSystemConfig;

    public void Reset(L1Block start, SystemConfig systemConfig)
    {
        Current = start;
        SystemConfig = systemConfig;
    }

    /// <summary>Moves to the next L1 block; false when L1 has none yet. Throws <see cref="L1ReorgException"/> if it does not extend the current one.</summary>
    public async Task<bool> AdvanceAsync(CancellationToken ct)
    {
        var current = Current ?? throw new InvalidOperationException("L1 traversal used before reset");
        var next = await l1.BlockByNumberAsync(current.Number + 1, ct).ConfigureAwait(false);
        if (next is null)
        {
            // Nothing new: make sure the block we stand on is still canonical (a reorg to an equally long branch).
            var same = await l1.BlockByNumberAsync(current.Number, ct).ConfigureAwait(false);
            if (same is null || same.Hash != current.Hash)
                throw new L1ReorgException($"L1 block {current.Number} ({current.Hash}) is no longer canonical");
            return false;
        }
        if (next.Ref.ParentHash != current.Hash)
            throw new L1ReorgException($"L1 block {next.Number} ({next.Hash}) has parent {next.Ref.ParentHash}, not {current.Hash}");
        foreach (var log in next.SystemConfigLogs)
        {
            if (log.Address != config.L1SystemConfigAddress) continue;
            try
            {
                var updated = SystemConfigUpdate.Apply(SystemConfig, log);
                if (updated != SystemConfig) logger.LogInformation("system config updated at L1 block {Number}: {Config}", next.Number, updated);
                SystemConfig = updated;
            }
            catch (FormatException e)
            {
                logger.LogWarning("L1 block {Number}: ignoring malformed SystemConfig log: {Error}", next.Number, e.Message);
            }
        }
        Current = next;
        return true;
    }
}
