namespace OpenLedger.State.Storage;

/// <summary>
/// A byte-keyed, byte-valued store. Keys are ordered by unsigned lexicographic comparison
/// (the order RocksDB uses), which is what prefix iteration relies on.
/// </summary>
public interface IKeyValueStore : IDisposable
{
    /// <summary>The value stored under <paramref name="key"/>, or null when there is none.</summary>
    byte[]? TryGet(ReadOnlySpan<byte> key);

    /// <summary>The value stored under <paramref name="key"/>; throws <see cref="KeyNotFoundException"/> when there is none.</summary>
    byte[] Get(ReadOnlySpan<byte> key);

    bool Contains(ReadOnlySpan<byte> key);

    void Put(ReadOnlySpan<byte> key, ReadOnlySpan<byte> value);

    /// <summary>Removes <paramref name="key"/>; removing a missing key is not an error.</summary>
    void Delete(ReadOnlySpan<byte> key);

    /// <summary>A batch of writes that becomes visible all at once on <see cref="IWriteBatch.Commit"/>, or not at all.</summary>
    IWriteBatch CreateBatch();

    /// <summary>Every entry whose key starts with <paramref name="prefix"/>, in ascending key order. An empty prefix lists the whole store.</summary>
    IEnumerable<KeyValuePair<byte[], byte[]>> Iterate(ReadOnlySpan<byte> prefix);
}

/// <summary>Writes staged for one atomic commit. Disposing an uncommitted batch discards it.</summary>
public interface IWriteBatch : IDisposable
{
    /// <summary>Number of operations staged so far.</summary>
    int Count { get; }

    void Put(ReadOnlySpan<byte> key, ReadOnlySpan<byte> value);

    void Delete(ReadOnlySpan<byte> key);

    /// <summary>Applies every staged operation atomically. A batch commits at most once.</summary>
    void Commit();
}
