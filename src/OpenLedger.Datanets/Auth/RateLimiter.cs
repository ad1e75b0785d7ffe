using System.Collections.Concurrent;
using System.Diagnostics;

namespace OpenLedger.Datanets.Auth;

/// <summary>
/// Token buckets keyed by a string (an address, an IP): <paramref name="burst"/> requests at once, refilled at
/// <paramref name="perMinute"/> a minute. In memory, per process: a restart forgives, which is fine for abuse control.
/// </summary>
public sealed class RateLimiter(int burst, double perMinute)
{
    private sealed class Bucket
    {
        public double Tokens;
        public long Stamp;
    }

    private readonly ConcurrentDictionary<string, Bucket> _buckets = new(StringComparer.Ordinal);
    private long _lastSweep = Stopwatch.GetTimestamp();

    /// <summary>Takes one token; when none is left returns false and how long until one is.</summary>
    public bool TryTake(string key, out TimeSpan retryAfter)
    {
        var now = Stopwatch.GetTimestamp();
        Sweep(now);
        var b = _buckets.GetOrAdd(key, _ => new Bucket { Tokens = burst, Stamp = now });
        lock (b)
        {
            var minutes = Stopwatch.GetElapsedTime(b.Stamp, now).TotalMinutes;
            b.Tokens = Math.Min(burst, b.Tokens + minutes * perMinute);
            b.Stamp = now;
            if (b.Tokens >= 1)
            {
                b.Tokens -= 1;
                retryAfter = TimeSpan.Zero;
                return true;
            }
            retryAfter = TimeSpan.FromMinutes((1 - b.Tokens) / perMinute);
            return false;
        }
    }

    /// <summary>Drops full buckets now and then so the table does not grow with every address ever seen.</summary>
    private void Sweep(long now)
    {
        var last = Interlocked.Read(ref _lastSweep);
        if (Stopwatch.GetElapsedTime(last, now) < TimeSpan.FromMinutes(5) || Interlocked.CompareExchange(ref _lastSweep, now, last) != last) return;
        foreach (var (k, b) in _buckets)
            lock (b)
                if (b.Tokens + Stopwatch.GetElapsedTime(b.Stamp, now).TotalMinutes * perMinute >= burst) _buckets.TryRemove(k, out _);
    }
}
