using OpenLedger.Attribution.Spans;

namespace OpenLedger.Serving.Adapters;

/// <summary>
/// An adapter's suffix index, opened (and its structure validated, O(n)) once when the adapter loads, and shared by
/// the requests that attribute answers with it. The cache holds one reference and drops it on eviction; a request
/// holds one while it matches spans; the mapping closes when the last one goes.
/// </summary>
public sealed class SharedSpanIndex
{
    private readonly SuffixIndex _index;
    private readonly object _lock = new();
    private int _refs = 1;

    public SharedSpanIndex(string path)
    {
        Path = path;
        _index = SuffixIndex.Open(path, verifyChecksum: true);
    }

    public string Path { get; }
    public int ContributionCount => _index.ContributionCount;

    /// <summary>The index for one use (give it back with <see cref="Release"/>), or null once it was closed.</summary>
    public SuffixIndex? Acquire()
    {
        lock (_lock)
        {
            if (_refs == 0) return null;
            _refs++;
            return _index;
        }
    }

    public void Release()
    {
        lock (_lock)
            if (_refs > 0 && --_refs == 0) _index.Dispose();
    }
}
