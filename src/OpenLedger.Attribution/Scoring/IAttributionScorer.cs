using OpenLedger.Attribution.Sketching;

namespace OpenLedger.Attribution.Scoring;

/// <summary>
/// Scores query sketches against every row of a store and keeps each query's top k. Every implementation returns
/// identical results for identical inputs: integer arithmetic only, ties broken by contribution id.
/// </summary>
public interface IAttributionScorer : IDisposable
{
    /// <summary>A short name for logs and benchmarks ("simd-cpu", "ilgpu-cpu", "ilgpu-cuda").</summary>
    string Name { get; }

    /// <summary>For each query, its top <paramref name="k"/> contributions, best first.</summary>
    IReadOnlyList<ScoredContribution[]> Score(SketchStore store, IReadOnlyList<Sketch> queries, int k);
}

internal static class ScorerChecks
{
    public static void Validate(SketchStore store, IReadOnlyList<Sketch> queries, int k)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(queries);
        if (k <= 0) throw new ArgumentOutOfRangeException(nameof(k), "top-k needs k ≥ 1");
        foreach (var q in queries)
            if (q.Dimension != store.K) throw new ArgumentException($"a query sketch has {q.Dimension} entries; the store holds k = {store.K}");
    }

    /// <summary>Turns rank keys back into full results. A zero query scale makes every score zero: order is then by id alone.</summary>
    public static ScoredContribution[] Finish(TopK top, SketchStore store, Sketch query)
    {
        var result = new ScoredContribution[top.Count];
        for (int i = 0; i < top.Count; i++)
        {
            long row = top.Row(i);
            int scale = store.Scale(row);
            int dot = Int8Dot.Dot(query.Values, store.Row(row)); // recomputed: the key alone loses the dot when a scale is 0
            result[i] = new ScoredContribution(top.Id(i), scale, dot, ScoredContribution.ScoreOf(query.Scale, scale, dot));
        }
        return result;
    }

    /// <summary>The rank key for a row: scale_i · dot, or 0 when the query scale is 0 (all scores tie).</summary>
    public static long RankKey(int queryScale, int rowScale, int dot) => queryScale == 0 ? 0 : (long)rowScale * dot;
}
