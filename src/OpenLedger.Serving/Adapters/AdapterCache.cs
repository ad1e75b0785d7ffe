using System.Diagnostics;
using Microsoft.Extensions.Logging;
using OpenLedger.AI.Factory;
using OpenLedger.AI.Lora;
using OpenLedger.AI.Model;
using OpenLedger.Attribution.Sketching;
using OpenLedger.Primitives;

namespace OpenLedger.Serving.Adapters;

/// <summary>
/// Adapters loaded just in time and kept by recency within a byte budget (their float32 weights). A request for an
/// adapter not in memory loads it from disk (concurrent requests share one load); when the total passes the budget the
/// least recently used adapters are dropped from the cache. Sequences running on a dropped adapter keep their reference,
/// so eviction never breaks a request; the memory is freed when they finish.
/// </summary>
public sealed class AdapterCache
{
    private readonly LlamaWeights _base;
    private readonly long _budget;
    private readonly ILogger? _log;
    private readonly object _lock = new();
    private readonly Dictionary<string, LinkedListNode<(string Key, Task<LoadedAdapter> Load)>> _map = new();
    private readonly LinkedList<(string Key, Task<LoadedAdapter> Load)> _lru = new(); // most recent first
    private long _bytes;

    public AdapterCache(LlamaWeights baseWeights, long budgetBytes, ILogger? log = null)
    {
        if (budgetBytes <= 0) throw new ArgumentOutOfRangeException(nameof(budgetBytes), $"the adapter cache budget must be positive, is {budgetBytes}");
        _base = baseWeights; _budget = budgetBytes; _log = log;
    }

    public long Bytes { get { lock (_lock) return _bytes; } }
    public int Count { get { lock (_lock) return _map.Count; } }
    public long Loads { get; private set; }
    public long Evictions { get; private set; }

    public bool Contains(AdapterEntry e) { lock (_lock) return _map.ContainsKey(Key(e)); }

    private static string Key(AdapterEntry e) => e.AdapterHash + "|" + e.Directory;

    public async Task<LoadedAdapter> GetAsync(AdapterEntry entry)
    {
        string key = Key(entry);
        Task<LoadedAdapter> load;
        lock (_lock)
        {
            if (_map.TryGetValue(key, out var node))
            {
                _lru.Remove(node); _lru.AddFirst(node);
                load = node.Value.Load;
            }
            else
            {
                load = Task.Run(() => Load(entry));
                _map[key] = _lru.AddFirst((key, load));
                Loads++;
            }
        }
        try
        {
            var loaded = await load;
            lock (_lock)
            {
                if (!_counted.Contains(load) && _map.TryGetValue(key, out var n) && n.Value.Load == load) { _counted.Add(load); _bytes += loaded.Bytes; Evict(); }
            }
            return loaded;
        }
        catch (Exception e)
        {
            lock (_lock) if (_map.TryGetValue(key, out var n) && n.Value.Load == load) { _map.Remove(key); _lru.Remove(n); }
            if (e is ServingException) throw;
            throw new ServingException(500, "server_error", $"adapter `{entry.Name}` ({entry.Directory}) could not be loaded: {e.Message}", "adapter_load_failed", "model");
        }
    }

    private readonly HashSet<Task<LoadedAdapter>> _counted = new();

    /// <summary>Drops least recently used, loaded adapters until the total fits (the newest one always stays).</summary>
    private void Evict()
    {
        while (_bytes > _budget && _lru.Count > 1)
        {
            var last = _lru.Last!;
            var (key, load) = last.Value;
            _lru.RemoveLast(); _map.Remove(key);
            if (_counted.Remove(load)) { _bytes -= load.Result.Bytes; load.Result.SpanIndex?.Release(); }
            Evictions++;
            _log?.LogDebug("adapter cache: evicted {Key} ({Bytes} bytes in use of {Budget})", key, _bytes, _budget);
        }
    }

    private LoadedAdapter Load(AdapterEntry entry)
    {
        var sw = Stopwatch.StartNew();
        if (entry.AdapterHash != Hash256.Zero && AdapterFiles.Hash(entry.Directory) is var actual && actual != entry.AdapterHash)
            throw new InvalidDataException($"{Path.Combine(entry.Directory, AdapterFiles.Weights)} now hashes to {actual}, not {entry.AdapterHash}");
        var lora = LoraAdapter.Load(entry.Directory, _base);
        string store = Path.Combine(entry.Directory, ModelFactory.SketchFile);
        SketchStoreHeader? header = null;
        if (File.Exists(store))
        {
            using var s = SketchStore.Open(store, verifyChecksum: true);
            if (s.ModelId != entry.AdapterHash)
                throw new InvalidDataException($"{store} belongs to adapter {s.ModelId}, not to {entry.AdapterHash}");
            header = s.Header;
        }
        string spans = Path.Combine(entry.Directory, AdapterFiles.SpanIndex);
        var spanIndex = header == null && File.Exists(spans) ? new SharedSpanIndex(spans) : null; // the sketch method wins when both are there
        long bytes = lora.ParameterCount() * sizeof(float);
        _log?.LogInformation("adapter {Name} loaded from {Dir} in {Ms} ms ({Bytes} bytes{Sketch})", entry.Name, entry.Directory, sw.ElapsedMilliseconds, bytes,
            header != null ? $", {header.Value.Count} contribution sketches" : spanIndex != null ? $", a span index over {spanIndex.ContributionCount} contributions" : ", no sketch store or span index: answers carry no attribution record");
        return new LoadedAdapter { Entry = entry, Lora = lora, Bytes = bytes, SketchStorePath = header == null ? null : store, SketchHeader = header, SpanIndex = spanIndex, LoadTime = sw.Elapsed };
    }
}
