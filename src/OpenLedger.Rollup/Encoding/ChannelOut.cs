namespace OpenLedger.Rollup.Encoding;

/// <summary>Batcher side of a channel: batches → RLP stream → compressed channel → frames of at most a given size.</summary>
public sealed class ChannelOut(byte[] channelId, CompressionAlgorithm algorithm)
{
    private readonly MemoryStream _rlp = new();

    public byte[] ChannelId { get; } = channelId.Length == Frame.ChannelIdLength ? channelId : throw new ArgumentException("channel id must be 16 bytes");
    public int BatchCount { get; private set; }
    public long RlpLength => _rlp.Length;

    /// <summary>Adds one encoded batch (an RLP string from <see cref="BatchCodec"/>).</summary>
    public void AddBatch(byte[] encodedBatch)
    {
        _rlp.Write(encodedBatch);
        BatchCount++;
    }

    public byte[] Compress() => ChannelCompression.Compress(_rlp.ToArray(), algorithm);

    /// <summary>Splits the compressed channel into frames whose encoding (with the 23-byte overhead) is at most <paramref name="maxFrameSize"/>.</summary>
    public IReadOnlyList<Frame> ToFrames(int maxFrameSize)
    {
        int chunk = Math.Min(maxFrameSize - Frame.Overhead, Frame.MaxFrameDataLength);
        if (chunk <= 0) throw new ArgumentException($"max frame size must exceed the {Frame.Overhead}-byte frame overhead");
        var data = Compress();
        int count = Math.Max(1, (data.Length + chunk - 1) / chunk);
        if (count > ushort.MaxValue + 1) throw new InvalidOperationException("channel needs more than 65536 frames");
        var frames = new List<Frame>(count);
        for (int i = 0; i < count; i++)
        {
            int start = i * chunk;
            var part = data.AsSpan(start, Math.Min(chunk, data.Length - start)).ToArray();
            frames.Add(new Frame(ChannelId, (ushort)i, part, i == count - 1));
        }
        return frames;
    }
}
