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
        var cmd = new Command("serve", "Benchmark OpenLoRA serving: throughput with 1, 100 and 1,000 adapters, p50/p99 latency, adapter cold-load time and memory.")
        {
            hidden, layers, requests, concurrency, maxTokens, rank,
        };
        cmd.SetAction(async (p, ct) =>
        {
            var s = new ServeBenchmark.Settings(Hidden: p.GetValue(hidden), Layers: p.GetValue(layers), Heads: 4, KvHeads: 2, Intermediate: p.GetValue(hidden) * 8 / 3,
                Requests: p.GetValue(requests), Concurrency: p.GetValue(concurrency), MaxTokens: p.GetValue(maxTokens), Rank: p.GetValue(rank));
            foreach (var (name, v, min, max) in new[] { ("--hidden", s.Hidden, 8, 4096), ("--layers", s.Layers, 1, 64), ("--requests", s.Requests, 1, 1_000_000), ("--concurrency", s.Concurrency, 1, 4096), ("--max-tokens", s.MaxTokens, 1, 200), ("--rank", s.Rank, 1, 64) })
                if (v < min || v > max) throw new CliException($"{name} must lie in [{min}, {max}], got {v}", CliApp.UsageError);
            if (s.Hidden % 4 != 0) throw new CliException("--hidden must be a multiple of 4 (4 heads)", CliApp.UsageError);
            var inv = CultureInfo.InvariantCulture;
            using var ws = ServeBenchmark.Prepare(s, Console.WriteLine);
            Console.WriteLine(string.Create(inv, $"GEMM kernel {OpenLedger.AI.Compute.Gemm.Backend}, {Environment.ProcessorCount} cores; {s.Requests} requests per scenario, {s.Concurrency} concurrent clients, {s.MaxTokens} completion tokens each, greedy"));
            var cold = await ServeBenchmark.MeasureColdLoads(ws, s.Counts.Max());
            Console.WriteLine(string.Create(inv, $"adapter cold load (disk → cache, {cold.Count} adapters): mean {cold.MeanMs:F2} ms, p99 {cold.P99Ms:F2} ms; memory per cached adapter: {cold.BytesPerAdapter:N0} B of weights, {cold.ManagedBytesPerAdapter:N0} B managed heap"));
            var rows = await ServeBenchmark.Run(ws, s, _ => { }, ct);
            double single = rows[0].TokensPerSecond;
            Console.WriteLine($"{"adapters",9} {"tokens/s",10} {"vs 1",6} {"p50 ms",9} {"p99 ms",9}");
            foreach (var r in rows)
                Console.WriteLine(string.Create(inv, $"{r.Adapters,9} {r.TokensPerSecond,10:F1} {r.TokensPerSecond / single,6:F2} {r.P50Ms,9:F0} {r.P99Ms,9:F0}"));
            try
            {
                var peer = ServeBenchmark.RunLlamaCpp(ws, s);
                Console.WriteLine(string.Create(inv, $"llama.cpp (LLamaSharp 0.30 CPU, base + a0 merged, GGUF F32; one in-process batch of {peer.Sequences}, no HTTP): {peer.TokensPerSecond:F1} decode tokens/s, batch {peer.BatchMs:F0} ms; OpenLoRA 1-adapter over HTTP / llama.cpp: {single / peer.TokensPerSecond:F2}"));
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                Console.WriteLine($"llama.cpp (LLamaSharp) peer: unavailable: {e.GetType().Name}: {e.Message.ReplaceLineEndings(" ")}");
            }
            return CliApp.Ok;
        });
        return cmd;
    }
}
