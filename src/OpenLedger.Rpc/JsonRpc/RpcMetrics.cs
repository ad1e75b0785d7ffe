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

    private readonly ConcurrentDictionary<string, MethodStats> _stats = new(StringComparer.Ordinal);

    public void Record(string method, TimeSpan elapsed, bool failed)
    {
        // Unknown method names come from clients: fold them into one label so they cannot grow the map without bound.
        var stats = _stats.GetOrAdd(method.Length <= 64 ? method : "other", _ => new MethodStats());
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
