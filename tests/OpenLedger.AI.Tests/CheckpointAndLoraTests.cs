using OpenLedger.AI.Data;
using OpenLedger.AI.Lora;
using OpenLedger.AI.Model;
using OpenLedger.AI.Tensors;
using OpenLedger.AI.Training;

namespace OpenLedger.AI.Tests;

public class CheckpointAndLoraTests
{
    private static List<TokenizedExample> Examples()
    {
        var rng = new Compute.SplitMix(3);
        return Enumerable.Range(0, 10).Select(i =>
        {
            var ids = Enumerable.Range(0, 8).Select(_ => 1 + rng.NextInt(49)).ToArray();
            return new TokenizedExample((ulong)i, ids, ids.Skip(1).Append(0).ToArray());
        }).ToList();
    }

    private static (LlamaModel, Trainer) Setup(TrainerOptions o)
    {
        var w = LlamaWeights.Random(TinyModels.Config(), 1, std: 0.2f);
        var m = new LlamaModel(w, LoraAdapter.Create(w, new LoraConfig { Rank = 2, Alpha = 4, TargetModules = ["q_proj", "v_proj", "up_proj"] }, 2));
        return (m, new Trainer(m, false, Examples(), o));
    }

    [Fact]
    public void Training_is_deterministic_and_a_resumed_run_ends_identical_to_an_uninterrupted_one()
    {
        var o = new TrainerOptions { MaxSteps = 6, BatchSize = 2, GradientAccumulation = 2, LearningRate = 1e-2f, WarmupSteps = 2, Seed = 8, EvalFraction = 0.2 };
        var (m1, t1) = Setup(o);
        t1.Run();
        var (m2, t2) = Setup(o with { });
        string ckpt = Path.Combine(TinyModels.TempDir(), "checkpoint-3");
        t2.Run(checkpoint: null);
        Assert.Equal(m1.Adapter!.Parameters().SelectMany(p => p.Data), m2.Adapter!.Parameters().SelectMany(p => p.Data));

        // interrupted at step 3, resumed into a fresh trainer
        var (m3, t3) = Setup(o with { CheckpointEvery = 3 });
        var (m4, t4) = Setup(o with { CheckpointEvery = 3 });
        bool saved = false;
        try { t3.Run(checkpoint: s => { t3.SaveCheckpoint(ckpt); saved = true; throw new OperationCanceledException(); }); } catch (OperationCanceledException) { }
        Assert.True(saved);
        t4.LoadCheckpoint(ckpt);
        Assert.Equal(3, t4.Step);
        t4.Run();
        Assert.Equal(m1.Adapter!.Parameters().SelectMany(p => p.Data), m4.Adapter!.Parameters().SelectMany(p => p.Data));
        Assert.Equal(2, t1.EvalSet.Count);
        Assert.True(t1.LossHistory[^1].Loss < t1.LossHistory[0].Loss);
    }

    [Fact]
    public void Checkpoint_with_other_options_is_refused()
    {
        var o = new TrainerOptions { MaxSteps = 2, BatchSize = 2, Seed = 1 };
        var (_, t) = Setup(o);
        t.Run();
        string ckpt = Path.Combine(TinyModels.TempDir(), "checkpoint-2");
        t.SaveCheckpoint(ckpt);
        var (_, other) = Setup(o with { LearningRate = 1e-3f });
        Assert.Contains("other training options", Assert.Throws<InvalidDataException>(() => other.LoadCheckpoint(ckpt)).Message);
    }

    [Fact]
    public void Peft_adapter_round_trips_and_merge_matches_the_adapter_path_then_unmerges()
    {
        var w = LlamaWeights.Random(TinyModels.Config(), 5, std: 0.2f);
        var adapter = TinyModels.RandomAdapter(w, new LoraConfig { Rank = 3, Alpha = 6, TargetModules = ["q_proj", "k_proj", "o_proj", "down_proj"], UseRsLora = true }, 6);
        string dir = TinyModels.TempDir();
        string file = adapter.Save(dir);
        using (var st = SafeTensorsFile.Open(file))
            Assert.Contains("base_model.model.model.layers.0.self_attn.q_proj.lora_A.weight", st.Tensors.Keys);
        var loaded = LoraAdapter.Load(dir, w);
        Assert.True(loaded.Config.UseRsLora);
        Assert.Equal(adapter.Parameters().SelectMany(p => p.Data), loaded.Parameters().SelectMany(p => p.Data));

        int[] tokens = [4, 8, 15, 16, 23, 42];
        var withAdapter = new LlamaModel(w, loaded).Forward(tokens, new KvCache(w.Config, 8));
        var before = w.Layers[0].Q.Data.ToArray();
        loaded.Merge(w);
        var merged = new LlamaModel(w).Forward(tokens, new KvCache(w.Config, 8));
        for (int i = 0; i < merged.Length; i++) Assert.Equal(withAdapter[i], merged[i], 3);
        loaded.Unmerge(w);
        for (int i = 0; i < before.Length; i++) Assert.Equal(before[i], w.Layers[0].Q.Data[i], 5);
    }

    [Fact]
    public void Bad_adapters_get_one_clear_error()
    {
        var w = LlamaWeights.Random(TinyModels.Config(), 5);
        var e = Assert.Throws<ArgumentException>(() => LoraAdapter.Create(w, new LoraConfig { Rank = 9, TargetModules = ["k_proj"] }, 1));
        Assert.Contains("rank 9 is larger", e.Message);
        string dir = TinyModels.TempDir();
        File.WriteAllText(Path.Combine(dir, "adapter_config.json"), """{"peft_type":"LORA","r":2,"lora_alpha":4,"target_modules":["q_proj","w1"]}""");
        Assert.Contains("'w1'", Assert.Throws<NotSupportedException>(() => LoraAdapter.Load(dir, w)).Message);
        var good = LoraAdapter.Create(w, new LoraConfig { Rank = 2, TargetModules = ["q_proj"] }, 1);
        good.Save(dir);
        File.WriteAllText(Path.Combine(dir, "adapter_config.json"), """{"peft_type":"LORA","r":2,"lora_alpha":4,"target_modules":["q_proj","v_proj"]}""");
        Assert.Contains("v_proj.lora_A.weight' is missing", Assert.Throws<KeyNotFoundException>(() => LoraAdapter.Load(dir, w)).Message);
    }

    [Fact]
    public void Dataset_layouts_load_with_their_ids()
    {
        string dir = TinyModels.TempDir();
        string alpaca = Path.Combine(dir, "a.json");
        File.WriteAllText(alpaca, """[{"id": 7, "instruction": "Say hi", "input": "", "output": "hi"}, {"id": 9, "instruction": "Add", "input": "1+1", "output": "2"}]""");
        var a = DatasetLoader.Load(alpaca);
        Assert.Equal([7UL, 9UL], a.Select(x => x.ContributionId));
        Assert.Contains("1+1", a[1].Prompt);
        string share = Path.Combine(dir, "s.jsonl");
        File.WriteAllText(share, """{"conversations": [{"from": "human", "value": "Hello"}, {"from": "gpt", "value": "Hi there"}]}""" + "\n");
        var s = DatasetLoader.Load(share);
        Assert.Equal("Hi there", s[0].Response);
        Assert.Contains("Hello", s[0].Prompt);
        string txt = Path.Combine(dir, "c.txt");
        File.WriteAllText(txt, "first doc\n\nsecond doc\n");
        Assert.Equal(2, DatasetLoader.Load(txt).Count);
        File.WriteAllText(alpaca, """[{"instruction": "x"}]""");
        Assert.Contains("'output'", Assert.Throws<InvalidDataException>(() => DatasetLoader.Load(alpaca)).Message);
    }
}
