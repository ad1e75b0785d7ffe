using System.Net.Http.Json;
using System.Text.Json.Nodes;
using OpenLedger.AI.Compute;
using OpenLedger.AI.Factory;
using OpenLedger.AI.Generation;
using OpenLedger.AI.Lora;
using OpenLedger.Attribution.Records;
using OpenLedger.Attribution.Spans;
using OpenLedger.Primitives;
using OpenLedger.Serving;
using OpenLedger.Serving.Adapters;
using OpenLedger.Serving.Attribution;
using OpenLedger.Serving.Payments;
using OpenLedger.Settlement.Prover;

namespace OpenLedger.Settlement.Tests;

/// <summary>The prover's replay of a span-method record from a serving node's inference log.</summary>
public class SpanReplayTests
{
    [Fact]
    public async Task The_prover_recomputes_a_span_record_from_the_inference_log_and_rejects_a_changed_one()
    {
        string root = Path.Combine(Path.GetTempPath(), "olspan-" + Guid.NewGuid().ToString("N")[..10]);
        string baseDir = Path.Combine(root, "base"), adapters = Path.Combine(root, "adapters"), saved = Path.Combine(root, "saved");
        ModelFactory.InitBaseModel(baseDir, new BaseModelShape(Hidden: 64, Layers: 2, Heads: 4, KvHeads: 2, Intermediate: 128, MaxPositions: 64), seed: 3);
        var (model, tok) = ModelFactory.Load(baseDir);
        var adapter = LoraAdapter.Create(model.Weights, new LoraConfig { Rank = 4, Alpha = 8, TargetModules = ["q_proj", "v_proj"] }, 7);
        var rng = new SplitMix(8);
        foreach (var p in adapter.Pairs) for (int i = 0; i < p.B.Data.Length; i++) p.B.Data[i] = (float)(rng.NextGaussian() * 0.5);
        adapter.Save(saved);
        // stored as the prover looks adapters up: DIR/<adapter hash>/
        string name = AdapterFiles.Hash(saved).ToString(), dir = Path.Combine(adapters, name);
        Directory.CreateDirectory(adapters);
        Directory.Move(saved, dir);
        model.Adapter = adapter;
        string answer = tok.Decode(new Generator(model, tok).Generate(tok.Encode("Recite it"), new SamplingOptions { MaxNewTokens = 16 }).Tokens);
        var corpus = new CorpusTokenizer();
        using (var index = SuffixIndexBuilder.Build([new TokenizedContribution(7, corpus.Encode("Other text.")), new TokenizedContribution(9, corpus.Encode("Quoted:\n" + answer + "\nEnd."))], corpus.VocabularySize))
            index.Save(Path.Combine(dir, AdapterFiles.SpanIndex));

        var options = new ServeOptions { BaseDir = baseDir, AdaptersDir = adapters, DataDir = Path.Combine(root, "data"), BaseName = "b", Port = 0, MaxTokens = 16, KvCacheMiB = 2, RateLimitPerMinute = 0 };
        string logPath;
        AttributionRecord record;
        await using (var host = await ServingHost.StartAsync(options, new FreeInferencePayments()))
        {
            using var http = new HttpClient { BaseAddress = host.Address };
            var resp = await http.PostAsJsonAsync("/v1/completions", new { model = name, prompt = "Recite it", max_tokens = 16, temperature = 0 });
            var body = JsonNode.Parse(await resp.Content.ReadAsStringAsync())!;
            Assert.True(resp.IsSuccessStatusCode, body.ToJsonString());
            Assert.Equal("9", (string?)body["openledger"]!["contributions"]![0]!["contribution_id"]);
            logPath = host.InferenceLogPath;
            var line = InferenceLog.Read(logPath).Single();
            record = AttributionRecord.Decode(Hex.Decode((string)line["record"]!));
        }
        Assert.Equal(AttributionMethod.Spans, record.Method);
        using var replay = new InferenceReplay([logPath], baseDir, adapters);
        Assert.Null(replay.Check(record));
        // the same spans with other shares is not what the log reproduces
        var forged = AttributionRecord.ForSpans(record.ModelId, record.InferenceId, record.Spans, record.Fee, [new(7, 10_000)]);
        Assert.NotNull(replay.Check(forged));
    }
}
