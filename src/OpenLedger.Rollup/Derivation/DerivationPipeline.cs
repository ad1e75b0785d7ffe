using Microsoft.Extensions.Logging;
using OpenLedger.Rollup.Config;

namespace OpenLedger.Rollup.Derivation;

/// <summary>
/// The stages wired together: L1 traversal → retrieval → frame queue → channel bank → channel reader → batch queue →
/// attributes. Each L1 block's frames go through the bank one at a time, ready channels are read as soon as they are
/// (as op-node's pull order does), and their batches are queued with that block as inclusion block.
/// </summary>
public sealed class DerivationPipeline
{
    private readonly RollupConfig _config;
    private readonly IL1Source _l1;
    private readonly ILogger _logger;
    private readonly L1Traversal _traversal;
    private readonly ChannelBank _bank;
    private readonly ChannelReader _reader;
    private readonly BatchQueue _batches;
    private readonly Dictionary<ulong, SystemConfig> _configAt = [];

    public DerivationPipeline(RollupConfig config, IL1Source l1, ILogger logger)
    {
        _config = config;
        _l1 = l1;
        _logger = logger;
        _traversal = new L1Traversal(l1, config, logger);
        _bank = new ChannelBank(config, logger);
        _reader = new ChannelReader(config, logger);
        _batches = new BatchQueue(config, logger);
    }

    /// <summary>The L1 block whose data derivation has consumed.</summary>
    public L1BlockRef? Origin => _traversal.Current?.Ref;

    /// <summary>
    /// Starts over from a safe head: reads L1 from the channel timeout before the head's L1 origin (so channels opened
    /// earlier still complete). <paramref name="systemConfig"/> is the system config as of that point.
    /// </summary>
    public async Task ResetAsync(L2BlockRef safe, SystemConfig systemConfig, CancellationToken ct = default)
    {
        _bank.Reset();
        _batches.Reset();
        _configAt.Clear();
        ulong back = Math.Max(_config.ChannelTimeout, ProtocolConstants.ChannelTimeoutGranite);
        ulong start = safe.L1Origin.Number > _config.GenesisL1.Number + back ? safe.L1Origin.Number - back : _config.GenesisL1.Number;
        var block = await _l1.BlockByNumberAsync(start, ct).ConfigureAwait(false)
            ?? throw new L1ReorgException($"L1 has no block {start} to start derivation from");
        _traversal.Reset(block, systemConfig);
        Ingest(block, safe);
    }

    /// <summary>The attributes of the block after <paramref name="safe"/>, or null when L1 holds nothing more yet.</summary>
    public async Task<PayloadAttributes?> NextAsync(L2BlockRef safe, IL2SafeChain chain, CancellationToken ct = default)
    {
        while (true)
        {
            var batch = _batches.Next(safe, chain);
            if (batch != null)
            {
                var origin = _batches.EpochBlock(batch.EpochNum) ?? throw new InvalidOperationException($"batch queue lost L1 block {batch.EpochNum}");
                var sys = _configAt.TryGetValue(origin.Number, out var s) ? s : _traversal.SystemConfig;
                return AttributesBuilder.Build(batch, origin, sys, safe, _logger);
            }
            if (!await _traversal.AdvanceAsync(ct).ConfigureAwait(false)) return null;
            Ingest(_traversal.Current!, safe);
        }
    }

    private void Ingest(L1Block block, L2BlockRef safe)
    {
        _configAt[block.Number] = _traversal.SystemConfig;
        foreach (var data in L1Retrieval.BatcherData(block, _traversal.SystemConfig, _config, _logger))
        {
            foreach (var frame in FrameQueue.Parse(data, block.Number, _logger))
            {
                _bank.IngestFrame(frame, block.Ref);
                while (_bank.Read(block.Ref) is { } channel)
                    foreach (var batch in _reader.Read(channel.Data(), channel.Id, block.Ref))
                        _batches.AddBatch(batch, block.Number);
            }
        }
        while (_bank.Read(block.Ref) is { } channel) // channels that time-out pruning alone made reachable
            foreach (var batch in _reader.Read(channel.Data(), channel.Id, block.Ref))
                _batches.AddBatch(batch, block.Number);
        _batches.AddL1Block(block, safe);
    }
}
