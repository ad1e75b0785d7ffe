using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using OpenLedger.Serving.Adapters;
using OpenLedger.Serving.Payments;

namespace OpenLedger.Serving.Api;

/// <summary>
/// /v1/completions, /v1/chat/completions (JSON or SSE), /v1/models and /health. Every failure becomes OpenAI's error
/// object with its status; an error after a stream started is sent as a last `data: {"error": ...}` event.
/// </summary>
public static class OpenAiEndpoints
{
    public const string RecordHashHeader = "X-OpenLedger-Record-Hash";
    public const string InferenceIdHeader = "X-OpenLedger-Inference-Id";
    public const string FeeHeader = "X-OpenLedger-Fee";

    public static void Map(WebApplication app, CompletionService service, IAdapterCatalog catalog, Func<JsonObject> health, ILogger log)
    {
        app.MapPost("/v1/completions", (HttpContext http) => Complete(http, service, chat: false, log));
        app.MapPost("/v1/chat/completions", (HttpContext http) => Complete(http, service, chat: true, log));
        app.MapGet("/v1/models", async (HttpContext http) =>
        {
            try
            {
                var data = new JsonArray(Model(service.BaseName, null, service.BaseName));
                foreach (var a in await catalog.ListAsync(1000, http.RequestAborted)) data.Add(Model(a.Name, a, service.BaseName));
                await WriteJson(http, 200, new JsonObject { ["object"] = "list", ["data"] = data });
            }
            catch (ServingException e) { await WriteJson(http, e.Status, OpenAiJson.Error(e)); }
        });
        app.MapGet("/health", (HttpContext http) => WriteJson(http, 200, health()));
        app.MapFallback((HttpContext http) => WriteJson(http, 404, OpenAiJson.Error(new ServingException(404, "invalid_request_error",
            $"Invalid URL ({http.Request.Method} {http.Request.Path})", "unknown_url"))));
    }

    private static JsonObject Model(string id, AdapterEntry? a, string baseName)
    {
        var o = new JsonObject { ["id"] = id, ["object"] = "model", ["created"] = 0, ["owned_by"] = a == null ? "openledger" : "modelregistry" };
        if (a != null)
        {
            o["parent"] = baseName;
            o["openledger"] = new JsonObject
            {
                ["registry_id"] = a.RegistryId, ["adapter_hash"] = a.AdapterHash == default ? null : a.AdapterHash.ToString(), ["price_per_1k_tokens"] = a.PricePer1kTokens.ToString(),
            };
        }
        return o;
    }

    private static async Task Complete(HttpContext http, CompletionService service, bool chat, ILogger log)
    {
        bool streaming = false;
        try
        {
            CompletionRequest req;
            try
            {
                using var doc = await JsonDocument.ParseAsync(http.Request.Body, new JsonDocumentOptions { MaxDepth = 32 }, http.RequestAborted);
                req = CompletionRequestParser.Parse(doc.RootElement, chat);
            }
            catch (JsonException)
            {
                throw ServingException.Invalid("We could not parse the JSON body of your request. (HINT: This likely means you aren't using your HTTP library correctly. The OpenAI API expects a JSON payload, but what was sent was not valid JSON.)");
            }
            catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
            {
                throw new ServingException(413, "invalid_request_error", $"The request body is larger than this server accepts ({e.Message}).", "request_too_large");
            }
            var ctx = Context(http);
            if (!req.Stream)
            {
                var r = await service.RunAsync(req, ctx, null, null, http.RequestAborted);
                http.Response.Headers[InferenceIdHeader] = r.InferenceId.ToString();
                http.Response.Headers[FeeHeader] = r.Usage.Fee.ToString();
                if (r.Record != null) http.Response.Headers[RecordHashHeader] = r.Record.Hash().ToString();
                await WriteJson(http, 200, chat ? OpenAiJson.ChatCompletion(r) : OpenAiJson.Completion(r));
                return;
            }
            string id = "", model = req.Model; long created = 0; bool first = true;
            var result = await service.RunAsync(req, ctx,
                async (rid, c) =>
                {
                    id = rid; created = long.Parse(c, CultureInfo.InvariantCulture);
                    http.Response.StatusCode = 200;
                    http.Response.ContentType = "text/event-stream";
                    http.Response.Headers.CacheControl = "no-cache";
                    streaming = true;
                    if (chat) { await Event(http, OpenAiJson.Chunk(true, id, created, model, "", true, null)); first = false; }
                    else await http.Response.Body.FlushAsync(http.RequestAborted);
                },
                text =>
                {
                    var chunk = OpenAiJson.Chunk(chat, id, created, model, text, first, null);
                    first = false;
                    return Event(http, chunk);
                },
                http.RequestAborted);
            var last = OpenAiJson.Chunk(chat, id, created, model, chat ? null : "", first, result.FinishReason);
            last["openledger"] = OpenAiJson.Extension(result);
            await Event(http, last);
            if (req.IncludeUsage)
                await Event(http, new JsonObject
                {
                    ["id"] = id, ["object"] = chat ? "chat.completion.chunk" : "text_completion", ["created"] = created, ["model"] = model,
                    ["choices"] = new JsonArray(), ["usage"] = OpenAiJson.Usage(result.Usage),
                });
            await http.Response.Body.WriteAsync("data: [DONE]\n\n"u8.ToArray(), http.RequestAborted);
            await http.Response.Body.FlushAsync(http.RequestAborted);
        }
        catch (OperationCanceledException) when (http.RequestAborted.IsCancellationRequested) { /* client went away; the hold was released */ }
        catch (ServingException e)
        {
            if (e.Status >= 500) log.LogWarning("{Path}: {Status} {Message}", http.Request.Path, e.Status, e.Message);
            await Fail(http, streaming, e);
        }
        catch (Exception e)
        {
            log.LogError(e, "{Path} failed", http.Request.Path);
            await Fail(http, streaming, new ServingException(500, "server_error", $"The server had an error while processing your request: {e.Message}"));
        }
    }

    private static async Task Fail(HttpContext http, bool streaming, ServingException e)
    {
        if (http.RequestAborted.IsCancellationRequested) return;
        if (streaming) { await Event(http, OpenAiJson.Error(e)); await http.Response.Body.WriteAsync("data: [DONE]\n\n"u8.ToArray()); return; }
        if (http.Response.HasStarted) return;
        if (e.Status == 429) http.Response.Headers.RetryAfter = "1";
        await WriteJson(http, e.Status, OpenAiJson.Error(e));
    }

    private static RequestContext Context(HttpContext http)
    {
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var h in http.Request.Headers) headers[h.Key.ToLowerInvariant()] = h.Value.ToString();
        string? payer = http.Request.Headers[PaymentHeaders.Payer].FirstOrDefault();
        if (payer != null && !OpenLedger.Primitives.Address.TryParse(payer.Trim(), out _))
            throw ServingException.Invalid($"The {PaymentHeaders.Payer} header must be a 0x-prefixed 20-byte address.", PaymentHeaders.Payer);
        string account = !string.IsNullOrWhiteSpace(payer) ? payer.Trim().ToLowerInvariant() : http.Connection.RemoteIpAddress?.ToString() ?? "unknown";
        return new RequestContext(account, headers);
    }

    private static async Task Event(HttpContext http, JsonObject o)
    {
        await http.Response.Body.WriteAsync(Encoding.UTF8.GetBytes("data: " + o.ToJsonString() + "\n\n"), http.RequestAborted);
        await http.Response.Body.FlushAsync(http.RequestAborted);
    }

    private static async Task WriteJson(HttpContext http, int status, JsonObject body)
    {
        http.Response.StatusCode = status;
        http.Response.ContentType = "application/json";
        await http.Response.WriteAsync(body.ToJsonString(), http.RequestAborted);
    }
}
