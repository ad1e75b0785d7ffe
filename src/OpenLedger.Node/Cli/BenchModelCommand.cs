using System.CommandLine;
using System.Globalization;
using OpenLedger.AI.Model;
using OpenLedger.Tools.ModelBench;

namespace OpenLedger.Node.Cli;

/// <summary>`openledger bench model [--model DIR]`: GEMM vs OpenBLAS on the model's shapes, training and decode tokens/s.</summary>
public static class BenchModelCommand
{
    public static Command Create()
    {
        var model = new Option<string?>("--model") { Description = "Model directory; default: the shape `model init` writes (random weights)." };
        var tokens = new Option<int>("--tokens") { Description = "Rows (tokens) of each GEMM.", DefaultValueFactory = _ => 128 };
        var seconds = new Option<double>("--seconds") { Description = "Minimum timed seconds per GEMM and side.", DefaultValueFactory = _ => 1.5 };
        var cmd = new Command("model", "Benchmark the model runtime: GEMM vs OpenBLAS sgemm, LoRA training and decode tokens/s.") { model, tokens, seconds };
        cmd.SetAction(p =>
        {
            int t = p.GetValue(tokens);
            double s = p.GetValue(seconds);
            if (t < 1 || t > 4096) throw new CliException($"--tokens must lie in [1, 4096], got {t}", CliApp.UsageError);
            if (!(s > 0 && s <= 60)) throw new CliException($"--seconds must lie in (0, 60], got {s}", CliApp.UsageError);
            LlamaWeights w;
            try { w = p.GetValue(model) is { } dir ? LlamaWeights.Load(dir, LlamaConfig.Load(dir)) : LlamaWeights.Random(ModelBenchmark.DefaultConfig(), 1); }
            catch (Exception e) when (e is IOException or InvalidDataException or NotSupportedException or KeyNotFoundException) { throw new CliException(e.Message); }
            var c = w.Config;
            var inv = CultureInfo.InvariantCulture;
            Console.WriteLine(string.Create(inv, $"model: {c.NumLayers} layers, hidden {c.HiddenSize}, heads {c.NumHeads}/{c.NumKvHeads}, mlp {c.IntermediateSize}, vocab {c.VocabSize}; {w.ParameterCount():N0} parameters; GEMM kernel {OpenLedger.AI.Compute.Gemm.Backend}, {Environment.ProcessorCount} cores"));
            List<ModelBenchmark.GemmRow> rows;
            try { rows = ModelBenchmark.Gemms(c, t, s); }
            catch (InvalidOperationException e) { throw new CliException(e.Message); }
            Console.WriteLine($"{"gemm (x·Wᵀ)",-12} {"M×N×K",-20} {"ours GFLOP/s",13} {"OpenBLAS",10} {"ratio",7} {"max rel diff",13}");
            foreach (var r in rows)
                Console.WriteLine(string.Create(inv, $"{r.Name,-12} {$"{r.M}×{r.N}×{r.K}",-20} {r.OursGflops,13:F1} {r.BlasGflops,10:F1} {r.OursGflops / r.BlasGflops,7:F2} {r.MaxRelDiff,13:E1}"));
            double train = ModelBenchmark.TrainingTokensPerSecond(w, 128, 4);
            Console.WriteLine(string.Create(inv, $"LoRA training (r=8, q/v, 128-token sequences): {train:F0} tokens/s"));
            var m = new LlamaModel(w);
            double one = ModelBenchmark.DecodeTokensPerSecond(m, 1, 32);
            double eight = ModelBenchmark.DecodeTokensPerSecond(m, 8, 32);
            Console.WriteLine(string.Create(inv, $"decode, 1 sequence: {one:F1} tokens/s; 8 concurrent sequences (one thread each, no fused batch): {eight:F1} tokens/s"));
            Console.WriteLine("llama.cpp (LLamaSharp) comparison: not built yet (needs our GGUF writer)");
            return CliApp.Ok;
        });
        return cmd;
    }
}
