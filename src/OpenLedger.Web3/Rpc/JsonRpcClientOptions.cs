namespace OpenLedger.Web3.Rpc;

/// <summary>Timeout and retry policy of a <see cref="JsonRpcClient"/>.</summary>
public sealed record JsonRpcClientOptions
{
    /// <summary>Limit for one attempt of one call; an attempt that runs past it counts as a transient failure.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(30);
    /// <summary>Retries after the first attempt, for transient failures only.</summary>
    public int MaxRetries { get; init; } = 4;
    /// <summary>Delay before the first retry; doubles on each further retry up to <see cref="MaxBackoff"/>.</summary>
    public TimeSpan InitialBackoff { get; init; } = TimeSpan.FromMilliseconds(100);
    public TimeSpan MaxBackoff { get; init; } = TimeSpan.FromSeconds(5);
    /// <summary>Largest response body accepted, so that a broken or hostile endpoint cannot exhaust memory.</summary>
    public int MaxResponseBytes { get; init; } = 64 * 1024 * 1024;
}
