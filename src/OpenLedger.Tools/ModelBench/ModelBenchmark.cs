using System.Diagnostics;
using OpenLedger.AI.Compute;
using OpenLedger.AI.Data;
using OpenLedger.AI.Generation;
using OpenLedger.AI.Lora;
using OpenLedger.AI.Model;
using OpenLedger.AI.Training;

namespace OpenLedger.Tools.ModelBench;

/// <summary>
/// `openledger bench model`: our GEMM against OpenBLAS sgemm on the model's projection shapes (same inputs, results
/// compared), LoRA training tokens/s, and greedy decode for one sequence and for 8 decoded together (timed like
/// <see cref="LlamaCppPeer"/>).
/// </summary>
public static class ModelBenchmark
{
    /// <summary>One shape: medians over the interleaved rounds, and the lowest and highest per-round ratio (the spread a loaded machine gives).</summary>
    /// <summary>BestRatio compares each side's fastest single call over all rounds (what a call costs when the machine lets it run).</summary>
    public sealed record GemmRow(string Name, int M, int N, int K, double OursGflops, double BlasGflops, double Ratio, double RatioMin, double RatioMax, double BestRatio, double MaxRelDiff);

    public static LlamaConfig DefaultConfig() => new()
    {
        HiddenSize = 384, IntermediateSize = 1024, NumLayers = 6, NumHeads = 6, NumKvHeads = 2, HeadDim = 64,
        VocabSize = 50257, MaxPositions = 1024, TieWordEmbeddings = true, EosTokenIds = [50256], RopeTheta = 10000,
    };

    public static IEnumerable<(string, int, int, int)> Shapes(LlamaConfig c, int tokens) =>
    [
        ("q_proj", tokens, c.QDim, c.HiddenSize),
        ("k_proj", tokens, c.KvDim, c.HiddenSize),
        ("gate_proj", tokens, c.IntermediateSize, c.HiddenSize),
        ("down_proj", tokens, c.HiddenSize, c.IntermediateSize),
        ("lm_head", tokens, c.VocabSize, c.HiddenSize),
    ];

    /// <summary>Mean seconds per call over at least <paramref name="minSeconds"/>, and the fastest single call.</summary>
    private static (double Mean, double Best) TimeCalls(Action a, double minSeconds)
    {
        a(); // warm-up
        int reps = 0;
        double best = double.MaxValue;
        var sw = Stopwatch.StartNew();
        do
        {
            long t0 = Stopwatch.GetTimestamp();
            a(); reps++;
            best = Math.Min(best, Stopwatch.GetElapsedTime(t0).TotalSeconds);
        } while (sw.Elapsed.TotalSeconds < minSeconds);
        return (sw.Elapsed.TotalSeconds / reps, best);
    }

    /// <param name="threads">0: both sides use every core; 1: both single-threaded (our kernel against OpenBLAS's, without threading).</param>
    public static List<GemmRow> Gemms(LlamaConfig c, int tokens, double minSeconds, int rounds = 6, int threads = 0)
    {
        if (!OpenBlas.Available()) throw new InvalidOperationException("libopenblas.so.0 is not installed (Debian: libopenblas0; deploy/lib.sh installs it)");
        if (threads is not (0 or 1)) throw new ArgumentOutOfRangeException(nameof(threads), "threads: 0 (all cores) or 1");
        OpenBlas.SetThreads(threads == 1 ? 1 : Environment.ProcessorCount);
        bool parallel = threads != 1;
        var rows = new List<GemmRow>();
        var rng = new SplitMix(1);
        foreach (var (name, m, n, k) in Shapes(c, tokens))
        {
            var a = new float[m * k]; var b = new float[n * k];
            for (int i = 0; i < a.Length; i++) a[i] = (float)(rng.NextDouble() - 0.5);
            for (int i = 0; i < b.Length; i++) b[i] = (float)(rng.NextDouble() - 0.5);
            var ours = new float[m * n]; var blas = new float[m * n];
            var tOurs = new double[rounds]; var tBlas = new double[rounds];
            double bestOurs = double.MaxValue, bestBlas = double.MaxValue;
            // interleaved rounds, alternating which side goes first, so load on the machine hits both alike
            for (int round = 0; round < rounds; round++)
            {
                void Ours()
                {
                    var (mean, best) = TimeCalls(() => Gemm.Multiply(false, true, m, n, k, a, k, b, k, ours, n, parallel: parallel), minSeconds / rounds);
                    tOurs[round] = mean; bestOurs = Math.Min(bestOurs, best);
                }
                void Blas()
                {
                    var (mean, best) = TimeCalls(() => OpenBlas.MultiplyNT(a, b, blas, m, n, k), minSeconds / rounds);
                    tBlas[round] = mean; bestBlas = Math.Min(bestBlas, best);
                }
                if (round % 2 == 0) { Ours(); Blas(); } else { Blas(); Ours(); }
            }
            double diff = 0, scale = 0;
            for (int i = 0; i < ours.Length; i++) { diff = Math.Max(diff, Math.Abs(ours[i] - blas[i])); scale = Math.Max(scale, Math.Abs(blas[i])); }
            double flops = 2.0 * m * n * k;
            var ratios = Enumerable.Range(0, rounds).Select(r => tBlas[r] / tOurs[r]).ToArray();
            rows.Add(new GemmRow(name, m, n, k, flops / Median(tOurs) / 1e9, flops / Median(tBlas) / 1e9,
                Median(ratios), ratios.Min(), ratios.Max(), bestBlas / bestOurs, diff / Math.Max(1e-30, scale)));
        }
        OpenBlas.SetThreads(Environment.ProcessorCount);
        return rows;
    }

    private static double Median(double[] xs)
    {
        var s = xs.Order().ToArray();
        return s.Length % 2 == 1 ? s[s.Length / 2] : (s[s.Length / 2 - 1] + s[s.Length / 2]) / 2;
    }

    /// <summary>LoRA (q,v) fine-tuning steps on random token sequences; tokens per second.</summary>
    public static double TrainingTokensPerSecond(LlamaWeights w, int seqLen, int steps)
    {
        var model = new LlamaModel(w, LoraAdapter.Create(w, new LoraConfig { Rank = 8, Alpha = 16, TargetModules = ["q_proj", "v_proj"] }, 1));
        var rng = new SplitMix(2);
        var examples = Enumerable.Range(0, 8).Select(i =>
        {
            var ids = Enumerable.Range(0, seqLen + 1).Select(_ => rng.NextInt(w.Config.VocabSize)).ToArray();
            return new TokenizedExample((ulong)i, ids[..^1], ids[1..]);
        }).ToList();
        var warm = new Trainer(model, false, examples, new TrainerOptions { MaxSteps = 1, BatchSize = 1 });
        warm.Run();
        var trainer = new Trainer(model, false, examples, new TrainerOptions { MaxSteps = steps, BatchSize = 1 });
        var sw = Stopwatch.StartNew();
        trainer.Run();
        return (double)steps * seqLen / sw.Elapsed.TotalSeconds;
    }

    /// <summary>
    /// Our greedy continuation of each prompt, timed like <see cref="LlamaCppPeer.Greedy"/>: the prefill untimed, then
    /// one decode step per new token (a single sequence through Forward, several through DecodeBatch).
    /// </summary>
    public static (int[][] Tokens, double TokensPerSecond) Greedy(LlamaModel model, int[][] prompts, int newTokens)
    {
        int n = prompts.Length, v = model.Config.VocabSize;
        var caches = prompts.Select(p => new KvCache(model.Config, p.Length + newTokens + 1)).ToArray();
        var next = new int[n];
        for (int s = 0; s < n; s++) next[s] = Sampler.ArgMax(model.Forward(prompts[s], caches[s]));
        var outputs = Enumerable.Range(0, n).Select(_ => new List<int>()).ToArray();
        var sw = Stopwatch.StartNew();
        for (int step = 0; step < newTokens; step++)
        {
            for (int s = 0; s < n; s++) outputs[s].Add(next[s]);
            if (n == 1) next[0] = Sampler.ArgMax(model.Forward([next[0]], caches[0]));
            else
            {
                var logits = model.DecodeBatch(next, caches);
                for (int s = 0; s < n; s++) next[s] = Sampler.ArgMax(logits.AsSpan(s * v, v));
            }
        }
        return (outputs.Select(o => o.ToArray()).ToArray(), (double)n * newTokens / sw.Elapsed.TotalSeconds);
    }
}
