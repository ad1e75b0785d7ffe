using OpenLedger.Attribution.Gpu;
using OpenLedger.Attribution.Scoring;
using OpenLedger.Attribution.Sketching;
using OpenLedger.Attribution.Spans;

namespace OpenLedger.Attribution.Tests;

public class ScoringBackendTests
{
    [Fact]
    public void Simd_dot_equals_the_scalar_definition_at_the_extremes()
    {
        var rng = new Random(1);
        foreach (int n in new[] { 1, 31, 32, 33, 63, 64, 65, 127, 1000, 1024, 4096 })
        {
            var a = new sbyte[n]; var b = new sbyte[n];
            for (int i = 0; i < n; i++) { a[i] = (sbyte)rng.Next(-127, 128); b[i] = (sbyte)rng.Next(-127, 128); }
            AllPathsEqual(a, b, Int8Dot.Scalar(a, b));
            Array.Fill(a, (sbyte)-127); Array.Fill(b, (sbyte)-127);
            AllPathsEqual(a, b, n * 16129); // largest magnitude: no saturation anywhere
            Array.Fill(b, (sbyte)127);
            AllPathsEqual(a, b, -n * 16129);
        }
    }

    private static void AllPathsEqual(sbyte[] a, sbyte[] b, int expected)
    {
        var wide = Int8Dot.Widen(a);
        Assert.Equal(expected, Int8Dot.Dot(a, b));
        Assert.Equal(expected, Int8Dot.DotVector(wide, b));
        if (System.Runtime.Intrinsics.X86.Avx2.IsSupported)
        {
            Assert.Equal(expected, Int8Dot.DotAvx2(wide, b));
            Assert.Equal(expected, Int8Dot.DotAvx2(a, b));
        }
    }

    /// <summary>Brute-force reference: every score, sorted by (score desc, id asc).</summary>
    private static ScoredContribution[] Reference(SketchStore store, Sketch q, int k) =>
        Enumerable.Range(0, (int)store.Count).Select(i =>
        {
            int dot = Int8Dot.Scalar(q.Values, store.Row(i));
            return new ScoredContribution(store.ContributionId(i), store.Scale(i), dot, ScoredContribution.ScoreOf(q.Scale, store.Scale(i), dot));
        }).OrderByDescending(s => s.Score).ThenBy(s => s.ContributionId).Take(k).ToArray();

    [Fact]
    public void Simd_and_ilgpu_cpu_backends_return_the_reference_top_k_with_ties()
    {
        // Rows repeat every 37, so equal scores are everywhere and the id tie-break decides.
        var rng = new Random(2);
        var pool = Enumerable.Range(0, 37).Select(_ => TestData.RandomSketch(rng, 64)).ToArray();
        var path = TestData.RandomStore(2, 700, 64, i => pool[i % 37]);
        try
        {
            using var store = SketchStore.Open(path);
            var queries = Enumerable.Range(0, 3).Select(_ => TestData.RandomSketch(rng, 64)).Append(new Sketch(new sbyte[64], 0)).ToArray();
            var expected = queries.Select(q => Reference(store, q, 25)).ToArray();
            using var simd = new SimdCpuScorer(threads: 2);
            var a = simd.Score(store, queries, 25);
            using var ilgpu = new IlgpuScorer(IlgpuDevice.Create(IlgpuTarget.Cpu), ownsDevice: true, chunkBytes: 16 << 10); // several chunks
            var b = ilgpu.Score(store, queries, 25);
            for (int j = 0; j < queries.Length; j++)
            {
                Assert.Equal(expected[j], a[j]);
                Assert.Equal(expected[j], b[j]);
            }
            Assert.All(a[3], s => Assert.Equal(Int128.Zero, s.Score)); // zero query: all tie, lowest ids win
            Assert.Equal(Enumerable.Range(0, 25).Select(i => 1000UL + (ulong)i * 7), a[3].Select(s => s.ContributionId));
        }
        finally { File.Delete(path); }
    }

    [Fact]
    public void Ilgpu_span_search_matches_the_cpu_matcher()
    {
        var rng = new Random(3);
        var corpus = Enumerable.Range(0, 20).Select(d => new TokenizedContribution((ulong)d, Enumerable.Range(0, 60).Select(_ => rng.Next(8)).ToArray())).ToList();
        using var index = SuffixIndexBuilder.Build(corpus, 8);
        var output = Enumerable.Range(0, 80).Select(_ => rng.Next(8)).Concat(corpus[4].Tokens.Take(30)).ToArray();
        using var device = IlgpuDevice.Create(IlgpuTarget.Cpu);
        using var gpu = new IlgpuSpanMatcher(device, index, maxLength: 40);
        Assert.Equal(new SpanMatcher(index, maxLength: 40).MatchAll(output), gpu.MatchAll(output));
    }

    [Fact]
    public void Score_rejects_mismatched_queries()
    {
        var path = TestData.RandomStore(4, 10, 32);
        try
        {
            using var store = SketchStore.Open(path);
            using var s = new SimdCpuScorer();
            Assert.Throws<ArgumentException>(() => s.Score(store, [new Sketch(new sbyte[64], 1)], 5));
            Assert.Throws<ArgumentOutOfRangeException>(() => s.Score(store, [new Sketch(new sbyte[32], 1)], 0));
        }
        finally { File.Delete(path); }
    }

    [Fact]
    public void Factory_picks_a_working_backend()
    {
        using var s = ScorerFactory.CreateBest();
        Assert.Equal(IlgpuDevice.CudaAvailable() ? "ilgpu-cuda" : "simd-cpu", s.Name);
        Assert.Throws<ArgumentException>(() => ScorerFactory.Create("tpu"));
    }
}
