using System.Diagnostics;
using System.Text.Json.Nodes;
using OpenLedger.AI.Model;
using OpenLedger.AI.Tensors;
using Xunit.Abstractions;

namespace OpenLedger.AI.Tests;

public class CheckpointLoadingTests(ITestOutputHelper output)
{
    /// <summary>SmolLM2-135M's config.json as published (model_type llama, 30 layers, GQA 9/3, tied embeddings).</summary>
    private const string SmolLm2Config = """
    {
      "architectures": ["LlamaForCausalLM"], "attention_bias": false, "attention_dropout": 0.0, "bos_token_id": 0,
      "eos_token_id": 0, "hidden_act": "silu", "hidden_size": 576, "initializer_range": 0.041666666666666664,
      "intermediate_size": 1536, "is_llama_config": true, "max_position_embeddings": 8192, "model_type": "llama",
      "num_attention_heads": 9, "num_hidden_layers": 30, "num_key_value_heads": 3, "pretraining_tp": 1,
      "rms_norm_eps": 1e-05, "rope_interleaved": false, "rope_scaling": null, "rope_theta": 100000,
      "tie_word_embeddings": true, "torch_dtype": "bfloat16", "transformers_version": "4.40.1", "use_cache": true,
      "vocab_size": 49152
    }
    """;

    [Fact]
    public void SmolLM2_135M_layout_in_bf16_loads_and_runs_a_forward_pass()
    {
        string dir = TinyModels.TempDir();
        File.WriteAllText(Path.Combine(dir, "config.json"), SmolLm2Config);
        var config = LlamaConfig.Load(dir);
        Assert.Equal(134_515_008, config.ParameterCount());
        // random weights written tensor by tensor under the checkpoint's names, as bf16 (the published dtype)
        var rng = new Compute.SplitMix(1);
        var entries = new List<SafeTensorsWriter.Entry>();
        LlamaWeights.Create(config, (name, shape) =>
        {
            var data = new float[shape.Aggregate(1L, (a, b) => a * b)];
            if (name.EndsWith("norm.weight")) Array.Fill(data, 1f);
            else for (int i = 0; i < data.Length; i++) data[i] = (float)(rng.NextDouble() - 0.5) * 0.08f;
            entries.Add(new(name, shape, data, TensorDType.BF16));
            return data;
        });
        Assert.DoesNotContain(entries, e => e.Name == "lm_head.weight");
        SafeTensorsWriter.Write(Path.Combine(dir, "model.safetensors"), entries);
        entries.Clear();
        GC.Collect();

        long before = GC.GetTotalMemory(true);
        var sw = Stopwatch.StartNew();
        var model = LlamaModel.Load(dir);
        long loaded = GC.GetTotalMemory(true) - before;
        var cache = new KvCache(config, 16);
        var logits = model.Forward([1, 2, 3, 4, 5, 6, 7, 8], cache);
        var next = model.Forward([9], cache);
        output.WriteLine($"SmolLM2-135M layout: {model.Weights.ParameterCount():N0} parameters, {loaded / (1 << 20):N0} MiB managed after load, KV cache {cache.Bytes / 1024:N0} KiB, load + 9 positions {sw.Elapsed.TotalSeconds:F1} s");
        Assert.Equal(49152, logits.Length);
        Assert.All(next, v => Assert.True(float.IsFinite(v)));
        Assert.Equal(134_515_008, model.Weights.ParameterCount());
        Assert.True(loaded >= 134_515_008L * 4, "weights are held as float32");
    }

    private static string TinyDir(Action<JsonObject>? editConfig = null)
    {
        string dir = TinyModels.TempDir();
        LlamaWeights.Random(TinyModels.Config(tied: false), 1).Save(dir, TensorDType.F16);
        if (editConfig != null)
        {
            var o = JsonNode.Parse(File.ReadAllText(Path.Combine(dir, "config.json")))!.AsObject();
            editConfig(o);
            File.WriteAllText(Path.Combine(dir, "config.json"), o.ToJsonString());
        }
        return dir;
    }

    [Fact]
    public void Bad_checkpoints_get_one_clear_error()
    {
        Assert.Contains("unknown architecture", Assert.Throws<NotSupportedException>(() => LlamaModel.Load(TinyDir(o => o["model_type"] = "gpt2"))).Message);
        Assert.Contains("shape [50, 16], the config needs [50, 32]", Assert.Throws<InvalidDataException>(() => LlamaModel.Load(TinyDir(o => { o["hidden_size"] = 32; o["head_dim"] = 8; }))).Message);
        var dir = TinyDir();
        var w = LlamaWeights.Load(dir, LlamaConfig.Load(dir));
        SafeTensorsWriter.Write(Path.Combine(dir, "model.safetensors"), w.All().Where(p => p.Name != "lm_head.weight").Select(p => new SafeTensorsWriter.Entry(p.Name, p.Shape, p.Data)));
        Assert.Contains("'lm_head.weight' is missing", Assert.Throws<KeyNotFoundException>(() => LlamaModel.Load(dir)).Message);
        Assert.Contains("'hidden_size' is missing", Assert.Throws<InvalidDataException>(() => LlamaModel.Load(TinyDir(o => o.Remove("hidden_size")))).Message);
    }

    [Fact]
    public void Sharded_checkpoints_load_through_the_index_and_f16_bf16_f32_agree()
    {
        var w = LlamaWeights.Random(TinyModels.Config(), 2);
        string dir = TinyModels.TempDir();
        w.Save(dir);
        var all = w.All().ToList();
        File.Delete(Path.Combine(dir, "model.safetensors"));
        var map = new JsonObject();
        for (int s = 0; s < 2; s++)
        {
            string file = $"model-0000{s + 1}-of-00002.safetensors";
            var part = all.Where((_, i) => i % 2 == s).ToList();
            SafeTensorsWriter.Write(Path.Combine(dir, file), part.Select(p => new SafeTensorsWriter.Entry(p.Name, p.Shape, p.Data, s == 0 ? TensorDType.BF16 : TensorDType.F32)));
            foreach (var p in part) map[p.Name] = file;
        }
        File.WriteAllText(Path.Combine(dir, "model.safetensors.index.json"), new JsonObject { ["metadata"] = new JsonObject(), ["weight_map"] = map }.ToJsonString());
        var loaded = LlamaModel.Load(dir);
        foreach (var (a, b) in all.Zip(loaded.Weights.All()))
            for (int i = 0; i < a.Data.Length; i++) Assert.Equal(a.Data[i], b.Data[i], Math.Abs(a.Data[i]) / 100 + 1e-6f);
    }
}
