using System.Collections.Concurrent;
using OpenLedger.AI.Attribution;
using OpenLedger.AI.Model;
using OpenLedger.Attribution.Records;
using OpenLedger.Attribution.Scoring;
using OpenLedger.Attribution.Sketching;
using OpenLedger.Primitives;
using OpenLedger.Serving.Adapters;

namespace OpenLedger.Serving.Attribution;

/// <summary>
/// The sketch method for one answer: the query sketch of prompt + answer over the adapter's parameters
/// (<see cref="AdapterSketcher.QuerySketch"/>), scored against the adapter's sketch store, top <see cref="TopK"/>
/// positive scores turned into basis-point shares, and the record built with the actual fee. Every step is the
/// deterministic path ModelFactory and the Attribution project use, so a prover re-derives the same record from the
/// logged inputs. Projections (k × parameters signs) are shared between adapters of one shape.
/// </summary>
public sealed class InferenceAttributor(LlamaWeights baseWeights, IAttributionScorer scorer, int topK = InferenceAttributor.DefaultTopK)
{
    public const int DefaultTopK = 16;
    private const int MaxProjections = 4;
    private readonly ConcurrentDictionary<(int D, int K, ulong Seed), Lazy<DeterministicProjection>> _projections = new();

    public int TopK { get; } = topK > 0 ? topK : throw new ArgumentOutOfRangeException(nameof(topK), "top-k must be positive");

    /// <summary>The record, or null when the adapter has no sketch store.</summary>
    public AttributionRecord? Build(LoadedAdapter adapter, Hash256 inferenceId, int[] promptTokens, int[] answerTokens, UInt256 fee)
    {
        if (adapter.SketchStorePath == null || adapter.SketchHeader is not { } header) return null;
        var model = new LlamaModel(baseWeights, adapter.Lora);
        var projection = Projection(checked((int)adapter.Lora.ParameterCount()), header.K, header.Seed);
        Sketch query;
        lock (adapter.SketchLock) query = new AdapterSketcher(model, projection).QuerySketch(promptTokens, answerTokens);
        using var store = SketchStore.Open(adapter.SketchStorePath, verifyChecksum: false); // verified when the adapter was loaded
        if (store.ModelId != adapter.Entry.AdapterHash) throw new InvalidDataException($"{adapter.SketchStorePath} changed since it was loaded: it now belongs to {store.ModelId}");
        var top = scorer.Score(store, [query], TopK)[0];
        var shares = SketchAttribution.Shares(top);
        return AttributionRecord.ForSketch(adapter.Entry.AdapterHash, inferenceId, query, fee, shares);
    }

    private DeterministicProjection Projection(int d, int k, ulong seed)
    {
        if (_projections.Count >= MaxProjections && !_projections.ContainsKey((d, k, seed))) _projections.Clear();
        return _projections.GetOrAdd((d, k, seed), key => new Lazy<DeterministicProjection>(() => new DeterministicProjection(key.D, key.K, key.Seed))).Value;
    }
}
