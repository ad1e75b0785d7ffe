using OpenLedger.AI.Lora;
using OpenLedger.Attribution.Sketching;

namespace OpenLedger.Serving.Adapters;

/// <summary>An adapter in memory: its weights, and its sketch store's path and header when it has one.</summary>
public sealed class LoadedAdapter
{
    private static long _order;

    public required AdapterEntry Entry { get; init; }
    public required LoraAdapter Lora { get; init; }
    /// <summary>Bytes of its weights in memory (float32).</summary>
    public required long Bytes { get; init; }
    /// <summary>sketches.olsk beside the adapter (written by ModelFactory.FineTune), or null: no attribution record.</summary>
    public string? SketchStorePath { get; init; }
    public SketchStoreHeader? SketchHeader { get; init; }
    /// <summary>spans.olsx beside the adapter (a suffix index over its Datanet version's contributions), or null.</summary>
    public SharedSpanIndex? SpanIndex { get; init; }
    /// <summary>Groups this adapter's rows into one segment of a decode step.</summary>
    public long Order { get; } = Interlocked.Increment(ref _order);
    /// <summary>Query sketches take gradients into the adapter's Grad buffers: one at a time per adapter.</summary>
    public object SketchLock { get; } = new();
    public TimeSpan LoadTime { get; init; }
}
