using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using OpenLedger.AI.Compute;
using OpenLedger.AI.Export;
using OpenLedger.AI.Tokenization;
using OpenLedger.AI.Factory;
using OpenLedger.AI.Lora;
using OpenLedger.AI.Model;
using OpenLedger.Primitives;
using OpenLedger.Serving;
using OpenLedger.Serving.Adapters;
using OpenLedger.Serving.Payments;
using OpenLedger.Tools.ModelBench;

namespace OpenLedger.Tools.ServeBench;

/// <summary>
/// `bench serve`: a real server (Kestrel, scheduler, adapter cache, free payments) over a generated base model and
/// N random rank-r adapters; the same closed-loop load (C clients, each sending its next request when the previous
/// answer arrives) runs with requests spread over 1, 100 and 1,000 adapters; adapter cold loads are timed separately.
/// </summary>
public static class ServeBenchmark
{
    public sealed record Settings(int Hidden = 128, int Layers = 2, int Heads = 4, int KvHeads = 2, int Intermediate = 344, int Requests = 1000,
        int Concurrency = 64, int MaxTokens = 8, int Rank = 8, int[]? AdapterCounts = null, int Rounds = 3)
    {
        public int[] Counts => AdapterCounts ?? [1, 100, 1000];
    }

    /// <param name="CpuSeconds">CPU time the whole process (server and clients) used in the scenario: on a shared machine
    /// tokens per CPU-second moves far less with other processes' load than tokens per wall-clock second</param>
    public sealed record Scenario(int Adapters, int Requests, int CompletionTokens, double Seconds, double P50Ms, double P99Ms, double CpuSeconds)
    {
        public double TokensPerSecond => CompletionTokens / Seconds;
        public double TokensPerCpuSecond => CompletionTokens / CpuSeconds;
    }

    public sealed record ColdLoad(int Count, double MeanMs, double P99Ms, long BytesPerAdapter, long ManagedBytesPerAdapter);

    public sealed class Workspace : IDisposable
    {
        public required string Root { get; init; }
        public required string BaseDir { get; init; }
        public required string AdaptersDir { get; init; }
        public required LlamaConfig Config { get; init; }
        public void Dispose() { try { Directory.Delete(Root, true); } catch (IOException) { } }
    }

    public static Workspace Prepare(Settings s, Action<string> log)
    {
        string root = Path.Combine(Path.GetTempPath(), "openledger-bench-serve-" + Guid.NewGuid().ToString("N")[..8]);
        string baseDir = Path.Combine(root, "base"), adapters = Path.Combine(root, "adapters");
        var cfg = ModelFactory.InitBaseModel(baseDir, new BaseModelShape(s.Hidden, s.Layers, s.Heads, s.KvHeads, s.Intermediate, 256), seed: 1);
        var weights = LlamaWeights.Load(baseDir, cfg);
        int n = s.Counts.Max();
        var lora = new LoraConfig { Rank = s.Rank, Alpha = 2 * s.Rank, TargetModules = ["q_proj", "k_proj", "v_proj", "o_proj"] };
        for (int i = 0; i < n; i++)
        {
            var a = LoraAdapter.Create(weights, lora, 1000 + (ulong)i);
            var rng = new SplitMix(5000 + (ulong)i);
            foreach (var p in a.Pairs) for (int j = 0; j < p.B.Data.Length; j++) p.B.Data[j] = (float)(rng.NextGaussian() * 0.02);
            a.Save(Path.Combine(adapters, $"a{i}"));
        }
        log($"wrote a {cfg.NumLayers}-layer, {cfg.HiddenSize}-wide base ({cfg.ParameterCount():N0} parameters, vocab {cfg.VocabSize}) and {n} rank-{s.Rank} adapters (q/k/v/o) under {root}");
        return new Workspace { Root = root, BaseDir = baseDir, AdaptersDir = adapters, Config = cfg };
    }

    /// <summary>Loads <paramref name="count"/> adapters one at a time from disk into a cache: time per load and memory per adapter.</summary>
    public static async Task<ColdLoad> MeasureColdLoads(Workspace ws, int count)
    {
        var weights = LlamaWeights.Load(ws.BaseDir, ws.Config);
        var cache = new AdapterCache(weights, long.MaxValue);
        var times = new List<double>();
        long bytes = 0;
        GC.Collect(); GC.WaitForPendingFinalizers(); GC.Collect();
        long before = GC.GetTotalMemory(true);
        for (int i = 0; i < count; i++)
        {
            string dir = Path.Combine(ws.AdaptersDir, $"a{i}");
            var sw = Stopwatch.StartNew();
            var a = await cache.GetAsync(new AdapterEntry($"a{i}", null, AdapterFiles.Hash(dir), UInt256.Zero, dir));
            times.Add(sw.Elapsed.TotalMilliseconds);
            bytes += a.Bytes;
        }
        long after = GC.GetTotalMemory(true);
        GC.KeepAlive(cache);
        times.Sort();
        return new ColdLoad(count, times.Average(), Percentile(times, 0.99), bytes / count, (after - before) / count);
    }

    /// <summary>
    /// Runs every scenario once per round, in a rotated order each round (round r starts with scenario r mod n), so a
    /// machine whose load drifts during the run does not favour the scenario that always runs first. Returns, per
    /// round, the scenarios in <see cref="Settings.Counts"/> order.
    /// </summary>
    public static async Task<List<Scenario[]>> Run(Workspace ws, Settings s, Action<string> log, CancellationToken ct)
    {
        var options = new ServeOptions
        {
            BaseDir = ws.BaseDir, AdaptersDir = ws.AdaptersDir, DataDir = Path.Combine(ws.Root, "data"), BaseName = "base", Port = 0,
            MaxTokens = s.MaxTokens, MaxBatch = s.Concurrency, MaxQueue = s.Concurrency * 2, RateLimitPerMinute = 0, KvCacheMiB = 256,
            AdapterCacheBytes = 4L << 30,
        };
        await using var host = await ServingHost.StartAsync(options, new FreeInferencePayments(), null, ct);
        using var http = new HttpClient { BaseAddress = host.Address, Timeout = TimeSpan.FromMinutes(10) };
        var results = new List<Scenario[]>();
        // warm-up: JIT, thread pool, and every adapter loaded once, so the timed runs measure serving, not cold loads
        await Load(http, s, s.Counts.Max(), Math.Max(s.Concurrency, s.Counts.Max()), ct);
        var counts = s.Counts;
        for (int round = 0; round < s.Rounds; round++)
        {
            var row = new Scenario[counts.Length];
            for (int j = 0; j < counts.Length; j++)
            {
                int i = (round + j) % counts.Length;
                var r = await Load(http, s, counts[i], s.Requests, ct);
                row[i] = r;
                log($"round {round + 1}: {counts[i],5} adapters: {r.Requests} requests, {r.CompletionTokens} tokens in {r.Seconds:F1} s, {r.CpuSeconds:F1} CPU-s");
            }
            results.Add(row);
        }
        return results;
    }

    private static async Task<Scenario> Load(HttpClient http, Settings s, int adapters, int requests, CancellationToken ct)
    {
        int next = -1, tokens = 0;
        var latencies = new List<double>();
        var cpu0 = Process.GetCurrentProcess().TotalProcessorTime;
        var sw = Stopwatch.StartNew();
        async Task Client()
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < requests)
            {
                var body = new { model = $"a{i % adapters}", prompt = Prompt(i), max_tokens = s.MaxTokens, temperature = 0 };
                var t0 = Stopwatch.GetTimestamp();
                var resp = await http.PostAsJsonAsync("/v1/completions", body, ct);
                var text = await resp.Content.ReadAsStringAsync(ct);
                if (!resp.IsSuccessStatusCode) throw new InvalidOperationException($"request {i} failed: {(int)resp.StatusCode} {text}");
                double ms = Stopwatch.GetElapsedTime(t0).TotalMilliseconds;
                int n = (int)JsonNode.Parse(text)!["usage"]!["completion_tokens"]!;
                lock (latencies) { latencies.Add(ms); tokens += n; }
            }
        }
        await Task.WhenAll(Enumerable.Range(0, s.Concurrency).Select(_ => Task.Run(Client, ct)));
        double secs = sw.Elapsed.TotalSeconds;
        double cpu = (Process.GetCurrentProcess().TotalProcessorTime - cpu0).TotalSeconds;
        latencies.Sort();
        return new Scenario(adapters, requests, tokens, secs, Percentile(latencies, 0.5), Percentile(latencies, 0.99), cpu);
    }

    private static string Prompt(int i) => $"Request {i}: tell me something about the number {i * 7919 % 1000}.";

    public sealed record PeerResult(int Sequences, double TokensPerSecond, double BatchMs);

    /// <summary>
    /// llama.cpp (LLamaSharp, CPU) on the base with adapter a0 merged, written as GGUF by our writer: the first
    /// `concurrency` prompts greedily decoded as one batch in process (no HTTP, no scheduler), so an upper bound for a
    /// server built on it; tokens/s of the decode steps and the batch's wall time (every request's latency).
    /// </summary>
    public static PeerResult RunLlamaCpp(Workspace ws, Settings s)
    {
        var w = LlamaWeights.Load(ws.BaseDir, ws.Config);
        LoraAdapter.Load(Path.Combine(ws.AdaptersDir, "a0"), w).Merge(w);
        string gguf = Path.Combine(ws.Root, "base-a0-merged.gguf");
        LlamaGguf.Write(gguf, w, HfTokenizer.ReadDefinition(ws.BaseDir), "openlora-bench", GgmlType.F32);
        var tok = HfTokenizer.Load(ws.BaseDir);
        var prompts = Enumerable.Range(0, s.Concurrency).Select(i => tok.Encode(Prompt(i))).ToArray();
        int context = prompts.Sum(p => p.Length) + s.Concurrency * (s.MaxTokens + 1) + 16;
        using var peer = LlamaCppPeer.Load(gguf, context, s.Concurrency, Environment.ProcessorCount);
        var sw = Stopwatch.StartNew();
        var (_, tps) = peer.Greedy(prompts, s.MaxTokens);
        return new PeerResult(s.Concurrency, tps, sw.Elapsed.TotalMilliseconds);
    }

    public static double Percentile(List<double> sorted, double q) =>
        sorted.Count == 0 ? double.NaN : sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(q * sorted.Count) - 1)];
}
