namespace OpenLedger.Chain.TxPool;

/// <summary>
/// The pool's transactions on disk, so accepted but unmined ones survive a crash (geth's transactions.rlp journal).
/// Each accepted transaction is appended as a 4-byte big-endian length and its raw bytes, written through to the OS
/// before the RPC call returns; <see cref="Rotate"/> rewrites the file with only what the pool still holds (atomically:
/// temporary file, then rename). A torn last record (kill -9 mid-write) is ignored on load.
/// </summary>
public sealed class TxPoolJournal : IDisposable
{
    private readonly string _path;
    private readonly TxPool _pool;
    private readonly object _lock = new();
    private FileStream? _file;
    private bool _loading;

    /// <summary>The last write that failed (a full disk), or null; cleared by the next successful rotation.</summary>
    public string? LastError { get; private set; }

    public TxPoolJournal(string path, TxPool pool)
    {
        _path = path;
        _pool = pool;
        pool.Added += Append;
    }

    /// <summary>Re-adds the journal's transactions to the pool (those mined or invalid meanwhile are skipped), then rotates.</summary>
    public (int Loaded, int Skipped) Load()
    {
        int loaded = 0, skipped = 0;
        if (File.Exists(_path))
        {
            byte[] data = File.ReadAllBytes(_path);
            _loading = true;
            try
            {
                int at = 0;
                while (at + 4 <= data.Length)
                {
                    int len = (data[at] << 24) | (data[at + 1] << 16) | (data[at + 2] << 8) | data[at + 3];
                    if (len <= 0 || at + 4 + len > data.Length) break; // torn tail
                    try
                    {
                        _pool.AddRaw(data.AsSpan(at + 4, len));
                        loaded++;
                    }
                    catch (TxPoolException)
                    {
                        skipped++; // mined, replaced or no longer valid
                    }
                    at += 4 + len;
                }
            }
            finally
            {
                _loading = false;
            }
        }
        Rotate();
        return (loaded, skipped);
    }

    /// <summary>Rewrites the journal with the pool's current transactions (each sender's in nonce order).</summary>
    public void Rotate()
    {
        var (pending, queued) = _pool.Content();
        var txs = pending.Values.Concat(queued.Values).SelectMany(l => l).ToList();
        lock (_lock)
        {
            _file?.Dispose();
            var tmp = _path + ".tmp";
            using (var f = new FileStream(tmp, FileMode.Create, FileAccess.Write, FileShare.None))
            {
                foreach (var ptx in txs) WriteRecord(f, ptx.Encoded);
                f.Flush(flushToDisk: true);
            }
            File.Move(tmp, _path, overwrite: true);
            _file = new FileStream(_path, FileMode.Append, FileAccess.Write, FileShare.Read);
            LastError = null;
        }
    }

    private void Append(PooledTransaction ptx)
    {
        if (_loading) return;
        lock (_lock)
        {
            if (_file is null) return;
            try
            {
                WriteRecord(_file, ptx.Encoded);
                _file.Flush(); // to the OS: survives the process being killed
            }
            catch (IOException e)
            {
                // The transaction is in the pool; only its survival across a crash is lost. Say so through health.
                LastError = $"journal write failed: {e.Message}";
            }
        }
    }

    private static void WriteRecord(Stream s, byte[] raw)
    {
        Span<byte> len = [(byte)(raw.Length >> 24), (byte)(raw.Length >> 16), (byte)(raw.Length >> 8), (byte)raw.Length];
        s.Write(len);
        s.Write(raw);
    }

    public void Dispose()
    {
        _pool.Added -= Append;
        lock (_lock)
        {
            _file?.Dispose();
            _file = null;
        }
    }
}
