using Microsoft.Extensions.Logging;
using OpenLedger.Rollup.Config;
using OpenLedger.Rollup.Encoding;

namespace OpenLedger.Rollup.Derivation;

/// <summary>
/// Stage 5: decompresses a ready channel (zlib, or brotli from Fjord; at most MAX_RLP_BYTES_PER_CHANNEL) and decodes
/// its batches in order. Batches before a malformed one are kept; the rest of the channel is dropped.
/// </summary>
public sealed class ChannelReader(RollupConfig config, ILogger logger)
{
    private readonly SpanBatchCodec _span = new(config.GenesisL2Time, config.BlockTime, config.L2ChainId);

    public List<Batch> Read(byte[] channelData, string channelId, L1BlockRef block)
    {
        var batches = new List<Batch>();
        var rlp = ChannelCompression.Decompress(channelData, config.MaxRlpBytesPerChannelAt(block.Time), config.IsFjord(block.Time), out var error);
        if (error != null) logger.LogWarning("channel {Channel}: {Error}", channelId, error);
        if (rlp.Length == 0)
        {
            if (error == null) logger.LogWarning("channel {Channel}: decompresses to nothing", channelId);
            return batches;
        }
        var items = ChannelCompression.SplitRlpStrings(rlp, out error);
        foreach (var item in items)
        {
            try
            {
                // Delta is active from genesis (RollupConfigJson requires it), so span batches are always allowed.
                batches.Add(BatchCodec.Decode(item, _span, spanBatchesAllowed: true));
            }
            catch (Exception e) when (e is BatchFormatException or OverflowException)
            {
                logger.LogWarning("channel {Channel}: dropping batch {Index} and the rest of the channel: {Error}", channelId, batches.Count, e.Message);
                return batches;
            }
        }
        if (error != null) logger.LogWarning("channel {Channel}: {Error}", channelId, error);
        return batches;
    }
}
