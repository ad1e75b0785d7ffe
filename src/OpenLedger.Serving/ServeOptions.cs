using OpenLedger.Primitives;

namespace OpenLedger.Serving;

/// <summary>`openledger serve`'s settings (each validated by <see cref="Validate"/>).</summary>
public sealed record ServeOptions
{
    /// <summary>The base model directory (Hugging Face layout: config.json, safetensors, tokenizer.json).</summary>
    public required string BaseDir { get; init; }
    /// <summary>Browser origins allowed to call the API (the web app's Playground); empty = none, "*" = any.</summary>
    public IReadOnlyList<string> CorsOrigins { get; init; } = [];
    /// <summary>Where adapters are stored: DIR/&lt;adapter hash or registry id or name&gt;/ in PEFT's layout.</summary>
    public required string AdaptersDir { get; init; }
    /// <summary>Where the inference log goes.</summary>
    public required string DataDir { get; init; }
    /// <summary>The `model` name of the base model (default: the base directory's name).</summary>
    public string? BaseName { get; init; }
    public string? RegistryRpc { get; init; }
    public string? ModelRegistry { get; init; }
    /// <summary>How long a ModelRegistry read (active flag, price, adapter hash) is reused.</summary>
    public TimeSpan RegistryCacheTtl { get; init; } = TimeSpan.FromSeconds(10);
    public string Host { get; init; } = "127.0.0.1";
    /// <summary>0 picks a free port.</summary>
    public int Port { get; init; } = 8000;
    /// <summary>Price of the base model and, without a registry, of local adapters (wei per 1k tokens).</summary>
    public UInt256 LocalPricePer1kTokens { get; init; }
    /// <summary>Largest max_tokens a request may ask for; also the default when it asks for none.</summary>
    public int MaxTokens { get; init; } = 256;
    /// <summary>Context length (prompt + completion); default and upper bound: the model's max_position_embeddings.</summary>
    public int? ContextLength { get; init; }
    public int MaxBatch { get; init; } = 64;
    public int MaxQueue { get; init; } = 256;
    /// <summary>Requests per minute per account; 0 = unlimited.</summary>
    public int RateLimitPerMinute { get; init; } = 600;
    public long MaxBodyBytes { get; init; } = 1 << 20;
    public long AdapterCacheBytes { get; init; } = 1L << 30;
    public int KvBlockSize { get; init; } = 16;
    /// <summary>KV pool size in MiB (keys and values of all layers).</summary>
    public long KvCacheMiB { get; init; } = 512;
    /// <summary>Prompt tokens prefilled per scheduler step (chunked prefill).</summary>
    public int PrefillChunk { get; init; } = 256;
    /// <summary>Where LoRA products run: cpu (managed, default), ilgpu-cpu (ILGPU's CPU accelerator) or ilgpu-cuda.</summary>
    public string LoraKernels { get; init; } = "cpu";
    /// <summary>Sketch scoring top-k for attribution records.</summary>
    public int AttributionTopK { get; init; } = Attribution.InferenceAttributor.DefaultTopK;

    public void Validate()
    {
        if (!Directory.Exists(BaseDir)) throw new ArgumentException($"--model: directory {BaseDir} does not exist");
        if (!Directory.Exists(AdaptersDir)) throw new ArgumentException($"--adapters: directory {AdaptersDir} does not exist");
        if ((RegistryRpc == null) != (ModelRegistry == null)) throw new ArgumentException("--registry-rpc and --model-registry go together");
        if (Port is < 0 or > 65535) throw new ArgumentException($"--port {Port} is not a TCP port");
        if (MaxTokens < 1) throw new ArgumentException($"--max-tokens must be ≥ 1, is {MaxTokens}");
        if (ContextLength is < 2) throw new ArgumentException($"--context-length must be ≥ 2, is {ContextLength}");
        if (MaxBatch < 1) throw new ArgumentException($"--max-batch must be ≥ 1, is {MaxBatch}");
        if (MaxQueue < 0) throw new ArgumentException($"--max-queue must be ≥ 0, is {MaxQueue}");
        if (RateLimitPerMinute < 0) throw new ArgumentException($"--rate-limit must be ≥ 0, is {RateLimitPerMinute}");
        if (MaxBodyBytes < 1024) throw new ArgumentException($"--max-body-bytes must be ≥ 1024, is {MaxBodyBytes}");
        if (AdapterCacheBytes < 1) throw new ArgumentException($"--adapter-cache-mb must be positive");
        if (KvBlockSize < 1) throw new ArgumentException($"--kv-block-size must be ≥ 1, is {KvBlockSize}");
        if (KvCacheMiB < 1) throw new ArgumentException($"--kv-cache-mb must be ≥ 1, is {KvCacheMiB}");
        if (PrefillChunk < Engine.EngineOptions.MinPrefillChunk) throw new ArgumentException($"--prefill-chunk must be ≥ {Engine.EngineOptions.MinPrefillChunk}, is {PrefillChunk}");
        if (LoraKernels is not ("cpu" or "ilgpu-cpu" or "ilgpu-cuda")) throw new ArgumentException($"--lora-kernels must be cpu, ilgpu-cpu or ilgpu-cuda, is '{LoraKernels}'");
        if (AttributionTopK < 1) throw new ArgumentException($"--attribution-top-k must be ≥ 1, is {AttributionTopK}");
        foreach (var o in CorsOrigins)
            if (o != "*" && (!Uri.TryCreate(o, UriKind.Absolute, out var u) || (u.Scheme != "http" && u.Scheme != "https") || u.PathAndQuery != "/"))
                throw new ArgumentException($"--cors-origin '{o}' is not an origin (scheme://host[:port]) or *");
    }
}
