namespace OpenLedger.State.Storage;

/// <summary>
/// An in-process store for tests and ephemeral chains. Thread-safe: one lock guards the map.
/// Values are copied in and out, so callers can never change what is stored.
/// </summary>
public sealed class MemoryKeyValueStore : IKeyValueStore
{
    private readonly Dictionary<byte[], byte[]> _map = new(ByteArrayComparer.Instance);
    private readonly Dictionary<byte[], byte[]>.AlternateLookup<ReadOnlySpan<byte>> _lookup;
    private readonly Lock _lock = new();
    private bool _disposed;

    public MemoryKeyValueStore() => _lookup = _map.GetAlternateLookup<ReadOnlySpan<byte>>();

    /// <summary>Number of entries (for tests and diagnostics).</summary>
    public int Count
    {
        get { lock (_lock) return _map.Count; }
    }

    public byte[]? TryGet(ReadOnlySpan<byte> key)
    {
        lock (_lock)
        {
            ThrowIfDisposed();
            return _lookup.TryGetValue(key, out var v) ? v.ToArray() : null;
        }
    }

    public byte[] Get(ReadOnlySpan<byte> key) =>
        TryGet(key) ?? throw new KeyNotFoundException($"key 0x{Convert.ToHexStringLower(key)} not in store");

    public bool Contains(ReadOnlySpan<byte> key)
    {
        lock (_lock)
        {
            ThrowIfDisposed();
            return _lookup.ContainsKey(key);
        }
    }

    public void Put(ReadOnlySpan<byte> key, ReadOnlySpan<byte> value)
    {
        var v = value.ToArray();
        lock (_lock)
        {
            ThrowIfDisposed();
            _lookup[key] = v;
        }
    }

    public void Delete(ReadOnlySpan<byte> key)
    {
        lock (_lock)
        {
            ThrowIfDisposed();
            _lookup.Remove(key);
        }
    }

    public IWriteBatch CreateBatch()
    {
        lock (_lock) ThrowIfDisposed();
        return new Batch(this);
    }

    /// <summary>A snapshot of the matching entries taken under the lock, then sorted; later writes do not affect it.</summary>
    public IEnumerable<KeyValuePair<byte[], byte[]>> Iterate(ReadOnlySpan<byte> prefix)
    {
        var hits = new List<KeyValuePair<byte[], byte[]>>();
        lock (_lock)
        {
            ThrowIfDisposed();
            foreach (var kv in _map)
                if (kv.Key.AsSpan().StartsWith(prefix))
                    hits.Add(new(kv.Key.ToArray(), kv.Value.ToArray()));
        }
        hits.Sort((a, b) => ByteArrayComparer.Instance.Compare(a.Key, b.Key));
        return hits;
    }

    public void Dispose()
    {
        lock (_lock)
        {
            _disposed = true;
            _map.Clear();
        }
    }

    private void ThrowIfDisposed() => ObjectDisposedException.ThrowIf(_disposed, this);

    private sealed class Batch(MemoryKeyValueStore store) : IWriteBatch
    {
        // Operations in order; a null value is a delete. Applied under the store lock so readers see all or none.
        private readonly List<(byte[] Key, byte[]? Value)> _ops = [];
        private bool _done;

        public int Count => _ops.Count;

        public void Put(ReadOnlySpan<byte> key, ReadOnlySpan<byte> value)
        {
            ThrowIfDone();
            _ops.Add((key.ToArray(), value.ToArray()));
        }

        public void Delete(ReadOnlySpan<byte> key)
        {
            ThrowIfDone();
            _ops.Add((key.ToArray(), null));
        }

        public void Commit()
        {
            ThrowIfDone();
            _done = true;
            lock (store._lock)
            {
                store.ThrowIfDisposed();
                foreach (var (k, v) in _ops)
                    if (v is null) store._map.Remove(k);
                    else store._map[k] = v;
            }
            _ops.Clear();
        }

        public void Dispose()
        {
            _done = true;
            _ops.Clear();
        }

        private void ThrowIfDone()
        {
            if (_done) throw new InvalidOperationException("write batch already committed or disposed");
        }
    }
}
