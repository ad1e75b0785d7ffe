using OpenLedger.AI.Compute;
using OpenLedger.AI.Tensors;

namespace OpenLedger.AI.Model;

/// <summary>One decoder layer's weights under their Hugging Face names.</summary>
public sealed class LlamaLayerWeights
{
    public required Parameter AttnNorm, Q, K, V, O, MlpNorm, Gate, Up, Down;

    /// <summary>The seven projections by PEFT module name.</summary>
    public Parameter Linear(string module) => module switch
    {
        "q_proj" => Q, "k_proj" => K, "v_proj" => V, "o_proj" => O,
        "gate_proj" => Gate, "up_proj" => Up, "down_proj" => Down,
        _ => throw new ArgumentException($"unknown target module '{module}' (q_proj, k_proj, v_proj, o_proj, gate_proj, up_proj, down_proj)"),
    };

    public IEnumerable<Parameter> All => [AttnNorm, Q, K, V, O, MlpNorm, Gate, Up, Down];
}

/// <summary>All weights of a Llama checkpoint, loaded from or saved to safetensors with the Hugging Face tensor names.</summary>
public sealed class LlamaWeights
{
    public static readonly string[] LinearModules = ["q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj"];

    public required LlamaConfig Config { get; init; }
    public required Parameter Embed { get; init; }
    public required LlamaLayerWeights[] Layers { get; init; }
    public required Parameter FinalNorm { get; init; }
    /// <summary>The output projection; the same object as <see cref="Embed"/> when embeddings are tied.</summary>
    public required Parameter LmHead { get; init; }

    public IEnumerable<Parameter> All()
    {
        yield return Embed;
        foreach (var l in Layers) foreach (var p in l.All) yield return p;
        yield return FinalNorm;
        if (!ReferenceEquals(LmHead, Embed)) yield return LmHead;
    }

    public static LlamaWeights Create(LlamaConfig c, Func<string, int[], float[]?> source)
    {
        int d = c.HiddenSize, f = c.IntermediateSize;
        Parameter P(string name, params int[] shape) => new(name, shape, source(name, shape));
        var embed = P("model.embed_tokens.weight", c.VocabSize, d);
        var layers = new LlamaLayerWeights[c.NumLayers];
        for (int i = 0; i < layers.Length; i++)
        {
            string pre = $"model.layers.{i}.";
            layers[i] = new LlamaLayerWeights
            {
                AttnNorm = P(pre + "input_layernorm.weight", d),
                Q = P(pre + "self_attn.q_proj.weight", c.QDim, d),
                K = P(pre + "self_attn.k_proj.weight", c.KvDim, d),
                V = P(pre + "self_attn.v_proj.weight", c.KvDim, d),
                O = P(pre + "self_attn.o_proj.weight", d, c.QDim),
                MlpNorm = P(pre + "post_attention_layernorm.weight", d),
                Gate = P(pre + "mlp.gate_proj.weight", f, d),
                Up = P(pre + "mlp.up_proj.weight", f, d),
                Down = P(pre + "mlp.down_proj.weight", d, f),
            };
        }
        var norm = P("model.norm.weight", d);
        var head = c.TieWordEmbeddings ? embed : P("lm_head.weight", c.VocabSize, d);
        return new LlamaWeights { Config = c, Embed = embed, Layers = layers, FinalNorm = norm, LmHead = head };
    }

    /// <summary>Loads every tensor the config names (missing tensors and shape mismatches are errors).</summary>
    public static LlamaWeights Load(string directory, LlamaConfig config)
    {
        using var set = new SafeTensorsSet(directory);
        return Create(config, (name, shape) => set.Read(name, shape));
    }

    /// <summary>Random initialization as Hugging Face does it: N(0, std) weights, unit norms.</summary>
    public static LlamaWeights Random(LlamaConfig config, ulong seed, float std = 0.02f)
    {
        var rng = new SplitMix(seed);
        return Create(config, (name, shape) =>
        {
            long n = shape.Aggregate(1L, (a, b) => a * b);
            var data = new float[n];
            if (name.EndsWith("norm.weight", StringComparison.Ordinal)) Array.Fill(data, 1f);
            else for (long i = 0; i < n; i++) data[i] = (float)rng.NextGaussian() * std;
            return data;
        });
    }

    public void Save(string directory, TensorDType dtype = TensorDType.F32)
    {
        Directory.CreateDirectory(directory);
        SafeTensorsWriter.Write(Path.Combine(directory, "model.safetensors"),
            All().Select(p => new SafeTensorsWriter.Entry(p.Name, p.Shape, p.Data, dtype)),
            new Dictionary<string, string> { ["format"] = "pt" });
        var cfg = Config with { TorchDtype = dtype switch { TensorDType.BF16 => "bfloat16", TensorDType.F16 => "float16", _ => "float32" } };
        AtomicFile.WriteAllText(Path.Combine(directory, "config.json"), cfg.ToJson().ToJsonString(new System.Text.Json.JsonSerializerOptions { WriteIndented = true }));
    }

    public long ParameterCount() => All().Sum(p => (long)p.Data.Length);
}
