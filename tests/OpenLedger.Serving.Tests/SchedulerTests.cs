using OpenLedger.AI.Factory;
using OpenLedger.AI.Generation;
using OpenLedger.AI.Lora;
using OpenLedger.Serving.Engine;

namespace OpenLedger.Serving.Tests;

/// <summary>Chunked prefill and preemption: greedy (and seeded) outputs stay those of the single-sequence Generator.</summary>
public class SchedulerTests
{
    private static readonly string LongText = string.Join(" ", Enumerable.Range(0, 30).Select(i => $"word{i * 7 % 13}"));

    [Fact]
    public void Prefill_chunks_keep_more_than_eight_rows()
    {
        Assert.Equal(10, PrefillChunks.Next(10, 0, 16));
        Assert.Equal(16, PrefillChunks.Next(40, 0, 16));
        Assert.Equal(24, PrefillChunks.Next(40, 16, 16)); // 8 left after 16 more: they join this chunk
        Assert.Equal(16, PrefillChunks.Next(41, 16, 16));
        Assert.Equal(9, PrefillChunks.Next(41, 32, 16));
        Assert.Throws<ArgumentOutOfRangeException>(() => PrefillChunks.Next(10, 10, 16));
        Assert.Throws<ArgumentException>(() => new EngineOptions(PrefillChunk: 8).Validate());
    }

    [Fact]
    public async Task Chunked_prefill_with_mixed_adapters_equals_the_generator()
    {
        var (model, tok) = ModelFactory.Load(TinyServing.BaseDir);
        var adapters = new LoraAdapter?[] { null, TinyServing.RandomAdapter(model.Weights, 21), TinyServing.RandomAdapter(model.Weights, 22, rank: 2, targets: ["q_proj", "down_proj"]) };
        var prompts = new[] { LongText, "short one", LongText[..60], "The quick brown fox jumps over the lazy dog, again and again and again", LongText[20..] };
        var pool = new KvBlockPool(model.Config, blockSize: 4, blockCount: 200);
        using var engine = new InferenceEngine(new BatchDecoder(model.Weights, pool), new EngineOptions(MaxBatch: 8, MaxQueue: 64, PrefillChunk: 16));
        var jobs = new List<(SequenceHandle H, int[] P, LoraAdapter? A, SamplingOptions S)>();
        for (int i = 0; i < prompts.Length; i++)
        {
            var p = tok.Encode(prompts[i]);
            var s = new SamplingOptions { MaxNewTokens = 10 + i };
            var a = adapters[i % adapters.Length];
            jobs.Add((engine.Submit(new SequenceRequest(p, s, a, i % adapters.Length)), p, a, s));
        }
        Assert.Contains(jobs, j => j.P.Length > 40); // some prompts take several chunks
        await AssertSameAsGenerator(model, tok, jobs);
        Assert.True(engine.PrefillChunksRun > prompts.Length, $"{engine.PrefillChunksRun} chunks for {prompts.Length} prompts");
        Assert.Equal(pool.BlockCount, pool.FreeBlocks);
    }

    [Fact]
    public async Task A_long_prompt_is_prefilled_between_decode_steps_of_running_sequences()
    {
        var (model, tok) = ModelFactory.Load(TinyServing.BaseDir);
        var pool = new KvBlockPool(model.Config, blockSize: 4, blockCount: 200);
        using var engine = new InferenceEngine(new BatchDecoder(model.Weights, pool), new EngineOptions(MaxBatch: 8, MaxQueue: 64, PrefillChunk: 16));
        var running = engine.Submit(new SequenceRequest(tok.Encode("Hello"), new SamplingOptions { MaxNewTokens = 40 }, null, 0));
        await running.Tokens.ReadAsync(); // decoding now
        var longPrompt = tok.Encode(LongText);
        int chunks = 0;
        for (int done = 0; done < longPrompt.Length; chunks++) done += PrefillChunks.Next(longPrompt.Length, done, 16);
        Assert.True(chunks >= 3, $"{longPrompt.Length} tokens make {chunks} chunks");
        var late = engine.Submit(new SequenceRequest(longPrompt, new SamplingOptions { MaxNewTokens = 2 }, null, 0));
        await late.Tokens.ReadAsync();
        // the long prompt's first token comes after its last chunk; each earlier chunk shared a scheduler step with a
        // decode step of the running sequence, so that one has produced a token per chunk meanwhile (one-shot: none)
        int meanwhile = 0;
        while (running.Tokens.TryRead(out _)) meanwhile++;
        Assert.True(meanwhile >= chunks - 1, $"{meanwhile} tokens decoded while {chunks} chunks were prefilled");
        Assert.Equal("length", await running.Finished);
    }

    [Fact]
    public async Task Sequences_preempted_when_the_pool_runs_out_resume_with_the_same_outputs()
    {
        var (model, tok) = ModelFactory.Load(TinyServing.BaseDir);
        var adapters = new LoraAdapter?[] { TinyServing.RandomAdapter(model.Weights, 31), null, TinyServing.RandomAdapter(model.Weights, 32, rank: 8) };
        // 14 blocks of 4 positions: each sequence alone fits (≤ 40 positions), a few together do not
        var pool = new KvBlockPool(model.Config, blockSize: 4, blockCount: 14);
        using var engine = new InferenceEngine(new BatchDecoder(model.Weights, pool), new EngineOptions(MaxBatch: 6, MaxQueue: 64, PrefillChunk: 16));
        var prompts = new[] { "One two three", "Four five six seven eight nine ten eleven twelve thirteen", "x", "A fairly long prompt with words", "Tell me", "Last one here" };
        var jobs = new List<(SequenceHandle H, int[] P, LoraAdapter? A, SamplingOptions S)>();
        for (int i = 0; i < prompts.Length; i++)
        {
            var p = tok.Encode(prompts[i]);
            // one sampled sequence: its sampler state survives preemption too
            var s = new SamplingOptions { MaxNewTokens = 24, Temperature = i == 3 ? 0.9f : 0f, Seed = 1234 };
            var a = adapters[i % adapters.Length];
            jobs.Add((engine.Submit(new SequenceRequest(p, s, a, i % adapters.Length)), p, a, s));
        }
        await AssertSameAsGenerator(model, tok, jobs);
        Assert.True(engine.Preemptions > 0, "no sequence was preempted: the test does not test preemption");
        Assert.Contains(jobs, j => j.H.Preemptions > 0 && j.A != null);
        Assert.Equal(pool.BlockCount, pool.FreeBlocks);
    }

    private static async Task AssertSameAsGenerator(OpenLedger.AI.Model.LlamaModel model, OpenLedger.AI.Tokenization.HfTokenizer tok,
        List<(SequenceHandle H, int[] P, LoraAdapter? A, SamplingOptions S)> jobs)
    {
        foreach (var (h, p, a, s) in jobs)
        {
            var got = new List<int>();
            await foreach (var t in h.Tokens.ReadAllAsync()) got.Add(t);
            string finish = await h.Finished;
            model.Adapter = a;
            var want = new Generator(model, tok).Generate(p, s);
            model.Adapter = null;
            Assert.Equal(want.Tokens, got.ToArray());
            Assert.Equal(want.FinishReason, finish);
        }
    }
}
