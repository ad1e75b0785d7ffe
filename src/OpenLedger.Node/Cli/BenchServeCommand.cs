using System.CommandLine;
using System.Globalization;
using OpenLedger.Tools.ServeBench;

namespace OpenLedger.Node.Cli;

/// <summary>`openledger bench serve`: OpenLoRA throughput over 1, 100 and 1,000 adapters, latency, adapter cold loads.</summary>
public static class BenchServeCommand
{
    public static Command Create()
    {
        var hidden = new Option<int>("--hidden") { Description = "Base model hidden size.", DefaultValueFactory = _ => 128 };
        var layers = new Option<int>("--layers") { Description = "Base model layers.", DefaultValueFactory = _ => 2 };
        var requests = new Option<int>("--requests") { Description = "Requests per scenario.", DefaultValueFactory = _ => 1000 };
        var concurrency = new Option<int>("--concurrency") { Description = "Concurrent clients (closed loop).", DefaultValueFactory = _ => 64 };
        var maxTokens = new Option<int>("--max-tokens") { Description = "Completion tokens per request.", DefaultValueFactory = _ => 8 };
        var rank = new Option<int>("--rank") { Description = "Adapter rank.", DefaultValueFactory = _ => 8 };
        var rounds = new Option<int>("--rounds") { Description = "Rounds of all scenarios, each round in a rotated order (ratios are taken within a round).", DefaultValueFactory = _ => 3 };
        var cmd = new Command("serve", "Benchmark OpenLoRA serving: throughput with 1, 100 and 1,000 adapters, p50/p99 latency, adapter cold-load time and memory.")
        {
            hidden, layers, requests, concurrency, maxTokens, rank, rounds,
        };
        cmd.SetAction(async (p, ct) =>
        {
            var s = new ServeBenchmark.Settings(Hidden: p.GetValue(hidden), Layers: p.GetValue(layers), Heads: 4, KvHeads: 2, Intermediate: p.GetValue(hidden) * 8 / 3,
                Requests: p.GetValue(requests), Concurrency: p.GetValue(concurrency), MaxTokens: p.GetValue(maxTokens), Rank: p.GetValue(rank), Rounds: p.GetValue(rounds));
            foreach (var (name, v, min, max) in new[] { ("--hidden", s.Hidden, 8, 4096), ("--layers", s.Layers, 1, 64), ("--requests", s.Requests, 1, 1_000_000), ("--concurrency", s.Concurrency, 1, 4096), ("--max-tokens", s.MaxTokens, 1, 200), ("--rank", s.Rank, 1, 64), ("--rounds", s.Rounds, 1, 100) })
                if (v < min || v > max) throw new CliException($"{name} must lie in [{min}, {max}], got {v}", CliApp.UsageError);
            if (s.Hidden % 4 != 0) throw new CliException("--hidden must be a multiple of 4 (4 heads)", CliApp.UsageError);
            var inv = CultureInfo.InvariantCulture;
            using var ws = ServeBenchmark.Prepare(s, Console.WriteLine);
            Console.WriteLine(string.Create(inv, $"GEMM kernel {OpenLedger.AI.Compute.Gemm.Backend}, {Environment.ProcessorCount} cores; {s.Requests} requests per scenario, {s.Concurrency} concurrent clients, {s.MaxTokens} completion tokens each, greedy"));
            var cold = await ServeBenchmark.MeasureColdLoads(ws, s.Counts.Max());
            Console.WriteLine(string.Create(inv, $"adapter cold load (disk → cache, {cold.Count} adapters): mean {cold.MeanMs:F2} ms, p99 {cold.P99Ms:F2} ms; memory per cached adapter: {cold.BytesPerAdapter:N0} B of weights, {cold.ManagedBytesPerAdapter:N0} B managed heap"));
            var results = await ServeBenchmark.Run(ws, s, Console.WriteLine, ct);
            Console.WriteLine($"{"round",5} {"adapters",9} {"tokens/s",10} {"vs 1",6} {"p50 ms",9} {"p99 ms",9} {"tok/CPU-s",10} {"vs 1",6}");
            for (int i = 0; i < results.Count; i++)
                foreach (var r in results[i])
                    Console.WriteLine(string.Create(inv, $"{i + 1,5} {r.Adapters,9} {r.TokensPerSecond,10:F1} {r.TokensPerSecond / results[i][0].TokensPerSecond,6:F2} {r.P50Ms,9:F0} {r.P99Ms,9:F0} {r.TokensPerCpuSecond,10:F1} {r.TokensPerCpuSecond / results[i][0].TokensPerCpuSecond,6:F2}"));
            Console.WriteLine($"summary over {results.Count} rounds (ratios to 1 adapter taken within each round):");
            Console.WriteLine($"{"adapters",9} {"median tok/s",13} {"median vs 1",12} {"min vs 1",9} {"max vs 1",9} {"median tok/CPU-s vs 1",22} {"min",6} {"max",6}");
            for (int j = 0; j < s.Counts.Length; j++)
            {
                var tps = results.Select(r => r[j].TokensPerSecond).Order().ToList();
                var ratios = results.Select(r => r[j].TokensPerSecond / r[0].TokensPerSecond).Order().ToList();
                var cpuRatios = results.Select(r => r[j].TokensPerCpuSecond / r[0].TokensPerCpuSecond).Order().ToList();
                Console.WriteLine(string.Create(inv, $"{s.Counts[j],9} {Median(tps),13:F1} {Median(ratios),12:F2} {ratios[0],9:F2} {ratios[^1],9:F2} {Median(cpuRatios),22:F2} {cpuRatios[0],6:F2} {cpuRatios[^1],6:F2}"));
            }
            double single = Median(results.Select(r => r[0].TokensPerSecond).Order().ToList());
            try
            {
                var peer = ServeBenchmark.RunLlamaCpp(ws, s);
                Console.WriteLine(string.Create(inv, $"llama.cpp (LLamaSharp 0.30 CPU, base + a0 merged, GGUF F32; one in-process batch of {peer.Sequences}, no HTTP): {peer.TokensPerSecond:F1} decode tokens/s, batch {peer.BatchMs:F0} ms; OpenLoRA 1-adapter over HTTP (median) / llama.cpp: {single / peer.TokensPerSecond:F2}"));
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                Console.WriteLine($"llama.cpp (LLamaSharp) peer: unavailable: {e.GetType().Name}: {e.Message.ReplaceLineEndings(" ")}");
            }
            return CliApp.Ok;
        });
        return cmd;
    }

    private static double Median(List<double> sorted) =>
        sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2;
}
