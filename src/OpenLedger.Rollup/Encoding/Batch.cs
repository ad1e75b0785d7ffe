namespace OpenLedger.Rollup.Encoding;

/// <summary>A decoded batch: singular (version 0) or span (version 1, Delta).</summary>
public abstract record Batch
{
    public const byte SingularType = 0;
    public const byte SpanType = 1;

    /// <summary>Timestamp of the first L2 block the batch describes.</summary>
    public abstract ulong Timestamp { get; }
}

/// <summary>One L2 block's sequencer inputs: rlp([parent_hash, epoch_number, epoch_hash, timestamp, transaction_list]).</summary>
public sealed record SingularBatch(Hash256 ParentHash, ulong EpochNum, Hash256 EpochHash, ulong BlockTimestamp, IReadOnlyList<byte[]> Transactions) : Batch
{
    public override ulong Timestamp => BlockTimestamp;

    public bool Equals(SingularBatch? other) =>
        other is not null && ParentHash == other.ParentHash && EpochNum == other.EpochNum && EpochHash == other.EpochHash
        && BlockTimestamp == other.BlockTimestamp && Transactions.Count == other.Transactions.Count
        && Transactions.Zip(other.Transactions).All(p => p.First.AsSpan().SequenceEqual(p.Second));

    public override int GetHashCode() => HashCode.Combine(ParentHash, EpochNum, BlockTimestamp, Transactions.Count);
}
