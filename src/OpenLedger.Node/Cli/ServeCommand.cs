using System.CommandLine;
using Microsoft.Extensions.Logging;
using OpenLedger.Node.Hosting;
using OpenLedger.Primitives;
using OpenLedger.Serving;
using OpenLedger.Serving.Payments;

namespace OpenLedger.Node.Cli;

/// <summary>`openledger serve`: OpenLoRA, the OpenAI-compatible inference server (src/OpenLedger.Serving, docs/serving.md).</summary>
public static class ServeCommand
{
    public static Command Create()
    {
        var model = new Option<string?>("--model") { Description = "Base model directory (config.json, safetensors, tokenizer.json)." };
        var adapters = new Option<string?>("--adapters") { Description = "Adapter storage: DIR/<adapter hash or registry id or name>/ in PEFT's layout." };
        var rpc = new Option<string?>("--registry-rpc") { Description = "L2 JSON-RPC URL to read ModelRegistry from (with --model-registry)." };
        var registry = new Option<string?>("--model-registry") { Description = "ModelRegistry address; requests then name adapters by registry id (\"7\" or \"model-7\")." };
        var host = new Option<string>("--host") { Description = "Listen address.", DefaultValueFactory = _ => "127.0.0.1" };
        var port = new Option<int>("--port") { Description = "Listen port (0 = any free port).", DefaultValueFactory = _ => 8000 };
        var dataDir = new Option<string>("--data-dir") { Description = "Where the inference log (inference-log.jsonl) is written.", DefaultValueFactory = _ => "serve-data" };
        var name = new Option<string?>("--name") { Description = "The base model's `model` name (default: the directory's name)." };
        var free = new Option<bool>("--free") { Description = "Serve without payments (local use): requests are not charged." };
        var price = new Option<string>("--price") { Description = "Wei of OPEN per 1k tokens for the base model and, without a registry, local adapters.", DefaultValueFactory = _ => "0" };
        var maxTokens = new Option<int>("--max-tokens") { Description = "Most completion tokens per request (and the default).", DefaultValueFactory = _ => 256 };
        var context = new Option<int?>("--context-length") { Description = "Prompt + completion limit (default: the model's max_position_embeddings)." };
        var maxBatch = new Option<int>("--max-batch") { Description = "Most sequences per decode step.", DefaultValueFactory = _ => 64 };
        var maxQueue = new Option<int>("--max-queue") { Description = "Most requests waiting for admission; more get HTTP 429.", DefaultValueFactory = _ => 256 };
        var rate = new Option<int>("--rate-limit") { Description = "Requests per minute per account (payer header, else client IP); 0 = unlimited.", DefaultValueFactory = _ => 600 };
        var body = new Option<long>("--max-body-bytes") { Description = "Largest request body.", DefaultValueFactory = _ => 1L << 20 };
        var cacheMb = new Option<long>("--adapter-cache-mb") { Description = "Adapter cache size (LRU, float32 weights).", DefaultValueFactory = _ => 1024L };
        var kvMb = new Option<long>("--kv-cache-mb") { Description = "Paged KV cache size.", DefaultValueFactory = _ => 512L };
        var kvBlock = new Option<int>("--kv-block-size") { Description = "Positions per KV block.", DefaultValueFactory = _ => 16 };
        var topK = new Option<int>("--attribution-top-k") { Description = "Contributions scored into each attribution record.", DefaultValueFactory = _ => 16 };
        var prefillChunk = new Option<int>("--prefill-chunk") { Description = "Prompt tokens prefilled per scheduler step (longer prompts are prefilled in chunks between decode steps; ≥ 16).", DefaultValueFactory = _ => 256 };
        var loraKernels = new Option<string>("--lora-kernels") { Description = "Where LoRA products run: cpu (managed), ilgpu-cpu (ILGPU's CPU accelerator) or ilgpu-cuda.", DefaultValueFactory = _ => "cpu" };
        var paid = ServePaymentOptions.Create();
        var cors = new Option<string[]>("--cors-origin") { Description = "A browser origin allowed to call the API (the web app's Playground, e.g. http://127.0.0.1:9545; * = any). Repeatable." };
        var cmd = new Command("serve", "OpenLoRA: serve a base model and many LoRA adapters over an OpenAI-compatible API (continuous batching, paid inference, attribution records).")
        {
            model, adapters, rpc, registry, host, port, dataDir, name, free, price, maxTokens, context, maxBatch, maxQueue, rate, body, cacheMb, kvMb, kvBlock, topK, prefillChunk, loraKernels,
        };
        paid.AddTo(cmd);
        cmd.Options.Add(cors);
        cmd.SetAction(async (p, ct) =>
        {
            if (!UInt256.TryParse(p.GetValue(price), out var priceWei)) throw new CliException($"--price must be a decimal number of wei, got {p.GetValue(price)}", CliApp.UsageError);
            if (p.GetValue(cacheMb) is < 1 or > 1L << 30) throw new CliException("--adapter-cache-mb must be positive", CliApp.UsageError);
            var options = new ServeOptions
            {
                BaseDir = AttributionCommand.Require(p.GetValue(model), "--model"),
                AdaptersDir = AttributionCommand.Require(p.GetValue(adapters), "--adapters"),
                DataDir = p.GetValue(dataDir)!, BaseName = p.GetValue(name), RegistryRpc = p.GetValue(rpc), ModelRegistry = p.GetValue(registry),
                Host = p.GetValue(host)!, Port = p.GetValue(port), LocalPricePer1kTokens = priceWei, MaxTokens = p.GetValue(maxTokens), ContextLength = p.GetValue(context),
                MaxBatch = p.GetValue(maxBatch), MaxQueue = p.GetValue(maxQueue), RateLimitPerMinute = p.GetValue(rate), MaxBodyBytes = p.GetValue(body),
                AdapterCacheBytes = p.GetValue(cacheMb) << 20, KvCacheMiB = p.GetValue(kvMb), KvBlockSize = p.GetValue(kvBlock), AttributionTopK = p.GetValue(topK),
                CorsOrigins = p.GetValue(cors) ?? [],
                PrefillChunk = p.GetValue(prefillChunk), LoraKernels = p.GetValue(loraKernels)!,
            };
            foreach (var origin in options.CorsOrigins)
                if (origin != "*" && (!Uri.TryCreate(origin, UriKind.Absolute, out var u) || u.Scheme is not ("http" or "https") || u.AbsolutePath != "/"))
                    throw new CliException($"--cors-origin must be * or an origin like http://127.0.0.1:9545, got {origin}", CliApp.UsageError);
            if (!System.Net.IPAddress.TryParse(options.Host, out _)) throw new CliException($"--host must be an IP address, got {options.Host}", CliApp.UsageError);
            try { options.Validate(); }
            catch (ArgumentException e) { throw new CliException(e.Message, CliApp.UsageError); }
            using var loggers = Logging.Create();
            await using var paidServing = await paid.StartAsync(p, p.GetValue(free), options.RegistryRpc, options.DataDir, loggers);
            var payments = paidServing?.Payments ?? CreatePayments(p.GetValue(free), loggers);
            ServingHost server;
            try { server = await ServingHost.StartAsync(options, payments, loggers, ct); }
            catch (Exception e) when (e is ArgumentException or InvalidDataException or FileNotFoundException or DirectoryNotFoundException or NotSupportedException)
            { throw new CliException(e.Message.ReplaceLineEndings(" ")); }
            Console.WriteLine($"openai-compatible API at {server.Address}v1 (model \"{server.BaseName}\")");
            try { await Task.Delay(Timeout.Infinite, ct); }
            catch (OperationCanceledException) { }
            await server.DisposeAsync();
            return CliApp.Ok;
        });
        return cmd;
    }

    /// <summary>`--free` (the on-chain payments are made by <see cref="ServePaymentOptions"/> when --payments is given).</summary>
    private static IInferencePayments CreatePayments(bool free, ILoggerFactory loggers)
    {
        if (free) return new FreeInferencePayments(loggers.CreateLogger("serve.payments"));
        throw new CliException("give --payments ADDR --settler-key KEY (paid, settled on L2) or --free (local use, nothing charged)", CliApp.UsageError);
    }
}
