using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OpenLedger.AI.Factory;
using OpenLedger.Attribution.Scoring;
using OpenLedger.Serving.Adapters;
using OpenLedger.Serving.Api;
using OpenLedger.Serving.Attribution;
using OpenLedger.Serving.Engine;
using OpenLedger.Serving.Payments;

namespace OpenLedger.Serving;

/// <summary>
/// `openledger serve`: loads the base model, sizes the KV pool and adapter cache, starts the scheduler and Kestrel
/// with the OpenAI-compatible endpoints. Payments are injected (the free implementation for `--free`).
/// </summary>
public sealed class ServingHost : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly InferenceEngine _engine;
    private readonly InferenceLog _log;
    private readonly IAttributionScorer _scorer;
    private IDisposable? _lora;
    public Uri Address { get; }
    public string BaseName { get; }
    public AdapterCache Adapters { get; }
    public InferenceEngine Engine => _engine;
    public string InferenceLogPath => _log.Path;

    private ServingHost(WebApplication app, InferenceEngine engine, InferenceLog log, IAttributionScorer scorer, Uri address, string baseName, AdapterCache adapters)
    {
        _app = app; _engine = engine; _log = log; _scorer = scorer; Address = address; BaseName = baseName; Adapters = adapters;
    }

    public static async Task<ServingHost> StartAsync(ServeOptions options, IInferencePayments payments, ILoggerFactory? loggerFactory = null, CancellationToken ct = default)
    {
        options.Validate();
        loggerFactory ??= Microsoft.Extensions.Logging.Abstractions.NullLoggerFactory.Instance;
        var log = loggerFactory.CreateLogger("serve");
        var (model, tokenizer) = ModelFactory.Load(options.BaseDir);
        var cfg = model.Config;
        int context = options.ContextLength ?? cfg.MaxPositions;
        if (context > cfg.MaxPositions) throw new ArgumentException($"--context-length {context} exceeds the model's max_position_embeddings {cfg.MaxPositions}");
        long bytesPerBlock = (long)options.KvBlockSize * cfg.NumLayers * 2 * cfg.KvDim * sizeof(float);
        int blocks = (int)Math.Min(int.MaxValue, options.KvCacheMiB * 1024 * 1024 / bytesPerBlock);
        int perSequence = (context + options.KvBlockSize - 1) / options.KvBlockSize;
        if (blocks < perSequence)
            throw new ArgumentException($"--kv-cache-mb {options.KvCacheMiB} holds {blocks} blocks of {options.KvBlockSize} positions; one full-context sequence needs {perSequence}");
        var pool = new KvBlockPool(cfg, options.KvBlockSize, blocks);
        ILoraKernels lora = options.LoraKernels switch
        {
            "ilgpu-cpu" => new Gpu.IlgpuLora(cuda: false),
            "ilgpu-cuda" => new Gpu.IlgpuLora(cuda: true),
            _ => CpuLoraKernels.Instance,
        };
        var engine = new InferenceEngine(new BatchDecoder(model.Weights, pool, lora),
            new EngineOptions(options.MaxBatch, options.MaxQueue, options.KvBlockSize, blocks, options.PrefillChunk), loggerFactory.CreateLogger("serve.engine"));
        string baseName = options.BaseName ?? Path.GetFileName(Path.TrimEndingDirectorySeparator(Path.GetFullPath(options.BaseDir)));
        IAdapterCatalog catalog = options.RegistryRpc != null
            ? new RegistryAdapterCatalog(options.RegistryRpc, options.ModelRegistry!, options.AdaptersDir) { Ttl = options.RegistryCacheTtl }
            : new LocalAdapterCatalog(options.AdaptersDir, options.LocalPricePer1kTokens);
        var cache = new AdapterCache(model.Weights, options.AdapterCacheBytes, loggerFactory.CreateLogger("serve.adapters"));
        var scorer = ScorerFactory.CreateBest();
        var attributor = new InferenceAttributor(model.Weights, scorer, options.AttributionTopK, tokenizer);
        var inferenceLog = new InferenceLog(options.DataDir);
        var service = new CompletionService(options, baseName, tokenizer, engine, catalog, cache, payments, attributor, inferenceLog,
            new AccountRateLimiter(options.RateLimitPerMinute), context, log);

        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton(loggerFactory);
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.Limits.MaxRequestBodySize = options.MaxBodyBytes;
            k.Listen(System.Net.IPAddress.Parse(options.Host), options.Port);
        });
        builder.Services.AddCors(o => o.AddDefaultPolicy(p =>
        {
            if (options.CorsOrigins.Count == 0) return;
            if (options.CorsOrigins.Contains("*")) p.AllowAnyOrigin(); else p.WithOrigins([.. options.CorsOrigins]);
            // The payment headers go in; the fee and record headers come back.
            p.AllowAnyHeader().WithMethods("GET", "POST").WithExposedHeaders("X-OpenLedger-Inference-Id", "X-OpenLedger-Fee", "X-OpenLedger-Record-Hash", "Retry-After");
        }));
        var app = builder.Build();
        if (options.CorsOrigins.Count > 0) app.UseCors();
        OpenAiEndpoints.Map(app, service, catalog, () => new JsonObject
        {
            ["status"] = "ok", ["model"] = baseName, ["payments"] = payments.Name, ["running"] = engine.Running, ["waiting"] = engine.Waiting,
            ["kv_blocks_free"] = pool.FreeBlocks, ["kv_blocks"] = pool.BlockCount, ["adapters_cached"] = cache.Count, ["adapter_cache_bytes"] = cache.Bytes,
            ["decode_steps"] = engine.Steps, ["tokens_generated"] = engine.TokensGenerated, ["prefill_chunks"] = engine.PrefillChunksRun,
            ["preemptions"] = engine.Preemptions, ["lora_kernels"] = lora.Name,
        }, log);
        await app.StartAsync(ct);
        var addr = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        log.LogInformation("serving {Model} ({Layers} layers, {Hidden} wide, context {Context}) on {Address}: KV pool {Blocks} blocks × {BlockSize} positions ({Mib} MiB), prefill chunk {Chunk}, LoRA kernels {Lora}, adapter cache {CacheMib} MiB, adapters from {Catalog}, payments: {Payments}, inference log {Log}",
            baseName, cfg.NumLayers, cfg.HiddenSize, context, addr, blocks, options.KvBlockSize, pool.Bytes >> 20, options.PrefillChunk, lora.Name, options.AdapterCacheBytes >> 20,
            options.RegistryRpc != null ? $"ModelRegistry {options.ModelRegistry} at {options.RegistryRpc} + {options.AdaptersDir}" : options.AdaptersDir, payments.Name, inferenceLog.Path);
        return new ServingHost(app, engine, inferenceLog, scorer, new Uri(addr.Replace("0.0.0.0", "127.0.0.1")), baseName, cache) { _lora = lora as IDisposable };
    }

    public Task WaitForShutdownAsync(CancellationToken ct) => Microsoft.Extensions.Hosting.HostingAbstractionsHostExtensions.WaitForShutdownAsync(_app, ct);

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        _engine.Dispose();
        _lora?.Dispose();
        _log.Dispose();
        _scorer.Dispose();
    }
}
