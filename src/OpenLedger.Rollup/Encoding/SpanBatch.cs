namespace OpenLedger.Rollup.Encoding;

/// <summary>One L2 block inside a span batch, with its L1 origin number derived from the origin bits.</summary>
public sealed record SpanBatchElement(ulong EpochNum, ulong Timestamp, IReadOnlyList<byte[]> Transactions);

/// <summary>
/// A span batch (Delta): consecutive L2 blocks with truncated checks. <see cref="ParentCheck"/> is the first 20 bytes
/// of the first block's parent hash, <see cref="L1OriginCheck"/> the first 20 bytes of the last block's L1 origin hash.
/// <see cref="OriginBits"/>[i] says whether block i changed its L1 origin (block 0: relative to the parent block).
/// </summary>
public sealed record SpanBatch(byte[] ParentCheck, byte[] L1OriginCheck, IReadOnlyList<bool> OriginBits, IReadOnlyList<SpanBatchElement> Elements) : Batch
{
    public const int CheckLength = 20;

    public override ulong Timestamp => Elements[0].Timestamp;

    public ulong EndTimestamp => Elements[^1].Timestamp;

    /// <summary>The last block's L1 origin number (the encoded l1_origin_num).</summary>
    public ulong L1OriginNum => Elements[^1].EpochNum;

    /// <summary>L1 origin of the first block.</summary>
    public ulong StartEpochNum => Elements[0].EpochNum;

    /// <summary>Builds a span batch from consecutive blocks; <paramref name="firstChangedOrigin"/>: block 0 starts a new epoch.</summary>
    public static SpanBatch FromBlocks(Hash256 parentHash, Hash256 lastL1OriginHash, bool firstChangedOrigin, IReadOnlyList<SpanBatchElement> blocks)
    {
        if (blocks.Count == 0) throw new ArgumentException("a span batch needs at least one block");
        var bits = new bool[blocks.Count];
        bits[0] = firstChangedOrigin;
        for (int i = 1; i < blocks.Count; i++)
        {
            if (blocks[i].EpochNum != blocks[i - 1].EpochNum && blocks[i].EpochNum != blocks[i - 1].EpochNum + 1)
                throw new ArgumentException($"block {i}: L1 origin moves from {blocks[i - 1].EpochNum} to {blocks[i].EpochNum}");
            if (blocks[i].Timestamp <= blocks[i - 1].Timestamp) throw new ArgumentException($"block {i}: timestamps must increase");
            bits[i] = blocks[i].EpochNum != blocks[i - 1].EpochNum;
        }
        return new SpanBatch(parentHash.Bytes[..CheckLength].ToArray(), lastL1OriginHash.Bytes[..CheckLength].ToArray(), bits, blocks);
    }

    public bool Equals(SpanBatch? other) =>
        other is not null && ParentCheck.AsSpan().SequenceEqual(other.ParentCheck) && L1OriginCheck.AsSpan().SequenceEqual(other.L1OriginCheck)
        && OriginBits.SequenceEqual(other.OriginBits) && Elements.Count == other.Elements.Count
        && Elements.Zip(other.Elements).All(p => p.First.EpochNum == p.Second.EpochNum && p.First.Timestamp == p.Second.Timestamp
            && p.First.Transactions.Count == p.Second.Transactions.Count
            && p.First.Transactions.Zip(p.Second.Transactions).All(t => t.First.AsSpan().SequenceEqual(t.Second)));

    public override int GetHashCode() => HashCode.Combine(Elements.Count, Timestamp);
}
