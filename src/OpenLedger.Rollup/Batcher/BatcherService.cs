using System.Security.Cryptography;
using Microsoft.Extensions.Logging;
using OpenLedger.Rollup.Config;
using OpenLedger.Rollup.Derivation;
using OpenLedger.Rollup.Encoding;

namespace OpenLedger.Rollup.Batcher;

/// <summary>
/// The batcher: unsafe L2 blocks → batches (singular or one span batch) → a compressed channel → frames, each frame
/// one calldata transaction from the batcher key to the batch inbox, sent in order and awaited. It keeps no state of
/// its own: on start (and after any failure) it learns the safe head by deriving from L1 exactly as a replica does,
/// and posts from the block after it. A channel cut short by a crash times out on L1 and its blocks are posted again
/// in a new channel, so derivation never meets a gap.
/// </summary>
public sealed class BatcherService
{
    private readonly RollupConfig _config;
    private readonly IL1Source _l1;
    private readonly IL2BlockSource _l2;
    private readonly L1TxSender _sender;
    private readonly BatcherOptions _options;
    private readonly ILogger _logger;
    private readonly SpanBatchCodec _span;
    private Deriver? _deriver;
    private VerifyingEngine? _engine;
    private ulong _postedUpTo;
    private ulong _lastPostedL1;

    public BatcherService(RollupConfig config, IL1Source l1, IL2BlockSource l2, L1TxSender sender, BatcherOptions options, ILogger logger)
    {
        options.Validate();
        if (sender.From != config.GenesisSystemConfig.BatcherAddress)
            throw new ArgumentException($"batcher key is for {sender.From}, but the rollup config's batcher is {config.GenesisSystemConfig.BatcherAddress}");
        _config = config;
        _l1 = l1;
        _l2 = l2;
        _sender = sender;
        _options = options;
        _logger = logger;
        _span = new SpanBatchCodec(config.GenesisL2Time, config.BlockTime, config.L2ChainId);
    }

    /// <summary>Raised after each frame's L1 transaction is mined: (channel id, frame number, frames in channel, L1 block).</summary>
    public event Action<string, int, int, ulong>? FrameMined;

    public L2BlockRef? SafeHead => _engine?.SafeHead;

    public async Task RunAsync(CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            try
            {
                if (!await PostNextChannelAsync(ct).ConfigureAwait(false))
                    await Task.Delay(_options.PollInterval, ct).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested) { throw; }
            catch (Exception e)
            {
                _logger.LogError("batcher: {Error}; re-deriving the safe head from L1", e.Message);
                _deriver = null;
                await Task.Delay(_options.PollInterval, ct).ConfigureAwait(false);
            }
        }
    }

    /// <summary>Brings the safe head up to date from L1; posts one channel of the blocks after it if there are any. Returns whether it posted.</summary>
    public async Task<bool> PostNextChannelAsync(CancellationToken ct)
    {
        if (_deriver is null)
        {
            var genesis = await _l2.BlockAsync(_config.GenesisL2.Number, ct).ConfigureAwait(false)
                ?? throw new InvalidOperationException("L2 node has no genesis block");
            if (genesis.Hash != _config.GenesisL2.Hash) throw new InvalidOperationException($"L2 genesis {genesis.Hash} is not the rollup config's {_config.GenesisL2.Hash}");
            _engine = new VerifyingEngine(_l2, genesis with { L1Origin = _config.GenesisL1, SequenceNumber = 0 });
            _deriver = new Deriver(_config, _l1, _engine, _logger);
            _postedUpTo = 0;
        }
        await _deriver.StepAsync(_config.GenesisSystemConfig, ct).ConfigureAwait(false);
        var safe = _engine!.SafeHead;
        ulong l1Now = _deriver.CurrentL1?.Number ?? 0;
        if (safe.Number < _postedUpTo && l1Now > _lastPostedL1 + _config.ChannelTimeoutAt(_deriver.CurrentL1?.Time ?? 0))
        {
            _logger.LogWarning("batcher: blocks {From}-{To} were posted but not derived within the channel timeout; posting them again", safe.Number + 1, _postedUpTo);
            _postedUpTo = safe.Number;
        }
        ulong start = Math.Max(safe.Number, _postedUpTo) + 1;
        ulong head = await _l2.HeadNumberAsync(ct).ConfigureAwait(false);
        if (head < start) return false;
        var blocks = new List<L2BlockData>();
        int full = 0, empty = 0, maxEmpty = _options.SpanBatches ? _options.MaxEmptyBlocksPerChannel : 0;
        for (ulong n = start; n <= head && full < _options.MaxBlocksPerChannel; n++)
        {
            var block = await _l2.BlockAsync(n, ct).ConfigureAwait(false) ?? throw new InvalidOperationException($"L2 block {n} vanished");
            if (block.SequencerTransactions.Count == 0 && empty < maxEmpty) empty++;
            else full++;
            blocks.Add(block);
        }
        ulong end = start + (ulong)blocks.Count - 1;
        var parent = start - 1 == safe.Number ? safe : (await _l2.BlockAsync(start - 1, ct).ConfigureAwait(false))!.Ref;
        if (blocks[0].ParentHash != parent.Hash) throw new InvalidOperationException($"L2 block {start} does not extend {parent}: the L2 chain reorganized");

        var channel = new ChannelOut(RandomNumberGenerator.GetBytes(Frame.ChannelIdLength), _options.Compression);
        if (_options.SpanBatches)
        {
            var elements = blocks.Select(b => new SpanBatchElement(b.L1Origin.Number, b.Timestamp, b.SequencerTransactions)).ToList();
            channel.AddBatch(BatchCodec.EncodeSpan(SpanBatch.FromBlocks(parent.Hash, blocks[^1].L1Origin.Hash, blocks[0].L1Origin.Number != parent.L1Origin.Number, elements), _span));
        }
        else
        {
            var prev = parent;
            foreach (var b in blocks)
            {
                channel.AddBatch(BatchCodec.EncodeSingular(new SingularBatch(prev.Hash, b.L1Origin.Number, b.L1Origin.Hash, b.Timestamp, b.SequencerTransactions)));
                prev = b.Ref;
            }
        }
        var frames = channel.ToFrames(_options.MaxFrameSize);
        // A channel must land within the channel timeout: with one frame per L1 block at worst, keep it to half.
        int maxFrames = (int)Math.Max(1, _config.ChannelTimeoutAt(_deriver.CurrentL1?.Time ?? 0) / 2);
        if (frames.Count > maxFrames && blocks.Count > 1)
            throw new InvalidOperationException($"channel needs {frames.Count} frames, more than {maxFrames}: lower max blocks per channel or raise the frame size");
        string id = Hex.Encode(channel.ChannelId);
        _logger.LogInformation("batcher: channel {Channel}: L2 blocks {Start}-{End}, {Rlp} bytes of batches, {Frames} frame(s)", id, start, end, channel.RlpLength, frames.Count);
        foreach (var f in frames)
        {
            ulong l1Block = await _sender.SendAsync(_config.BatchInboxAddress, Frame.EncodeBatcherData([f]), ct).ConfigureAwait(false);
            _lastPostedL1 = l1Block;
            FrameMined?.Invoke(id, f.FrameNumber, frames.Count, l1Block);
        }
        _postedUpTo = end;
        return true;
    }
}
