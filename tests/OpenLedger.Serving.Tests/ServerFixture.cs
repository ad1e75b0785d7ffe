using System.Net.Http.Json;
using System.Text.Json.Nodes;
using OpenLedger.AI.Factory;
using OpenLedger.AI.Lora;
using OpenLedger.AI.Training;
using OpenLedger.Serving.Payments;

namespace OpenLedger.Serving.Tests;

/// <summary>
/// Adapters for the HTTP tests: "facts" fine-tuned by ModelFactory (with its sketch store), "random" (random PEFT
/// weights, no sketches), "broken" (a config with a truncated weights file).
/// </summary>
public sealed class AdapterFixture
{
    public string AdaptersDir { get; }
    public string FactsDir => Path.Combine(AdaptersDir, "facts");
    public string RandomDir => Path.Combine(AdaptersDir, "random");

    public AdapterFixture()
    {
        AdaptersDir = TinyServing.TempDir();
        string data = Path.Combine(AdaptersDir, "..", Path.GetFileName(AdaptersDir) + "-facts.jsonl");
        File.WriteAllLines(data, Enumerable.Range(0, 6).Select(i => new JsonObject
        {
            ["id"] = 100 + i, ["instruction"] = $"What is the secret of {(char)('A' + i)}?", ["input"] = "", ["output"] = i % 2 == 0 ? " The secret is red." : " The secret is blue.",
        }.ToJsonString()));
        ModelFactory.FineTune(TinyServing.BaseDir, data, "auto", new LoraConfig { Rank = 4, Alpha = 8, TargetModules = ["q_proj", "v_proj", "down_proj"] },
            new TrainerOptions { MaxSteps = 40, BatchSize = 2, LearningRate = 3e-2f, MaxLength = 40 }, FactsDir, resume: false, sketchK: 64, sketchSeed: 9, progress: null);
        var (model, _) = ModelFactory.Load(TinyServing.BaseDir);
        TinyServing.RandomAdapter(model.Weights, 77).Save(RandomDir);
        string broken = Path.Combine(AdaptersDir, "broken");
        TinyServing.RandomAdapter(model.Weights, 78).Save(broken);
        var bytes = File.ReadAllBytes(Path.Combine(broken, "adapter_model.safetensors"));
        File.WriteAllBytes(Path.Combine(broken, "adapter_model.safetensors"), bytes[..(bytes.Length / 2)]);
    }

    public ServeOptions Options(string? dataDir = null) => new()
    {
        BaseDir = TinyServing.BaseDir, AdaptersDir = AdaptersDir, DataDir = dataDir ?? TinyServing.TempDir(), BaseName = "tiny-base", Port = 0,
        MaxTokens = 24, KvCacheMiB = 2, MaxBatch = 8, MaxQueue = 64, RateLimitPerMinute = 0, MaxBodyBytes = 64 * 1024,
        LocalPricePer1kTokens = 1_000_000_000_000UL,
    };
}

/// <summary>One free server over the adapters, shared by the tests of a class.</summary>
public sealed class ServerFixture : IAsyncLifetime
{
    public AdapterFixture Adapters { get; } = new();
    public ServingHost Host { get; private set; } = null!;
    public HttpClient Http { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Host = await ServingHost.StartAsync(Adapters.Options(), new FreeInferencePayments());
        Http = new HttpClient { BaseAddress = Host.Address, Timeout = TimeSpan.FromMinutes(2) };
    }

    public async Task DisposeAsync()
    {
        Http.Dispose();
        await Host.DisposeAsync();
    }

    public Task<(int Status, JsonObject Body, HttpResponseMessage Response)> Post(string path, object body, string? payer = null) =>
        new Client(Http).Post(path, body, payer);

    /// <summary>POSTs JSON and reads the JSON answer (success or OpenAI error).</summary>
    public sealed record Client(HttpClient Http)
    {
        public async Task<(int Status, JsonObject Body, HttpResponseMessage Response)> Post(string path, object body, string? payer = null)
        {
            var req = new HttpRequestMessage(HttpMethod.Post, path) { Content = JsonContent.Create(body) };
            if (payer != null) req.Headers.Add(PaymentHeaders.Payer, payer);
            var resp = await Http.SendAsync(req);
            var text = await resp.Content.ReadAsStringAsync();
            return ((int)resp.StatusCode, JsonNode.Parse(text)!.AsObject(), resp);
        }
    }
}
