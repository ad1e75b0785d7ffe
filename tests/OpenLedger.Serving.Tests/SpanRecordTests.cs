using System.Text.Json.Nodes;
using OpenLedger.AI.Factory;
using OpenLedger.AI.Generation;
using OpenLedger.Attribution.Records;
using OpenLedger.Attribution.Scoring;
using OpenLedger.Attribution.Spans;
using OpenLedger.Primitives;
using OpenLedger.Serving.Adapters;
using OpenLedger.Serving.Attribution;
using OpenLedger.Serving.Payments;

namespace OpenLedger.Serving.Tests;

/// <summary>Span-method records: an adapter with a suffix index over its contributions (spans.olsx) and no sketch store.</summary>
public class SpanRecordTests
{
    private const string Prompt = "Tell me what the ledger remembers";

    [Fact]
    public async Task An_answer_that_repeats_a_contribution_is_credited_to_it_in_a_span_record_a_prover_recomputes()
    {
        var (model, tok) = ModelFactory.Load(TinyServing.BaseDir);
        string adapters = TinyServing.TempDir(), dir = Path.Combine(adapters, "cited");
        var adapter = TinyServing.RandomAdapter(model.Weights, 51);
        adapter.Save(dir);
        // the contribution 502 holds the adapter's greedy answer verbatim (plus text around it); 501 and 503 do not
        model.Adapter = adapter;
        string answer = tok.Decode(new Generator(model, tok).Generate(tok.Encode(Prompt), new SamplingOptions { MaxNewTokens = 20 }).Tokens);
        model.Adapter = null;
        var corpus = new CorpusTokenizer();
        var contributions = new[]
        {
            new TokenizedContribution(501, corpus.Encode("An unrelated note about rivers and the sea, nothing more.")),
            new TokenizedContribution(502, corpus.Encode("Before it came this line.\n" + answer + "\nAnd after it, another.")),
            new TokenizedContribution(503, corpus.Encode("Yet another contribution that says something else entirely.")),
        };
        using (var index = SuffixIndexBuilder.Build(contributions, corpus.VocabularySize)) index.Save(Path.Combine(dir, AdapterFiles.SpanIndex));

        var options = new ServeOptions
        {
            BaseDir = TinyServing.BaseDir, AdaptersDir = adapters, DataDir = TinyServing.TempDir(), BaseName = "tiny-base", Port = 0,
            MaxTokens = 24, KvCacheMiB = 2, RateLimitPerMinute = 0, LocalPricePer1kTokens = 1_000_000UL,
        };
        await using var host = await ServingHost.StartAsync(options, new FreeInferencePayments());
        using var http = new HttpClient { BaseAddress = host.Address };
        var (status, body, _) = await new ServerFixture.Client(http).Post("/v1/completions", new { model = "cited", prompt = Prompt, max_tokens = 20, temperature = 0 });
        Assert.Equal(200, status);
        Assert.Equal(answer, (string?)body["choices"]![0]!["text"]);
        var ext = body["openledger"]!;
        var contributionsOut = ext["contributions"]!.AsArray();
        Assert.Equal("502", (string?)Assert.Single(contributionsOut)!["contribution_id"]);
        Assert.Equal(10_000, (int)contributionsOut[0]!["bps"]!);

        string recordHash = (string)ext["record_hash"]!;
        var line = InferenceLog.Read(host.InferenceLogPath).Single(l => (string?)l["recordHash"] == recordHash);
        var record = AttributionRecord.Decode(Hex.Decode((string)line["record"]!));
        Assert.Equal(AttributionMethod.Spans, record.Method);
        Assert.NotEmpty(record.Spans);
        Assert.All(record.Spans, s => Assert.True(s.Length >= new SpanOptions().MinLength));
        Assert.Equal(AdapterFiles.Hash(dir), record.ModelId);
        Assert.Null(line["sketchTopK"]);

        // a prover recomputes it from the logged tokens, the adapter files and the index
        int[] prompt = line["promptTokens"]!.AsArray().Select(t => (int)t!).ToArray();
        int[] tokens = line["completionTokens"]!.AsArray().Select(t => (int)t!).ToArray();
        if (line["eosToken"] is JsonNode eos) tokens = [.. tokens, (int)eos];
        var loaded = await new AdapterCache(model.Weights, 1 << 30).GetAsync(new AdapterEntry("cited", null, record.ModelId, UInt256.Zero, dir));
        using var scorer = new SimdCpuScorer();
        var attributor = new InferenceAttributor(model.Weights, scorer, tokenizer: tok);
        var again = attributor.Build(loaded, record.InferenceId, prompt, tokens, record.Fee);
        Assert.Equal(recordHash, again!.Hash().ToString());
        // and the CLI's span query over the same text finds the same spans
        using var idx = SuffixIndex.Open(Path.Combine(dir, AdapterFiles.SpanIndex));
        var direct = new SpanAttributor(idx).Attribute(corpus.Encode(attributor.AnswerText(tokens)));
        Assert.Equal(record.Spans, direct.Spans);

        // an answer that repeats nothing still gets a (share-less) span record
        var (s2, other, _) = await new ServerFixture.Client(http).Post("/v1/completions", new { model = "cited", prompt = "Something else", max_tokens = 3, temperature = 0 });
        Assert.Equal(200, s2);
        Assert.NotNull((string?)other["openledger"]!["record_hash"]);
        Assert.Empty(other["openledger"]!["contributions"]!.AsArray());
    }

    [Fact]
    public async Task A_span_index_with_another_vocabulary_fails_the_request_not_the_server()
    {
        var (model, _) = ModelFactory.Load(TinyServing.BaseDir);
        string adapters = TinyServing.TempDir(), dir = Path.Combine(adapters, "odd");
        TinyServing.RandomAdapter(model.Weights, 52).Save(dir);
        using (var index = SuffixIndexBuilder.Build([new TokenizedContribution(1, [1, 2, 3, 4])], 10)) index.Save(Path.Combine(dir, AdapterFiles.SpanIndex));
        var options = new ServeOptions
        {
            BaseDir = TinyServing.BaseDir, AdaptersDir = adapters, DataDir = TinyServing.TempDir(), BaseName = "tiny-base", Port = 0,
            MaxTokens = 8, KvCacheMiB = 2, RateLimitPerMinute = 0,
        };
        await using var host = await ServingHost.StartAsync(options, new FreeInferencePayments());
        using var http = new HttpClient { BaseAddress = host.Address };
        var client = new ServerFixture.Client(http);
        var (status, body, _) = await client.Post("/v1/completions", new { model = "odd", prompt = "Hello", max_tokens = 8, temperature = 0 });
        Assert.Equal(500, status);
        Assert.Equal("attribution_failed", (string?)body["error"]!["code"]);
        Assert.Contains("cl100k_base", (string?)body["error"]!["message"]);
        var (ok, _, _) = await client.Post("/v1/completions", new { model = "tiny-base", prompt = "Hello", max_tokens = 4, temperature = 0 });
        Assert.Equal(200, ok);
    }
}
