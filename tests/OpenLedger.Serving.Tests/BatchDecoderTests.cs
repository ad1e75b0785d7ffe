using OpenLedger.AI.Factory;
using OpenLedger.AI.Generation;
using OpenLedger.AI.Lora;
using OpenLedger.AI.Model;
using OpenLedger.Serving.Engine;

namespace OpenLedger.Serving.Tests;

public class BatchDecoderTests
{
    [Fact]
    public async Task Continuous_batching_with_mixed_adapters_equals_the_single_sequence_generator()
    {
        var (model, tok) = ModelFactory.Load(TinyServing.BaseDir);
        var adapters = new LoraAdapter?[] { null, TinyServing.RandomAdapter(model.Weights, 11), TinyServing.RandomAdapter(model.Weights, 12, rank: 2, targets: ["q_proj", "v_proj", "down_proj"]), TinyServing.RandomAdapter(model.Weights, 13, rank: 8) };
        var prompts = new[]
        {
            "The capital of France is", "Once upon a time", "x", "A long prompt that has more than eight tokens in it, surely, yes indeed",
            "Hello", "1 2 3 4 5", "Tell me about", "The quick brown fox jumps over the lazy dog and keeps running far away",
            "Why", "OpenLedger", "LoRA adapters share one base", "seven", "end",
        };
        // a small pool and block size so sequences span several blocks and some wait for blocks
        var pool = new KvBlockPool(model.Config, blockSize: 4, blockCount: 120);
        using var engine = new InferenceEngine(new BatchDecoder(model.Weights, pool), new EngineOptions(MaxBatch: 10, MaxQueue: 100));
        var jobs = new List<(SequenceHandle H, int[] Prompt, LoraAdapter? A, int Max)>();
        for (int i = 0; i < prompts.Length; i++)
        {
            var p = tok.Encode(prompts[i]);
            var a = adapters[i % adapters.Length];
            int max = 6 + i % 9;
            var h = engine.Submit(new SequenceRequest(p, new SamplingOptions { MaxNewTokens = max }, a, i % adapters.Length));
            jobs.Add((h, p, a, max));
        }
        int generated = 0, changedByAdapter = 0;
        foreach (var (h, p, a, max) in jobs)
        {
            var got = new List<int>();
            await foreach (var t in h.Tokens.ReadAllAsync()) got.Add(t);
            string finish = await h.Finished;
            model.Adapter = a;
            var want = new Generator(model, tok).Generate(p, new SamplingOptions { MaxNewTokens = max });
            Assert.Equal(want.Tokens, got.ToArray());
            Assert.Equal(want.FinishReason, finish);
            generated += got.Count;
            model.Adapter = null;
            if (a != null && !new Generator(model, tok).Generate(p, new SamplingOptions { MaxNewTokens = max }).Tokens.SequenceEqual(got)) changedByAdapter++;
        }
        // the comparison means something: sequences ran for several steps and the adapters changed what they said
        Assert.True(generated >= 3 * jobs.Count, $"only {generated} tokens were generated");
        Assert.True(changedByAdapter >= 3, $"adapters changed only {changedByAdapter} outputs");
        Assert.Equal(pool.BlockCount, pool.FreeBlocks);
        Assert.True(engine.Steps > 0);
    }

    [Fact]
    public void Refuses_a_request_larger_than_the_pool_and_a_full_queue()
    {
        var (model, tok) = ModelFactory.Load(TinyServing.BaseDir);
        var pool = new KvBlockPool(model.Config, blockSize: 4, blockCount: 3);
        using var engine = new InferenceEngine(new BatchDecoder(model.Weights, pool), new EngineOptions(MaxBatch: 1, MaxQueue: 0));
        var e = Assert.Throws<EngineRefusedException>(() => engine.Submit(new SequenceRequest(tok.Encode("hello world"), new SamplingOptions { MaxNewTokens = 20 }, null, 0)));
        Assert.False(e.QueueFull);
        var q = Assert.Throws<EngineRefusedException>(() => engine.Submit(new SequenceRequest(tok.Encode("hi"), new SamplingOptions { MaxNewTokens = 2 }, null, 0)));
        Assert.True(q.QueueFull);
    }
}
