namespace OpenLedger.Serving.Api;

/// <summary>
/// Requests per minute per account (the payer header, else the client IP): a token bucket per account holding up to
/// one minute's allowance, refilled continuously. Idle, full buckets are dropped when the table grows.
/// </summary>
public sealed class AccountRateLimiter(int perMinute, TimeProvider? time = null)
{
    private readonly TimeProvider _time = time ?? TimeProvider.System;
    private readonly Dictionary<string, (double Tokens, long At)> _buckets = new();
    private readonly object _lock = new();
    private const int PruneAbove = 10_000;

    public int PerMinute { get; } = perMinute;

    /// <summary>True when the account may make a request now (and counts it); false when over its rate.</summary>
    public bool TryAcquire(string account, out TimeSpan retryAfter)
    {
        retryAfter = TimeSpan.Zero;
        if (PerMinute <= 0) return true;
        long now = _time.GetTimestamp();
        lock (_lock)
        {
            double tokens = _buckets.TryGetValue(account, out var b) ? Math.Min(PerMinute, b.Tokens + Refill(b.At, now)) : PerMinute;
            if (tokens < 1)
            {
                _buckets[account] = (tokens, now);
                retryAfter = TimeSpan.FromSeconds((1 - tokens) * 60.0 / PerMinute);
                return false;
            }
            if (_buckets.Count >= PruneAbove) Prune(now);
            _buckets[account] = (tokens - 1, now);
            return true;
        }
    }

    private double Refill(long from, long to) => _time.GetElapsedTime(from, to).TotalSeconds * PerMinute / 60.0;

    private void Prune(long now)
    {
        foreach (var key in _buckets.Where(kv => kv.Value.Tokens + Refill(kv.Value.At, now) >= PerMinute).Select(kv => kv.Key).ToList())
            _buckets.Remove(key);
    }
}
