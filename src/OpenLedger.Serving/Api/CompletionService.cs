using System.Globalization;
using System.Security.Cryptography;
using Microsoft.Extensions.Logging;
using OpenLedger.AI.Generation;
using OpenLedger.AI.Tokenization;
using OpenLedger.Attribution.Records;
using OpenLedger.Primitives;
using OpenLedger.Serving.Adapters;
using OpenLedger.Serving.Attribution;
using OpenLedger.Serving.Engine;
using OpenLedger.Serving.Payments;

namespace OpenLedger.Serving.Api;

/// <summary>Who is asking: the account limits and payments count against, and the request's headers.</summary>
public sealed record RequestContext(string Account, IReadOnlyDictionary<string, string> Headers);

/// <summary>A finished request: the answer, its usage and fee, and the attribution record charged with it.</summary>
public sealed record CompletionResult(
    string RequestId, long Created, string Model, string Text, string FinishReason, InferenceUsage Usage, Hash256 InferenceId,
    AdapterEntry? Adapter, UInt256 PricePer1kTokens, AttributionRecord? Record, ChargeReceipt Receipt);

/// <summary>
/// One request from validated fields to the charged answer, in the order that keeps refusals cheap: rate limit, model
/// resolution (registry), tokenization and context checks, payment authorization — all before any compute — then the
/// adapter load (just in time), the engine, stop sequences, the fee, the attribution record, the charge and the
/// inference log. Any failure after authorization releases the hold.
/// </summary>
public sealed class CompletionService(
    ServeOptions options, string baseName, HfTokenizer tokenizer, InferenceEngine engine, IAdapterCatalog catalog, AdapterCache cache,
    IInferencePayments payments, InferenceAttributor attributor, InferenceLog log, AccountRateLimiter limiter, int contextLength, ILogger? logger)
{
    public string BaseName => baseName;
    public int ContextLength => contextLength;

    /// <param name="onStart">called once the request is admitted (streaming writes its headers then)</param>
    /// <param name="onDelta">called with each new piece of text, when streaming</param>
    public async Task<CompletionResult> RunAsync(CompletionRequest req, RequestContext ctx, Func<string, string, Task>? onStart, Func<string, Task>? onDelta, CancellationToken ct)
    {
        if (!limiter.TryAcquire(ctx.Account, out var retry))
            throw new ServingException(429, "requests", $"Rate limit reached for {ctx.Account} on requests per minute: limit {limiter.PerMinute}. Please try again in {Math.Ceiling(retry.TotalSeconds).ToString(CultureInfo.InvariantCulture)}s.", "rate_limit_exceeded");

        AdapterEntry? entry = req.Model == baseName ? null : await catalog.ResolveAsync(req.Model, ct);
        UInt256 price = entry?.PricePer1kTokens ?? options.LocalPricePer1kTokens;

        int[] prompt = req.PromptTokens ?? tokenizer.Encode(req.Prompt!);
        if (prompt.Length == 0) throw ServingException.Invalid("The prompt is empty: it must hold at least one token.", req.Chat ? "messages" : "prompt");
        if (req.PromptTokens != null)
            for (int i = 0; i < prompt.Length; i++)
                if (prompt[i] >= _vocab) throw ServingException.Invalid($"prompt[{i}] = {prompt[i]} is not a token id of this model (vocabulary of {_vocab})", "prompt");
        int maxTokens = MaxTokens(req, prompt.Length);

        var quote = new InferenceQuote(req.Model, entry?.RegistryId, entry?.AdapterHash, price, prompt.Length, maxTokens, ctx.Account, ctx.Headers);
        IPaymentHold hold;
        try { hold = await payments.AuthorizeAsync(quote, ct); }
        catch (PaymentRefusedException e) { throw Refused(e); }

        var tokens = new List<int>();
        SequenceHandle? handle = null;
        try
        {
            LoadedAdapter? adapter = entry == null ? null : await cache.GetAsync(entry);
            var sampling = new SamplingOptions { Temperature = req.Temperature, TopP = req.TopP, Seed = req.Seed ?? RandomSeed(), MaxNewTokens = maxTokens };
            try { handle = engine.Submit(new SequenceRequest(prompt, sampling, adapter?.Lora, adapter?.Order ?? 0)); }
            catch (EngineRefusedException e) when (e.QueueFull) { throw new ServingException(429, "server_busy", e.Message, "queue_full"); }
            catch (EngineRefusedException e) { throw ServingException.Invalid(e.Message, "max_tokens", "context_length_exceeded"); }

            string requestId = (req.Chat ? "chatcmpl-" : "cmpl-") + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(12));
            long created = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
            if (onStart != null) await onStart(requestId, created.ToString(CultureInfo.InvariantCulture));

            int maxStop = req.Stop.Length == 0 ? 0 : req.Stop.Max(s => s.Length);
            int sent = 0;
            string text = "";
            string? stoppedAt = null;
            using (ct.Register(() => handle.Cancel()))
            {
                await foreach (var t in handle.Tokens.ReadAllAsync(ct))
                {
                    tokens.Add(t);
                    text = tokenizer.Decode(tokens);
                    if (req.Stop.Length > 0 && FirstStop(text, req.Stop) is int at) { text = text[..at]; stoppedAt = "stop"; handle.Cancel(); break; }
                    if (onDelta != null)
                    {
                        int safe = text.Length - (maxStop > 0 ? maxStop - 1 : 0);
                        if (safe > 0 && safe <= text.Length && char.IsHighSurrogate(text[safe - 1])) safe--;
                        while (safe > sent && text[safe - 1] == '\uFFFD') safe--; // an incomplete UTF-8 sequence: wait for its next bytes
                        if (safe > sent) { await onDelta(text[sent..safe]); sent = safe; }
                    }
                }
            }
            string engineFinish = await handle.Finished;
            ct.ThrowIfCancellationRequested();
            string finish = stoppedAt ?? (engineFinish == "cancelled" ? "stop" : engineFinish);
            bool endedWithEos = stoppedAt == null && engineFinish == "stop";
            if (onDelta != null && text.Length > sent) await onDelta(text[sent..]);

            var usage = new InferenceUsage(prompt.Length, tokens.Count, Pricing.Fee(price, prompt.Length + tokens.Count));
            var inferenceId = Keccak256.Compute(System.Text.Encoding.UTF8.GetBytes(requestId));
            int[] answer = endedWithEos && handle.EndToken is int eos ? [.. tokens, eos] : tokens.ToArray();
            AttributionRecord? record = null;
            if (adapter != null)
            {
                try { record = await Task.Run(() => attributor.Build(adapter, inferenceId, prompt, answer, usage.Fee), CancellationToken.None); }
                catch (Exception e)
                {
                    logger?.LogError(e, "attribution of {RequestId} on {Model} failed", requestId, req.Model);
                    throw new ServingException(500, "server_error", $"The attribution record of this answer could not be built ({e.Message}); it was not charged.", "attribution_failed");
                }
            }
            ChargeReceipt receipt;
            try { receipt = await hold.ChargeAsync(usage, record, CancellationToken.None); }
            catch (PaymentRefusedException e) { throw Refused(e); }
            hold = null!;
            log.Append(new InferenceLogEntry(requestId, inferenceId, DateTimeOffset.UtcNow, req.Model, entry?.RegistryId, entry?.AdapterHash, prompt, tokens.ToArray(),
                endedWithEos ? handle.EndToken : null, finish, price, usage.Fee, ctx.Account, record, record?.Method == AttributionMethod.GradientSketch ? attributor.TopK : null, receipt.Reference));
            return new CompletionResult(requestId, created, req.Model, text, finish, usage, inferenceId, entry, price, record, receipt);
        }
        catch
        {
            handle?.Cancel();
            if (hold != null)
            {
                try { await hold.ReleaseAsync(CancellationToken.None); }
                catch (Exception e) { logger?.LogError(e, "releasing a payment hold failed"); }
            }
            throw;
        }
    }

    private int _vocab => engine.VocabSize;

    private int MaxTokens(CompletionRequest req, int promptTokens)
    {
        if (promptTokens >= contextLength)
            throw ServingException.Invalid($"This model's maximum context length is {contextLength} tokens. However, your {(req.Chat ? "messages" : "prompt")} resulted in {promptTokens} tokens. Please reduce the length of the {(req.Chat ? "messages" : "prompt")}.",
                req.Chat ? "messages" : "prompt", "context_length_exceeded");
        if (req.MaxTokens is not { } max) return Math.Min(options.MaxTokens, contextLength - promptTokens);
        string param = req.Chat ? "max_completion_tokens" : "max_tokens";
        if (max > options.MaxTokens)
            throw ServingException.Invalid($"max_tokens is too large: {max}. This server supports at most {options.MaxTokens} completion tokens.", param);
        if (promptTokens + max > contextLength)
            throw ServingException.Invalid($"This model's maximum context length is {contextLength} tokens. However, you requested {promptTokens + max} tokens ({promptTokens} in the {(req.Chat ? "messages" : "prompt")}, {max} in the completion). Please reduce the length of the {(req.Chat ? "messages" : "prompt")} or completion.",
                param, "context_length_exceeded");
        return max;
    }

    private static int? FirstStop(string text, string[] stops)
    {
        int best = -1;
        foreach (var s in stops)
        {
            int i = text.IndexOf(s, StringComparison.Ordinal);
            if (i >= 0 && (best < 0 || i < best)) best = i;
        }
        return best < 0 ? null : best;
    }

    private static ulong RandomSeed() => BitConverter.ToUInt64(RandomNumberGenerator.GetBytes(8));

    private static ServingException Refused(PaymentRefusedException e) => e.Refusal switch
    {
        PaymentRefusal.Unauthorized => new ServingException(401, "authentication_error", e.Message, e.Code ?? "invalid_payment_authorization"),
        PaymentRefusal.PaymentRequired => new ServingException(402, "insufficient_quota", e.Message, e.Code ?? "insufficient_deposit"),
        PaymentRefusal.RateLimited => new ServingException(429, "requests", e.Message, e.Code ?? "rate_limit_exceeded"),
        _ => new ServingException(503, "server_error", e.Message, e.Code ?? "payments_unavailable"),
    };
}
