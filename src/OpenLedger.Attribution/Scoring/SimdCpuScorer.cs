using OpenLedger.Attribution.Sketching;

namespace OpenLedger.Attribution.Scoring;

/// <summary>
/// The CPU path: AVX2 (or portable Vector) int8 dot products over the memory-mapped rows, one sweep for a whole
/// batch of queries (each row is read from memory once and dotted against every query while it sits in L1),
/// rows split across threads, per-thread top-k lists merged under the same total order.
/// </summary>
public sealed unsafe class SimdCpuScorer : IAttributionScorer
{
    private readonly int _threads;

    public SimdCpuScorer(int threads = 0)
    {
        if (threads < 0) throw new ArgumentOutOfRangeException(nameof(threads));
        _threads = threads == 0 ? Environment.ProcessorCount : threads;
    }

    public string Name => "simd-cpu";

    public IReadOnlyList<ScoredContribution[]> Score(SketchStore store, IReadOnlyList<Sketch> queries, int k)
    {
        ScorerChecks.Validate(store, queries, k);
        int qn = queries.Count, dim = store.K;
        bool avx2 = System.Runtime.Intrinsics.X86.Avx2.IsSupported;
        var widened = avx2 ? [] : queries.Select(q => Int8Dot.Widen(q.Values)).ToArray();
        var raw = queries.Select(q => q.Values).ToArray();
        var qScales = queries.Select(q => q.Scale).ToArray();
        long rows = store.Count;
        // More parts than threads: a thread that loses its core to another process does not hold up the sweep.
        int parts = (int)Math.Max(1, Math.Min(_threads * 8L, rows / 1024 + 1));
        var partial = new TopK[parts][];
        sbyte* basePtr = store.RowsPointer;
        var scales = store.Scales.ToArray();
        var ids = store.ContributionIds.ToArray();

        Parallel.For(0, parts, new ParallelOptions { MaxDegreeOfParallelism = _threads }, p =>
        {
            var tops = new TopK[qn];
            for (int j = 0; j < qn; j++) tops[j] = new TopK(k);
            long from = rows * p / parts, to = rows * (p + 1) / parts;
            for (long r = from; r < to; r++)
            {
                var row = new ReadOnlySpan<sbyte>(basePtr + r * dim, dim);
                int scale = scales[r];
                ulong id = ids[r];
                for (int j = 0; j < qn; j++)
                {
                    int dot = avx2 ? Int8Dot.DotAvx2(raw[j], row) : Int8Dot.DotVector(widened[j], row);
                    tops[j].Offer(ScorerChecks.RankKey(qScales[j], scale, dot), id, r);
                }
            }
            partial[p] = tops;
        });

        var result = new ScoredContribution[qn][];
        for (int j = 0; j < qn; j++)
        {
            var merged = new TopK(k);
            for (int p = 0; p < parts; p++) merged.Merge(partial[p][j]);
            result[j] = ScorerChecks.Finish(merged, store, queries[j]);
        }
        return result;
    }

    public void Dispose() { }
}
