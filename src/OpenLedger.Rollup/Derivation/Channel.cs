using OpenLedger.Rollup.Config;
using OpenLedger.Rollup.Encoding;

namespace OpenLedger.Rollup.Derivation;

/// <summary>A channel being reassembled in the channel bank: frames by number, opened at an L1 block.</summary>
public sealed class Channel(string id, L1BlockRef openBlock)
{
    private readonly SortedDictionary<ushort, Frame> _frames = new();

    public string Id { get; } = id;
    public L1BlockRef OpenBlock { get; } = openBlock;
    /// <summary>The L1 block of the last frame added: batches from this channel count as included there.</summary>
    public L1BlockRef HighestBlock { get; private set; } = openBlock;
    public bool Closed { get; private set; }
    public ushort EndFrameNumber { get; private set; }
    /// <summary>Buffered frame data plus 200 bytes per frame, as the channel bank's size limit counts it.</summary>
    public long Size { get; private set; }

    /// <summary>Adds a frame; returns why it was dropped, or null when added.</summary>
    public string? AddFrame(Frame frame, L1BlockRef block)
    {
        if (Closed && frame.IsLast) return "duplicate closing frame";
        if (_frames.ContainsKey(frame.FrameNumber)) return $"duplicate frame {frame.FrameNumber}";
        if (Closed && frame.FrameNumber >= EndFrameNumber) return $"frame {frame.FrameNumber} beyond the closing frame {EndFrameNumber}";
        if (frame.IsLast)
        {
            Closed = true;
            EndFrameNumber = frame.FrameNumber;
            foreach (var n in _frames.Keys.Where(n => n > frame.FrameNumber).ToList())
            {
                Size -= _frames[n].Data.Length + ProtocolConstants.FrameOverheadInBank;
                _frames.Remove(n);
            }
        }
        _frames[frame.FrameNumber] = frame;
        Size += frame.Data.Length + ProtocolConstants.FrameOverheadInBank;
        if (block.Number > HighestBlock.Number) HighestBlock = block;
        return null;
    }

    /// <summary>Closed, and frames 0..end all present.</summary>
    public bool IsReady
    {
        get
        {
            if (!Closed || _frames.Count != EndFrameNumber + 1) return false;
            ushort expect = 0;
            foreach (var n in _frames.Keys) if (n != expect++) return false;
            return true;
        }
    }

    public bool IsTimedOut(ulong currentL1, ulong channelTimeout) => currentL1 > OpenBlock.Number + channelTimeout;

    /// <summary>The compressed channel: frame data concatenated in frame order.</summary>
    public byte[] Data()
    {
        var ms = new MemoryStream();
        foreach (var f in _frames.Values) ms.Write(f.Data);
        return ms.ToArray();
    }
}
