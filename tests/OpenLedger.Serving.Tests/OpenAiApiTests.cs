using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using OpenLedger.AI.Factory;
using OpenLedger.AI.Generation;
using OpenLedger.AI.Lora;
using OpenLedger.Attribution.Records;
using OpenLedger.Attribution.Scoring;
using OpenLedger.Primitives;
using OpenLedger.Serving.Adapters;
using OpenLedger.Serving.Attribution;

namespace OpenLedger.Serving.Tests;

public class OpenAiApiTests(ServerFixture server) : IClassFixture<ServerFixture>
{
    [Fact]
    public async Task Completion_on_the_base_model_has_openai_shape_usage_and_fee()
    {
        var (status, body, resp) = await server.Post("/v1/completions", new { model = "tiny-base", prompt = "Hello there", max_tokens = 5, temperature = 0 });
        Assert.Equal(200, status);
        Assert.Equal("text_completion", (string?)body["object"]);
        Assert.StartsWith("cmpl-", (string?)body["id"]);
        var choice = body["choices"]![0]!;
        Assert.Contains((string?)choice["finish_reason"], new[] { "stop", "length" });
        var usage = body["usage"]!;
        int completion = (int)usage["completion_tokens"]!;
        Assert.InRange(completion, 0, 5);
        Assert.Equal((int)usage["prompt_tokens"]! + completion, (int)usage["total_tokens"]!);
        // base model at the local price of 1e12 wei per 1k tokens
        Assert.Equal((1_000_000_000UL * (ulong)(int)usage["total_tokens"]!).ToString(), (string?)body["openledger"]!["fee"]);
        Assert.Equal((string?)body["openledger"]!["fee"], resp.Headers.GetValues("X-OpenLedger-Fee").Single());
        Assert.Null(body["openledger"]!["record_hash"]);
    }

    [Fact]
    public async Task Greedy_http_answer_on_an_adapter_equals_the_generator()
    {
        var (status, body, _) = await server.Post("/v1/completions", new { model = "random", prompt = "The weather today", max_tokens = 12, temperature = 0 });
        Assert.Equal(200, status);
        var (model, tok) = ModelFactory.Load(TinyServing.BaseDir, server.Adapters.RandomDir);
        var want = new Generator(model, tok).Generate("The weather today", new SamplingOptions { MaxNewTokens = 12 });
        Assert.Equal(want.Text, (string?)body["choices"]![0]!["text"]);
        Assert.Equal(want.Tokens.Length, (int)body["usage"]!["completion_tokens"]!);
        Assert.Equal(want.FinishReason, (string?)body["choices"]![0]!["finish_reason"]);
    }

    [Fact]
    public async Task Chat_on_a_fine_tuned_adapter_returns_an_attribution_record_a_prover_recomputes_from_the_log()
    {
        var (status, body, resp) = await server.Post("/v1/chat/completions", new
        {
            model = "facts", temperature = 0, max_tokens = 8,
            messages = new object[] { new { role = "user", content = "What is the secret of A?" } },
        });
        Assert.Equal(200, status);
        Assert.Equal("chat.completion", (string?)body["object"]);
        Assert.Equal("assistant", (string?)body["choices"]![0]!["message"]!["role"]);
        var ext = body["openledger"]!;
        string recordHash = (string?)ext["record_hash"] ?? throw new Xunit.Sdk.XunitException("no record hash");
        Assert.Equal(recordHash, resp.Headers.GetValues("X-OpenLedger-Record-Hash").Single());
        var contributions = ext["contributions"]!.AsArray();
        Assert.NotEmpty(contributions); // a fine-tuned adapter answering its own training prompt has positively scored contributions
        Assert.Equal(10_000, contributions.Sum(c => (int)c!["bps"]!));
        Assert.All(contributions, c => Assert.InRange(ulong.Parse((string)c!["contribution_id"]!), 100UL, 105UL));

        // the log line holds the inputs; recomputing the record from them gives the same hash
        var line = InferenceLog.Read(Path.Combine(server.Host.InferenceLogPath)).Single(l => (string?)l["recordHash"] == recordHash);
        Assert.Equal((string?)ext["inference_id"], (string?)line["inferenceId"]);
        Assert.Equal(AdapterFiles.Hash(server.Adapters.FactsDir).ToString(), (string?)line["adapterHash"]);
        var record = AttributionRecord.Decode(Hex.Decode((string)line["record"]!));
        Assert.Equal(recordHash, record.Hash().ToString());
        Assert.Equal(UInt256.Parse((string)line["fee"]!), record.Fee);
        int[] prompt = line["promptTokens"]!.AsArray().Select(t => (int)t!).ToArray();
        int[] answer = line["completionTokens"]!.AsArray().Select(t => (int)t!).ToArray();
        var (model, _) = ModelFactory.Load(TinyServing.BaseDir);
        if (line["eosToken"] is JsonNode eos) answer = [.. answer, (int)eos];
        var entry = new AdapterEntry("facts", null, AdapterFiles.Hash(server.Adapters.FactsDir), UInt256.Zero, server.Adapters.FactsDir);
        var loaded = await new AdapterCache(model.Weights, 1 << 30).GetAsync(entry);
        using var scorer = new SimdCpuScorer();
        var again = new InferenceAttributor(model.Weights, scorer, (int)line["sketchTopK"]!).Build(loaded, Hash256.Parse((string)line["inferenceId"]!), prompt, answer, record.Fee);
        Assert.Equal(recordHash, again!.Hash().ToString());
    }

    [Fact]
    public async Task Streaming_chat_sends_the_same_text_as_the_plain_answer_then_usage_and_done()
    {
        var request = new
        {
            model = "random", temperature = 0, max_tokens = 10,
            messages = new object[] { new { role = "system", content = "Be brief." }, new { role = "user", content = "Name a colour" } },
        };
        var (_, plain, _) = await server.Post("/v1/chat/completions", request);
        string want = (string)plain["choices"]![0]!["message"]!["content"]!;

        var msg = new HttpRequestMessage(HttpMethod.Post, "/v1/chat/completions")
        {
            Content = new StringContent(JsonNode.Parse(System.Text.Json.JsonSerializer.Serialize(request))!.AsObject()
                .Also(o => { o["stream"] = true; o["stream_options"] = new JsonObject { ["include_usage"] = true }; }).ToJsonString(), Encoding.UTF8, "application/json"),
        };
        var resp = await server.Http.SendAsync(msg, HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal("text/event-stream", resp.Content.Headers.ContentType?.MediaType);
        var events = (await resp.Content.ReadAsStringAsync()).Split("\n\n", StringSplitOptions.RemoveEmptyEntries).Select(e => e["data: ".Length..]).ToList();
        Assert.Equal("[DONE]", events[^1]);
        var chunks = events[..^1].Select(e => JsonNode.Parse(e)!.AsObject()).ToList();
        Assert.All(chunks, c => Assert.Equal("chat.completion.chunk", (string?)c["object"]));
        Assert.Equal("assistant", (string?)chunks[0]["choices"]![0]!["delta"]!["role"]);
        string text = string.Concat(chunks.Where(c => c["choices"]!.AsArray().Count > 0).Select(c => (string?)c["choices"]![0]!["delta"]!["content"] ?? ""));
        Assert.Equal(want, text);
        var finish = chunks.Single(c => c["choices"]!.AsArray().Count > 0 && c["choices"]![0]!["finish_reason"] != null);
        Assert.Equal((string?)plain["choices"]![0]!["finish_reason"], (string?)finish["choices"]![0]!["finish_reason"]);
        Assert.NotNull(finish["openledger"]);
        var usage = chunks[^1]["usage"]!;
        Assert.Equal((int)plain["usage"]!["total_tokens"]!, (int)usage["total_tokens"]!);
    }

    [Fact]
    public async Task Stop_sequence_cuts_the_answer()
    {
        var (_, full, _) = await server.Post("/v1/completions", new { model = "random", prompt = "Once", max_tokens = 16, temperature = 0 });
        string text = (string)full["choices"]![0]!["text"]!;
        Assert.True(text.Length >= 4, $"answer too short to cut: '{text}'");
        string stop = text.Substring(2, 2);
        var (status, cut, _) = await server.Post("/v1/completions", new { model = "random", prompt = "Once", max_tokens = 16, temperature = 0, stop = new[] { stop } });
        Assert.Equal(200, status);
        Assert.Equal(text[..text.IndexOf(stop, StringComparison.Ordinal)], (string?)cut["choices"]![0]!["text"]);
        Assert.Equal("stop", (string?)cut["choices"]![0]!["finish_reason"]);
    }

    [Fact]
    public async Task Models_lists_the_base_and_the_local_adapters()
    {
        var body = System.Text.Json.Nodes.JsonNode.Parse(await server.Http.GetStringAsync("/v1/models"))!;
        Assert.Equal("list", (string?)body["object"]);
        var ids = body["data"]!.AsArray().Select(m => (string)m!["id"]!).ToList();
        Assert.Equal("tiny-base", ids[0]);
        Assert.Contains("facts", ids);
        Assert.Contains("random", ids);
    }

    public static TheoryData<string, object, int, string?, string?> BadRequests => new()
    {
        { "/v1/completions", new { prompt = "hi" }, 400, "invalid_request_error", "model" },
        { "/v1/completions", new { model = "nope", prompt = "hi" }, 404, "invalid_request_error", "model" },
        { "/v1/completions", new { model = "../facts", prompt = "hi" }, 404, "invalid_request_error", "model" },
        { "/v1/completions", new { model = "tiny-base", prompt = "hi", frobnicate = 1 }, 400, "invalid_request_error", "frobnicate" },
        { "/v1/completions", new { model = "tiny-base", prompt = "hi", temperature = 3 }, 400, "invalid_request_error", "temperature" },
        { "/v1/completions", new { model = "tiny-base", prompt = "hi", max_tokens = 0 }, 400, "invalid_request_error", "max_tokens" },
        { "/v1/completions", new { model = "tiny-base", prompt = "hi", max_tokens = 1000 }, 400, "invalid_request_error", "max_tokens" },
        { "/v1/completions", new { model = "tiny-base", prompt = "hi", max_tokens = "5" }, 400, "invalid_request_error", "max_tokens" },
        { "/v1/completions", new { model = "tiny-base", prompt = new[] { "a", "b" } }, 400, "invalid_request_error", "prompt" },
        { "/v1/completions", new { model = "tiny-base", prompt = new[] { 1, 999999 } }, 400, "invalid_request_error", "prompt" },
        { "/v1/completions", new { model = "tiny-base", prompt = "hi", n = 2 }, 400, "invalid_request_error", "n" },
        { "/v1/completions", new { model = "tiny-base", prompt = "hi", stream_options = new { include_usage = true } }, 400, "invalid_request_error", "stream_options" },
        { "/v1/chat/completions", new { model = "tiny-base" }, 400, "invalid_request_error", "messages" },
        { "/v1/chat/completions", new { model = "tiny-base", messages = new[] { new { role = "robot", content = "x" } } }, 400, "invalid_request_error", "messages[0].role" },
        { "/v1/chat/completions", new { model = "tiny-base", messages = new[] { new { role = "user" } } }, 400, "invalid_request_error", "messages[0].content" },
        { "/v1/completions", new { model = "broken", prompt = "hi" }, 500, "server_error", "model" },
    };

    [Theory]
    [MemberData(nameof(BadRequests))]
    public async Task Bad_requests_get_openai_errors_and_the_server_serves_on(string path, object body, int status, string? type, string? param)
    {
        var (got, err, _) = await server.Post(path, body);
        Assert.Equal(status, got);
        Assert.Equal(type, (string?)err["error"]!["type"]);
        Assert.Equal(param, (string?)err["error"]!["param"]);
        Assert.False(string.IsNullOrEmpty((string?)err["error"]!["message"]));
        await AssertStillServing();
    }

    [Fact]
    public async Task Prompt_over_the_context_is_refused_with_context_length_exceeded()
    {
        string longPrompt = string.Join(" ", Enumerable.Repeat("word", 200));
        var (status, err, _) = await server.Post("/v1/completions", new { model = "tiny-base", prompt = longPrompt });
        Assert.Equal(400, status);
        Assert.Equal("context_length_exceeded", (string?)err["error"]!["code"]);
        var (status2, err2, _) = await server.Post("/v1/completions", new { model = "tiny-base", prompt = string.Join(" ", Enumerable.Repeat("word", 80)), max_tokens = 20 });
        Assert.Equal(400, status2);
        Assert.Equal("context_length_exceeded", (string?)err2["error"]!["code"]);
        await AssertStillServing();
    }

    [Fact]
    public async Task Malformed_json_oversized_body_unknown_url_and_bad_payer_header()
    {
        var bad = await server.Http.PostAsync("/v1/completions", new StringContent("{\"model\": \"tiny-base\", \"prompt\": ", Encoding.UTF8, "application/json"));
        Assert.Equal(400, (int)bad.StatusCode);
        Assert.Equal("invalid_request_error", (string?)JsonNode.Parse(await bad.Content.ReadAsStringAsync())!["error"]!["type"]);

        var huge = await server.Http.PostAsync("/v1/completions", new StringContent("{\"model\": \"tiny-base\", \"prompt\": \"" + new string('a', 100_000) + "\"}", Encoding.UTF8, "application/json"));
        Assert.Equal(413, (int)huge.StatusCode);
        Assert.Equal("request_too_large", (string?)JsonNode.Parse(await huge.Content.ReadAsStringAsync())!["error"]!["code"]);

        var nowhere = await server.Http.GetAsync("/v1/engines");
        Assert.Equal(404, (int)nowhere.StatusCode);
        Assert.NotNull(JsonNode.Parse(await nowhere.Content.ReadAsStringAsync())!["error"]);

        var (status, err, _) = await server.Post("/v1/completions", new { model = "tiny-base", prompt = "hi" }, payer: "not-an-address");
        Assert.Equal(400, status);
        Assert.Equal("X-OpenLedger-Payer", (string?)err["error"]!["param"]);
        await AssertStillServing();
    }

    private async Task AssertStillServing()
    {
        var (status, body, _) = await server.Post("/v1/completions", new { model = "tiny-base", prompt = "ok", max_tokens = 2 });
        Assert.Equal(200, status);
        Assert.NotNull(body["choices"]);
    }
}

internal static class JsonExtensions
{
    public static JsonObject Also(this JsonObject o, Action<JsonObject> f) { f(o); return o; }
}
