using OpenLedger.Attribution.Records;
using OpenLedger.Attribution.Scoring;
using OpenLedger.Attribution.Sketching;
using OpenLedger.Primitives;

namespace OpenLedger.Settlement.Prover;

/// <summary>
/// Re-derives a record's shares from what it recorded. A sketch record's query sketch is scored again against the
/// model's sketch store (the store whose header names the record's model id) with the same top-k, and the shares
/// must come out identical (scoring is integer-exact on every backend). A record with no shares attributed nothing
/// and needs no store. Span records need the model's suffix index and output tokens, which the prover does not take
/// here: they are rejected, saying so. With an <see cref="InferenceReplay"/> (the serving nodes' inference logs, base
/// model and adapters), every record is instead recomputed from its logged tokens, query sketch or spans included.
/// </summary>
public sealed class RecordReproducer : IDisposable
{
    private readonly Dictionary<Hash256, SketchStore> _stores = new();
    private readonly IAttributionScorer _scorer;
    private readonly int _topK;
    private readonly InferenceReplay? _replay;

    public RecordReproducer(IEnumerable<string> sketchStorePaths, int topK, string backend = "simd-cpu", InferenceReplay? replay = null)
    {
        _replay = replay;
        if (topK < 1) throw new ArgumentOutOfRangeException(nameof(topK), "top-k must be at least 1");
        _topK = topK;
        _scorer = ScorerFactory.Create(backend);
        foreach (var path in sketchStorePaths)
        {
            var store = SketchStore.Open(path);
            if (!_stores.TryAdd(store.ModelId, store))
            {
                store.Dispose();
                throw new ArgumentException($"two sketch stores for model {store.ModelId} ({path})");
            }
        }
    }

    public IReadOnlyCollection<Hash256> Models => _stores.Keys;

    /// <summary>Null when the record reproduces; otherwise why not.</summary>
    public string? Check(AttributionRecord record)
    {
        if (_replay != null) return _replay.Check(record);
        if (record.Shares.Count == 0 && record.Spans.Count == 0 && record.Method == AttributionMethod.Spans) return null;
        if (record.Method == AttributionMethod.Spans)
            return "span records cannot be reproduced by this prover yet (it takes no suffix index and output tokens)";
        if (!_stores.TryGetValue(record.ModelId, out var store))
            return $"no sketch store for model {record.ModelId} was given (--sketches): cannot reproduce the shares";
        if (record.QuerySketch!.Dimension != store.K)
            return $"the query sketch has {record.QuerySketch.Dimension} entries; the model's sketch store has k = {store.K}";
        var top = _scorer.Score(store, [record.QuerySketch], _topK)[0];
        var shares = SketchAttribution.Shares(top);
        if (shares.Length != record.Shares.Count || !shares.Zip(record.Shares).All(p => p.First.ContributionId == p.Second.ContributionId && p.First.BasisPoints == p.Second.BasisPoints))
            return $"re-scoring the query sketch gives shares [{Describe(shares)}], the record says [{Describe(record.Shares)}]";
        return null;
    }

    private static string Describe(IEnumerable<Attribution.Shares.ContributionShare> s) => string.Join(", ", s.Select(x => $"{x.ContributionId}:{x.BasisPoints}"));

    public void Dispose()
    {
        foreach (var s in _stores.Values) s.Dispose();
        _replay?.Dispose();
        _scorer.Dispose();
    }
}
