using System.Collections.Concurrent;

namespace OpenLedger.Rpc.JsonRpc;

/// <summary>Per-method call counts and latency, exported at /metrics in Prometheus text format.</summary>
public sealed class RpcMetrics
{
    private sealed class MethodStats
    {
        public long Calls;
        public long Errors;
        public long TotalMicros;
    }

    /// <summary>The one label all calls of methods the node does not have share.</summary>
    public const string UnknownMethod = "unknown";
    /// <summary>Labels kept at most (the registered methods are far fewer); further names count under "other".</summary>
    public const int MaxLabels = 512;

    private readonly ConcurrentDictionary<string, MethodStats> _stats = new(StringComparer.Ordinal);

    public int LabelCount => _stats.Count;

    /// <summary>Records one call. <paramref name="method"/> must be a registered name or <see cref="UnknownMethod"/>, never a client's text.</summary>
    public void Record(string method, TimeSpan elapsed, bool failed)
    {
        if (!_stats.TryGetValue(method, out var stats))
            stats = _stats.Count < MaxLabels ? _stats.GetOrAdd(method, _ => new MethodStats()) : _stats.GetOrAdd("other", _ => new MethodStats());
        Interlocked.Increment(ref stats.Calls);
        if (failed) Interlocked.Increment(ref stats.Errors);
        Interlocked.Add(ref stats.TotalMicros, (long)elapsed.TotalMicroseconds);
    }

    public void WritePrometheus(TextWriter w)
    {
        w.WriteLine("# HELP openledger_rpc_calls_total JSON-RPC calls by method.");
        w.WriteLine("# TYPE openledger_rpc_calls_total counter");
        foreach (var (m, s) in _stats) w.WriteLine($"openledger_rpc_calls_total{{method=\"{Escape(m)}\"}} {Volatile.Read(ref s.Calls)}");
        w.WriteLine("# HELP openledger_rpc_errors_total JSON-RPC calls that returned an error, by method.");
        w.WriteLine("# TYPE openledger_rpc_errors_total counter");
        foreach (var (m, s) in _stats) w.WriteLine($"openledger_rpc_errors_total{{method=\"{Escape(m)}\"}} {Volatile.Read(ref s.Errors)}");
        w.WriteLine("# HELP openledger_rpc_duration_seconds_total Time spent serving JSON-RPC calls, by method.");
        w.WriteLine("# TYPE openledger_rpc_duration_seconds_total counter");
        foreach (var (m, s) in _stats)
            w.WriteLine($"openledger_rpc_duration_seconds_total{{method=\"{Escape(m)}\"}} {Volatile.Read(ref s.TotalMicros) / 1e6:0.000000}");
    }

    private static string Escape(string s) => s.Replace("\\", "\\\\").Replace("\"", "\\\"").Replace("\n", "\\n");
}
