using OpenLedger.AI.Factory;
using OpenLedger.AI.Generation;
using OpenLedger.AI.Lora;
using OpenLedger.Serving.Engine;
using OpenLedger.Serving.Gpu;
using OpenLedger.Serving.Payments;

namespace OpenLedger.Serving.Tests;

/// <summary>The engine with its LoRA products on ILGPU (the CPU accelerator here; CUDA is selected the same way).</summary>
public class IlgpuEngineTests
{
    [Fact]
    public void Decode_and_prefill_logits_on_ilgpu_match_the_managed_path()
    {
        var (model, tok) = ModelFactory.Load(TinyServing.BaseDir);
        var adapters = new LoraAdapter?[] { TinyServing.RandomAdapter(model.Weights, 41), null, TinyServing.RandomAdapter(model.Weights, 42, rank: 2, targets: ["k_proj", "up_proj"]) };
        using var ilgpu = new IlgpuLora(cuda: false);
        var managed = new BatchDecoder(model.Weights, new KvBlockPool(model.Config, 4, 64));
        var device = new BatchDecoder(model.Weights, new KvBlockPool(model.Config, 4, 64), ilgpu);
        Assert.Equal("ilgpu-cpu", device.LoraKernels);
        var prompts = new[] { "Hello there", "One two three four five six seven eight nine ten", "x" };
        var kvM = new PagedKv[3]; var kvD = new PagedKv[3];
        for (int i = 0; i < 3; i++)
        {
            kvM[i] = new PagedKv(managed.Pool); kvD[i] = new PagedKv(device.Pool);
            var p = tok.Encode(prompts[i]);
            Assert.True(kvM[i].TryGrow(p.Length + 4) && kvD[i].TryGrow(p.Length + 4));
            Close(managed.Prefill(p, kvM[i], adapters[i])!, device.Prefill(p, kvD[i], adapters[i])!);
        }
        var segments = LoraSegments.Build(adapters);
        for (int step = 0; step < 3; step++)
        {
            int[] tokens = [10 + step, 200 + step, 3000 + step];
            Close(managed.Decode(tokens, kvM, segments), device.Decode(tokens, kvD, segments));
        }
    }

    private static void Close(float[] want, float[] got)
    {
        Assert.Equal(want.Length, got.Length);
        for (int i = 0; i < want.Length; i++)
            Assert.True(Math.Abs(want[i] - got[i]) <= 1e-3f * (1 + Math.Abs(want[i])), $"logit {i}: managed {want[i]}, ilgpu {got[i]}");
        Assert.NotEqual(0f, want.Max());
    }

    [Fact]
    public async Task Serve_with_ilgpu_lora_kernels_answers_like_the_generator()
    {
        var (model, tok) = ModelFactory.Load(TinyServing.BaseDir);
        string adapters = TinyServing.TempDir();
        var adapter = TinyServing.RandomAdapter(model.Weights, 43);
        adapter.Save(Path.Combine(adapters, "a"));
        var options = new ServeOptions
        {
            BaseDir = TinyServing.BaseDir, AdaptersDir = adapters, DataDir = TinyServing.TempDir(), BaseName = "tiny-base", Port = 0,
            MaxTokens = 12, KvCacheMiB = 2, RateLimitPerMinute = 0, LoraKernels = "ilgpu-cpu",
        };
        await using var host = await ServingHost.StartAsync(options, new FreeInferencePayments());
        using var http = new HttpClient { BaseAddress = host.Address };
        var (status, body, _) = await new ServerFixture.Client(http).Post("/v1/completions", new { model = "a", prompt = "The capital of France is", max_tokens = 12, temperature = 0 });
        Assert.Equal(200, status);
        model.Adapter = adapter;
        var want = new Generator(model, tok).Generate(tok.Encode("The capital of France is"), new SamplingOptions { MaxNewTokens = 12 });
        Assert.Equal(tok.Decode(want.Tokens), (string?)body["choices"]![0]!["text"]);
        var health = await http.GetStringAsync("/health");
        Assert.Contains("\"lora_kernels\":\"ilgpu-cpu\"", health);
        Assert.Throws<ArgumentException>(() => (options with { LoraKernels = "tpu" }).Validate());
    }
}
