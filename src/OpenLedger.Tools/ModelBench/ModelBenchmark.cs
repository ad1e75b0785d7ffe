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
/// compared), LoRA training tokens/s, and decode tokens/s for one sequence and for 8 concurrent sequences.
/// </summary>
public static class ModelBenchmark
{
    public sealed record GemmRow(string Name, int M, int N, int K, double OursGflops, double BlasGflops, double MaxRelDiff);

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

    private static double Time(Action a, double minSeconds)
    {
        a(); // warm-up
        int reps = 0;
        var sw = Stopwatch.StartNew();
        do { a(); reps++; } while (sw.Elapsed.TotalSeconds < minSeconds);
        return sw.Elapsed.TotalSeconds / reps;
    }

    public static List<GemmRow> Gemms(LlamaConfig c, int tokens, double minSeconds)
    {
        if (!OpenBlas.Available()) throw new InvalidOperationException("libopenblas.so.0 is not installed (Debian: libopenblas0; deploy/lib.sh installs it)");
        var rows = new List<GemmRow>();
        var rng = new SplitMix(1);
        foreach (var (name, m, n, k) in Shapes(c, tokens))
        {
            var a = new float[m * k]; var b = new float[n * k];
            for (int i = 0; i < a.Length; i++) a[i] = (float)(rng.NextDouble() - 0.5);
            for (int i = 0; i < b.Length; i++) b[i] = (float)(rng.NextDouble() - 0.5);
            var ours = new float[m * n]; var blas = new float[m * n];
            double tOurs = 0, tBlas = 0;
            // interleaved rounds so load on the machine hits both alike
            for (int round = 0; round < 3; round++)
            {
                tOurs += Time(() => Gemm.Multiply(false, true, m, n, k, a, k, b, k, ours, n), minSeconds / 3);
                tBlas += Time(() => OpenBlas.MultiplyNT(a, b, blas, m, n, k), minSeconds / 3);
            }
            double diff = 0, scale = 0;
            for (int i = 0; i < ours.Length; i++) { diff = Math.Max(diff, Math.Abs(ours[i] - blas[i])); scale = Math.Max(scale, Math.Abs(blas[i])); }
            double flops = 2.0 * m * n * k;
            rows.Add(new GemmRow(name, m, n, k, flops / (tOurs / 3) / 1e9, flops / (tBlas / 3) / 1e9, diff / Math.Max(1e-30, scale)));
        }
        return rows;
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

    /// <summary>Greedy decode tokens/s after a 16-token prompt: one sequence, or several at once (one thread each).</summary>
    public static double DecodeTokensPerSecond(LlamaModel model, int sequences, int newTokens)
    {
        int[] prompt = Enumerable.Range(1, 16).ToArray();
        void Run(int s)
        {
            var cache = new KvCache(model.Config, prompt.Length + newTokens + 1);
            var logits = model.Forward(prompt.Select(t => t + s).ToArray(), cache);
            for (int i = 0; i < newTokens; i++) logits = model.Forward([Sampler.ArgMax(logits)], cache);
        }
        Run(0); // warm-up
        var sw = Stopwatch.StartNew();
        if (sequences == 1) Run(0);
        else Parallel.For(0, sequences, Run);
        return (double)sequences * newTokens / sw.Elapsed.TotalSeconds;
    }
}
