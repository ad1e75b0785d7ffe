namespace OpenLedger.Serving.Engine;

/// <summary>Scheduler limits.</summary>
/// <param name="MaxBatch">most sequences decoding in one step</param>
/// <param name="MaxQueue">most sequences waiting for admission; beyond it a submit is refused (HTTP 429)</param>
/// <param name="KvBlockSize">positions per KV block</param>
/// <param name="KvBlocks">blocks in the pool (memory = blocks × block size × layers × 2 × kv dim × 4 bytes)</param>
/// <param name="PrefillChunk">prompt tokens prefilled per scheduler step (at least 16): a longer prompt is prefilled in
/// chunks between decode steps, so it delays the other sequences' next token by one chunk, not by the whole prompt</param>
public sealed record EngineOptions(int MaxBatch = 64, int MaxQueue = 256, int KvBlockSize = 16, int KvBlocks = 4096, int PrefillChunk = 256)
{
    /// <summary>The smallest chunk: chunks stay above Gemm's small-M path (≤ 8 rows), see <see cref="PrefillChunks"/>.</summary>
    public const int MinPrefillChunk = 16;

    public void Validate()
    {
        if (MaxBatch <= 0) throw new ArgumentException($"max batch must be positive, is {MaxBatch}");
        if (MaxQueue < 0) throw new ArgumentException($"max queue must be ≥ 0, is {MaxQueue}");
        if (KvBlockSize <= 0) throw new ArgumentException($"KV block size must be positive, is {KvBlockSize}");
        if (KvBlocks <= 0) throw new ArgumentException($"KV block count must be positive, is {KvBlocks}");
        if (PrefillChunk < MinPrefillChunk) throw new ArgumentException($"the prefill chunk must be at least {MinPrefillChunk} tokens, is {PrefillChunk}");
    }
}

/// <summary>The engine refused a submit; <see cref="QueueFull"/> tells a full queue (retry later) from a request too large for the pool.</summary>
public sealed class EngineRefusedException(string message, bool queueFull) : Exception(message)
{
    public bool QueueFull { get; } = queueFull;
}
