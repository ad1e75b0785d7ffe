using RocksDbSharp;

namespace OpenLedger.State.Storage;

/// <summary>Tuning for <see cref="RocksDbKeyValueStore"/>; the defaults suit a single node on a small machine.</summary>
public sealed record RocksDbStoreOptions
{
    /// <summary>Shared LRU block cache. Trie nodes are read randomly, so the cache matters more than the memtable.</summary>
    public ulong BlockCacheBytes { get; init; } = 64UL << 20;

    public ulong WriteBufferBytes { get; init; } = 32UL << 20;

    /// <summary>fsync the WAL on every write (batch). Off by default: a crash loses at most the last writes, never tears a batch.</summary>
    public bool SyncWrites { get; init; }

    public int MaxOpenFiles { get; init; } = 512;
}

/// <summary>An <see cref="IKeyValueStore"/> over an embedded RocksDB database in one directory.</summary>
public sealed class RocksDbKeyValueStore : IKeyValueStore
{
    private readonly RocksDb _db;
    private readonly WriteOptions _writeOptions;
    private readonly HashSet<Iterator> _iterators = [];
    private volatile bool _disposed;

    public string Directory { get; }

    /// <summary>Opens the database under <paramref name="directory"/>, creating it when missing.</summary>
    /// <exception cref="StoreLockedException">Another process or store holds the directory.</exception>
    /// <exception cref="StorageException">The database could not be opened (corrupt, unreadable, ...).</exception>
    public RocksDbKeyValueStore(string directory, RocksDbStoreOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        options ??= new RocksDbStoreOptions();
        Directory = Path.GetFullPath(directory);
        System.IO.Directory.CreateDirectory(Directory);

        var table = new BlockBasedTableOptions()
            .SetBlockCache(Cache.CreateLru(options.BlockCacheBytes))
            // Point lookups dominate (trie nodes by hash): a bloom filter skips most files that cannot hold the key.
            .SetFilterPolicy(BloomFilterPolicy.Create(10, false))
            .SetCacheIndexAndFilterBlocks(true)
            .SetPinL0FilterAndIndexBlocksInCache(true)
            .SetFormatVersion(5);
        var dbOptions = new DbOptions()
            .SetCreateIfMissing(true)
            .IncreaseParallelism(Math.Max(2, Environment.ProcessorCount))
            .SetWriteBufferSize(options.WriteBufferBytes)
            .SetMaxOpenFiles(options.MaxOpenFiles)
            .SetCompression(Compression.Lz4)
            .SetLevelCompactionDynamicLevelBytes(true)
            .SetKeepLogFileNum(4)
            .SetBlockBasedTableFactory(table);
        _writeOptions = new WriteOptions().SetSync(options.SyncWrites);

        try
        {
            _db = RocksDb.Open(dbOptions, Directory);
        }
        catch (RocksDbException e) when (IsLockError(e.Message))
        {
            throw new StoreLockedException(Directory, e);
        }
        catch (RocksDbException e)
        {
            throw new StorageException($"cannot open RocksDB at '{Directory}': {e.Message}", e);
        }
    }

    // RocksDB reports "While lock file: …/LOCK: Resource temporarily unavailable" for another process
    // and "lock hold by current process" for a second open in this one.
    private static bool IsLockError(string message) =>
        message.Contains("lock file", StringComparison.OrdinalIgnoreCase)
        || message.Contains("lock hold", StringComparison.OrdinalIgnoreCase)
        || message.Contains("/LOCK", StringComparison.Ordinal);

    public byte[]? TryGet(ReadOnlySpan<byte> key)
    {
        ThrowIfDisposed();
        return _db.Get(key, null, null);
    }

    public byte[] Get(ReadOnlySpan<byte> key) =>
        TryGet(key) ?? throw new KeyNotFoundException($"key 0x{Convert.ToHexStringLower(key)} not in store {Directory}");

    public bool Contains(ReadOnlySpan<byte> key)
    {
        ThrowIfDisposed();
        return _db.HasKey(key, null, null);
    }

    public void Put(ReadOnlySpan<byte> key, ReadOnlySpan<byte> value)
    {
        ThrowIfDisposed();
        _db.Put(key, value, null, _writeOptions);
    }

    public void Delete(ReadOnlySpan<byte> key)
    {
        ThrowIfDisposed();
        _db.Remove(key, null, _writeOptions);
    }

    public IWriteBatch CreateBatch()
    {
        ThrowIfDisposed();
        return new Batch(this);
    }

    /// <summary>
    /// Lazily walks a RocksDB iterator (which reads from an implicit snapshot). Disposing the store
    /// closes iterators still open; enumerating one afterwards throws <see cref="ObjectDisposedException"/>.
    /// </summary>
    public IEnumerable<KeyValuePair<byte[], byte[]>> Iterate(ReadOnlySpan<byte> prefix)
    {
        ThrowIfDisposed();
        return IterateCore(prefix.ToArray());
    }

    private IEnumerable<KeyValuePair<byte[], byte[]>> IterateCore(byte[] prefix)
    {
        Iterator it;
        lock (_iterators)
        {
            ThrowIfDisposed();
            it = _db.NewIterator(null, null);
            _iterators.Add(it);
        }
        try
        {
            bool first = true;
            while (true)
            {
                KeyValuePair<byte[], byte[]>? entry = null;
                // Each step holds the lock so Dispose cannot free the iterator or the database under it.
                lock (_iterators)
                {
                    ThrowIfDisposed();
                    if (first)
                    {
                        if (prefix.Length == 0) it.SeekToFirst();
                        else it.Seek(prefix);
                        first = false;
                    }
                    else it.Next();
                    if (it.Valid())
                    {
                        var key = it.Key();
                        if (key.AsSpan().StartsWith(prefix)) entry = new(key, it.Value());
                    }
                }
                if (entry is null) yield break;
                yield return entry.Value;
            }
        }
        finally
        {
            lock (_iterators)
                if (_iterators.Remove(it)) it.Dispose();
        }
    }

    /// <summary>Closes the database. Do not call while other threads are still reading or writing.</summary>
    public void Dispose()
    {
        lock (_iterators)
        {
            if (_disposed) return;
            _disposed = true;
            // RocksDB requires every iterator to be released before the database closes.
            foreach (var it in _iterators) it.Dispose();
            _iterators.Clear();
            _db.Dispose();
        }
    }

    private void ThrowIfDisposed() => ObjectDisposedException.ThrowIf(_disposed, this);

    private sealed class Batch(RocksDbKeyValueStore store) : IWriteBatch
    {
        private readonly WriteBatch _batch = new();
        private bool _done;
        private bool _released;

        public int Count { get; private set; }

        public void Put(ReadOnlySpan<byte> key, ReadOnlySpan<byte> value)
        {
            ThrowIfDone();
            _batch.Put(key, value, null);
            Count++;
        }

        public void Delete(ReadOnlySpan<byte> key)
        {
            ThrowIfDone();
            _batch.Delete(key, null);
            Count++;
        }

        public void Commit()
        {
            ThrowIfDone();
            store.ThrowIfDisposed();
            _done = true;
            try
            {
                store._db.Write(_batch, store._writeOptions);
            }
            finally
            {
                Release();
            }
        }

        public void Dispose()
        {
            _done = true;
            Release();
        }

        private void Release()
        {
            if (_released) return;
            _released = true;
            _batch.Dispose();
        }

        private void ThrowIfDone()
        {
            if (_done) throw new InvalidOperationException("write batch already committed or disposed");
        }
    }
}
