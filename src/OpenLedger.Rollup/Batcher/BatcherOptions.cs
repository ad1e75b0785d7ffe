using OpenLedger.Rollup.Encoding;

namespace OpenLedger.Rollup.Batcher;

public sealed record BatcherOptions
{
    public CompressionAlgorithm Compression { get; init; } = CompressionAlgorithm.Brotli;
    /// <summary>One span batch per channel (Delta) instead of one singular batch per block.</summary>
    public bool SpanBatches { get; init; } = true;
    /// <summary>Most L2 blocks per channel.</summary>
    public int MaxBlocksPerChannel { get; init; } = 100;
    /// <summary>
    /// With span batches, blocks without sequencer transactions (an idle chain, a devnet's time jump) take a byte or two
    /// each, so a channel takes up to this many of them on top of <see cref="MaxBlocksPerChannel"/> (a day of empty 1 s
    /// blocks is 9 channels instead of 864).
    /// </summary>
    public int MaxEmptyBlocksPerChannel { get; init; } = 10_000;
    /// <summary>Largest frame (one L1 transaction's calldata) in bytes, overhead included.</summary>
    public int MaxFrameSize { get; init; } = 120_000;
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromSeconds(1);

    public void Validate()
    {
        if (MaxBlocksPerChannel < 1) throw new ArgumentException("max blocks per channel must be at least 1");
        if (MaxEmptyBlocksPerChannel < 0) throw new ArgumentException("max empty blocks per channel must not be negative");
        if (MaxFrameSize <= Frame.Overhead + 1 || MaxFrameSize > Frame.MaxFrameDataLength + Frame.Overhead)
            throw new ArgumentException($"max frame size must be between {Frame.Overhead + 2} and {Frame.MaxFrameDataLength + Frame.Overhead}");
    }
}
