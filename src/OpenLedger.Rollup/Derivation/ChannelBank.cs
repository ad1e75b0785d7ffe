using Microsoft.Extensions.Logging;
using OpenLedger.Rollup.Config;
using OpenLedger.Rollup.Encoding;

namespace OpenLedger.Rollup.Derivation;

/// <summary>
/// Stage 4: buffers frames into channels (FIFO by opening), drops frames for timed-out channels, duplicates and
/// duplicate closes, prunes the oldest channels beyond MAX_CHANNEL_BANK_SIZE, and hands out the first ready channel
/// in FIFO order (Canyon), discarding timed-out channels it meets at the front.
/// </summary>
public sealed class ChannelBank(RollupConfig config, ILogger logger)
{
    private readonly List<Channel> _queue = [];
    private readonly Dictionary<string, Channel> _byId = [];

    public int ChannelCount => _queue.Count;

    public void Reset()
    {
        _queue.Clear();
        _byId.Clear();
    }

    public void IngestFrame(Frame frame, L1BlockRef block)
    {
        var id = frame.ChannelIdHex;
        ulong timeout = config.ChannelTimeoutAt(block.Time);
        if (!_byId.TryGetValue(id, out var ch))
        {
            ch = new Channel(id, block);
            _byId[id] = ch;
            _queue.Add(ch);
        }
        if (ch.IsTimedOut(block.Number, timeout))
        {
            logger.LogWarning("L1 block {Number}: dropping frame {Frame} of timed-out channel {Channel} (opened at {Open})", block.Number, frame.FrameNumber, id, ch.OpenBlock.Number);
            return;
        }
        var dropped = ch.AddFrame(frame, block);
        if (dropped != null)
        {
            logger.LogWarning("L1 block {Number}: channel {Channel}: dropping {Reason}", block.Number, id, dropped);
            return;
        }
        Prune(config.MaxChannelBankSizeAt(block.Time));
    }

    private void Prune(long maxSize)
    {
        long total = _queue.Sum(c => c.Size);
        while (total > maxSize && _queue.Count > 0)
        {
            var oldest = _queue[0];
            logger.LogWarning("channel bank over {Max} bytes: pruning channel {Channel}", maxSize, oldest.Id);
            Remove(oldest);
            total -= oldest.Size;
        }
    }

    /// <summary>The next ready channel at L1 block <paramref name="current"/>, removed from the bank; null if none is ready.</summary>
    public Channel? Read(L1BlockRef current)
    {
        ulong timeout = config.ChannelTimeoutAt(current.Time);
        while (_queue.Count > 0 && _queue[0].IsTimedOut(current.Number, timeout))
        {
            var ch = _queue[0];
            logger.LogWarning("channel {Channel} timed out (opened at L1 {Open}, now {Current}): dropped", ch.Id, ch.OpenBlock.Number, current.Number);
            Remove(ch);
        }
        foreach (var ch in _queue)
        {
            if (ch.IsTimedOut(current.Number, timeout) || !ch.IsReady) continue;
            Remove(ch);
            return ch;
        }
        return null;
    }

    private void Remove(Channel ch)
    {
        _queue.Remove(ch);
        _byId.Remove(ch.Id);
    }
}
