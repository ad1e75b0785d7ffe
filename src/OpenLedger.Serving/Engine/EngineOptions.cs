namespace OpenLedger.Serving.Engine;

/// <summary>Scheduler limits.</summary>
/// <param name="MaxBatch">most sequences decoding in one step</param>
/// <param name="MaxQueue">most sequences waiting for admission; beyond it a submit is refused (HTTP 429)</param>
/// <param name="KvBlockSize">positions per KV block</param>
/// <param name="KvBlocks">blocks in the pool (memory = blocks × block size × layers × 2 × kv dim × 4 bytes)</param>
public sealed record EngineOptions(int MaxBatch = 64, int MaxQueue = 256, int KvBlockSize = 16, int KvBlocks = 4096)
{
    public void Validate()
    {
        if (MaxBatch <= 0) throw new ArgumentException($"max batch must be positive, is {MaxBatch}");
        if (MaxQueue < 0) throw new ArgumentException($"max queue must be ≥ 0, is {MaxQueue}");
        if (KvBlockSize <= 0) throw new ArgumentException($"KV block size must be positive, is {KvBlockSize}");
        if (KvBlocks <= 0) throw new ArgumentException($"KV block count must be positive, is {KvBlocks}");
    }
}

/// <summary>The engine refused a submit; <see cref="QueueFull"/> tells a full queue (retry later) from a request too large for the pool.</summary>
public sealed class EngineRefusedException(string message, bool queueFull) : Exception(message)
{
    public bool QueueFull { get; } = queueFull;
}
