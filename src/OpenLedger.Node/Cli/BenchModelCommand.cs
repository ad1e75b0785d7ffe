using System.CommandLine;
using System.Globalization;
using OpenLedger.AI.Export;
using OpenLedger.AI.Model;
using OpenLedger.AI.Tokenization;
using OpenLedger.Tools.ModelBench;

namespace OpenLedger.Node.Cli;

/// <summary>`openledger bench model [--model DIR]`: GEMM vs OpenBLAS on the model's shapes, training tokens/s, decode tokens/s vs llama.cpp.</summary>
public static class BenchModelCommand
{
    public static Command Create()
    {
        var model = new Option<string?>("--model") { Description = "Model directory; default: the shape `model init` writes (random weights)." };
        var tokens = new Option<int>("--tokens") { Description = "Rows (tokens) of each GEMM.", DefaultValueFactory = _ => 128 };
        var seconds = new Option<double>("--seconds") { Description = "Minimum timed seconds per GEMM and side.", DefaultValueFactory = _ => 1.5 };
        var peerThreads = new Option<int>("--peer-threads") { Description = "llama.cpp threads (its OpenMP workers spin while waiting unless OMP_WAIT_POLICY=PASSIVE, which a loaded machine punishes).", DefaultValueFactory = _ => Environment.ProcessorCount };
        var rounds = new Option<int>("--rounds") { Description = "Interleaved rounds per GEMM shape (the ratio printed is their median, with the lowest and highest).", DefaultValueFactory = _ => 6 };
        var gemmThreads = new Option<int>("--gemm-threads") { Description = "0: both GEMMs use every core; 1: both single-threaded (kernel against kernel).", DefaultValueFactory = _ => 0 };
        var parts = new Option<string>("--parts") { Description = "Comma-separated parts to run: gemm, train, decode.", DefaultValueFactory = _ => "gemm,train,decode" };
        var cmd = new Command("model", "Benchmark the model runtime: GEMM vs OpenBLAS sgemm, LoRA training tokens/s, decode tokens/s vs llama.cpp (LLamaSharp) on our GGUF.") { model, tokens, seconds, peerThreads, rounds, parts, gemmThreads };
        cmd.SetAction(p =>
        {
            int t = p.GetValue(tokens);
            double s = p.GetValue(seconds);
            if (t < 1 || t > 4096) throw new CliException($"--tokens must lie in [1, 4096], got {t}", CliApp.UsageError);
            if (!(s > 0 && s <= 60)) throw new CliException($"--seconds must lie in (0, 60], got {s}", CliApp.UsageError);
            int nr = p.GetValue(rounds);
            if (nr < 1 || nr > 100) throw new CliException($"--rounds must lie in [1, 100], got {nr}", CliApp.UsageError);
            var run = p.GetValue(parts)!.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToHashSet();
            if (run.Count == 0 || run.FirstOrDefault(x => x is not ("gemm" or "train" or "decode")) is { } bad)
                throw new CliException($"--parts takes gemm, train, decode; got '{p.GetValue(parts)}'", CliApp.UsageError);
            int gt = p.GetValue(gemmThreads);
            if (gt is not (0 or 1)) throw new CliException($"--gemm-threads takes 0 or 1, got {gt}", CliApp.UsageError);
            int pt = p.GetValue(peerThreads);
            if (pt < 1 || pt > 256) throw new CliException($"--peer-threads must lie in [1, 256], got {pt}", CliApp.UsageError);
            LlamaWeights w;
            try { w = p.GetValue(model) is { } dir ? LlamaWeights.Load(dir, LlamaConfig.Load(dir)) : LlamaWeights.Random(ModelBenchmark.DefaultConfig(), 1); }
            catch (Exception e) when (e is IOException or InvalidDataException or NotSupportedException or KeyNotFoundException) { throw new CliException(e.Message); }
            var c = w.Config;
            var inv = CultureInfo.InvariantCulture;
            Console.WriteLine(string.Create(inv, $"model: {c.NumLayers} layers, hidden {c.HiddenSize}, heads {c.NumHeads}/{c.NumKvHeads}, mlp {c.IntermediateSize}, vocab {c.VocabSize}; {w.ParameterCount():N0} parameters; GEMM kernel {OpenLedger.AI.Compute.Gemm.Backend}, {Environment.ProcessorCount} cores"));
            if (run.Contains("gemm"))
            {
                List<ModelBenchmark.GemmRow> rows;
                try { rows = ModelBenchmark.Gemms(c, t, s, nr, gt); }
                catch (InvalidOperationException e) { throw new CliException(e.Message); }
                Console.WriteLine($"{"gemm (x·Wᵀ)",-12} {"M×N×K",-20} {"ours GFLOP/s",13} {"OpenBLAS",10} {"ratio",7} {"min-max",11} {"best/best",10} {"max rel diff",13}");
                Console.WriteLine($"(GFLOP/s and ratio: medians of {nr} interleaved rounds of mean call time; min-max: per-round ratios; best/best: fastest single calls; {(gt == 1 ? "both single-threaded" : "both on all cores")})");
                foreach (var r in rows)
                    Console.WriteLine(string.Create(inv, $"{r.Name,-12} {$"{r.M}×{r.N}×{r.K}",-20} {r.OursGflops,13:F1} {r.BlasGflops,10:F1} {r.Ratio,7:F2} {$"{r.RatioMin:F2}-{r.RatioMax:F2}",11} {r.BestRatio,10:F2} {r.MaxRelDiff,13:E1}"));
            }
            if (run.Contains("train"))
            {
                double train = ModelBenchmark.TrainingTokensPerSecond(w, 128, 4);
                Console.WriteLine(string.Create(inv, $"LoRA training (r=8, q/v, 128-token sequences): {train:F0} tokens/s"));
            }
            if (run.Contains("decode")) LlamaCppComparison(w, p.GetValue(model), inv, new LlamaModel(w), pt);
            return CliApp.Ok;
        });
        return cmd;
    }

    /// <summary>
    /// Greedy decode tokens/s, ours against llama.cpp (LLamaSharp, CPU) on the same weights written as GGUF F32 by our
    /// writer, for one sequence and for 8 decoded together; both sides continue the same 16-token prompts, prefill untimed.
    /// </summary>
    private static void LlamaCppComparison(LlamaWeights w, string? modelDir, CultureInfo inv, LlamaModel m, int threads)
    {
        const int promptLength = 16, newTokens = 32, batch = 8;
        string dir = Path.Combine(Path.GetTempPath(), "ol-bench-gguf-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(dir);
        try
        {
            if (modelDir == null) Gpt2TokenizerJson.Write(Path.Combine(dir, "tokenizer.json"));
            var tok = HfTokenizer.ReadDefinition(modelDir ?? dir);
            string gguf = Path.Combine(dir, "model.gguf");
            LlamaGguf.Write(gguf, w, tok, "bench", GgmlType.F32);
            var prompts = Enumerable.Range(0, batch).Select(s => Enumerable.Range(0, promptLength).Select(i => 100 + 37 * s + 11 * i).ToArray()).ToArray();
            using var peer = LlamaCppPeer.Load(gguf, batch * (promptLength + newTokens + 1) + 64, batch, threads);
            Console.WriteLine($"llama.cpp (LLamaSharp, CPU backend, {threads} threads; OMP_WAIT_POLICY={Environment.GetEnvironmentVariable("OMP_WAIT_POLICY") ?? "unset"}) on our GGUF F32: {LlamaCppPeer.SystemInfo}");
            foreach (int n in new[] { 1, batch })
            {
                var ps = prompts[..n];
                ModelBenchmark.Greedy(m, ps, 4); peer.Greedy(ps, 4); // warm-up
                double ours = 0, theirs = 0;
                int agree = 0, total = 0;
                for (int round = 0; round < 2; round++) // interleaved, so load on the machine hits both alike
                {
                    var (ot, otps) = ModelBenchmark.Greedy(m, ps, newTokens);
                    var (lt, ltps) = peer.Greedy(ps, newTokens);
                    ours += otps / 2; theirs += ltps / 2;
                    for (int s = 0; s < n; s++) { total++; if (ot[s].SequenceEqual(lt[s])) agree++; }
                }
                Console.WriteLine(string.Create(inv, $"decode, {(n == 1 ? "1 sequence" : $"batch of {n}"),-12} ours {ours,8:F1} tokens/s   llama.cpp {theirs,8:F1} tokens/s   ratio {ours / theirs:F2}   greedy outputs equal: {agree}/{total}"));
            }
        }
        catch (Exception e) when (e is NotSupportedException or InvalidDataException or IOException or LLama.Exceptions.RuntimeError or TypeInitializationException)
        {
            Console.WriteLine($"llama.cpp comparison skipped: {e.Message.ReplaceLineEndings(" ")}");
        }
        finally
        {
            try { Directory.Delete(dir, recursive: true); } catch (IOException) { }
        }
    }
}
