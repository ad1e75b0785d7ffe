using System.Text.Json.Nodes;
using OpenLedger.AI.Compute;
using OpenLedger.AI.Model;
using OpenLedger.AI.Tensors;

namespace OpenLedger.AI.Lora;

/// <summary>One adapted projection: W' = W + scale · B·A with A [r × in] and B [out × r], PEFT's layout.</summary>
public sealed class LoraPair
{
    public required int Layer { get; init; }
    public required string Module { get; init; }
    public required Parameter A { get; init; }
    public required Parameter B { get; init; }
}

/// <summary>A LoRA adapter in PEFT's format: adapter_config.json + adapter_model.safetensors.</summary>
public sealed class LoraAdapter
{
    public LoraConfig Config { get; }
    public IReadOnlyList<LoraPair> Pairs { get; }
    private readonly Dictionary<(int, string), LoraPair> _byKey;

    private LoraAdapter(LoraConfig config, List<LoraPair> pairs)
    {
        Config = config; Pairs = pairs;
        _byKey = pairs.ToDictionary(p => (p.Layer, p.Module));
    }

    public LoraPair? Get(int layer, string module) => _byKey.GetValueOrDefault((layer, module));

    public static string TensorName(int layer, string module, char ab)
    {
        string block = module is "gate_proj" or "up_proj" or "down_proj" ? "mlp" : "self_attn";
        return $"base_model.model.model.layers.{layer}.{block}.{module}.lora_{ab}.weight";
    }

    public IEnumerable<Parameter> Parameters() => Pairs.SelectMany(p => new[] { p.A, p.B });
    public long ParameterCount() => Parameters().Sum(p => (long)p.Data.Length);

    /// <summary>PEFT's initialization: A uniform in ±1/sqrt(in) (kaiming_uniform with a = √5), B zero, so the adapter starts as the identity.</summary>
    public static LoraAdapter Create(LlamaWeights model, LoraConfig config, ulong seed)
    {
        var rng = new SplitMix(seed);
        var pairs = new List<LoraPair>();
        for (int l = 0; l < model.Layers.Length; l++)
            foreach (var m in LlamaWeights.LinearModules.Where(config.TargetModules.Contains))
            {
                var w = model.Layers[l].Linear(m);
                int outDim = w.Rows, inDim = w.Cols;
                if (config.Rank > Math.Min(inDim, outDim))
                    throw new ArgumentException($"LoRA rank {config.Rank} is larger than layer {l} {m} ({outDim}×{inDim}) allows");
                var a = new Parameter(TensorName(l, m, 'A'), [config.Rank, inDim]);
                double bound = 1.0 / Math.Sqrt(inDim);
                for (int i = 0; i < a.Data.Length; i++) a.Data[i] = (float)((rng.NextDouble() * 2 - 1) * bound);
                pairs.Add(new LoraPair { Layer = l, Module = m, A = a, B = new Parameter(TensorName(l, m, 'B'), [outDim, config.Rank]) });
            }
        if (pairs.Count == 0) throw new ArgumentException("the LoRA config targets no module of this model");
        return new LoraAdapter(config, pairs);
    }

    public static LoraAdapter Load(string directory, LlamaWeights model)
    {
        string cfgPath = Path.Combine(directory, "adapter_config.json");
        if (!File.Exists(cfgPath)) throw new FileNotFoundException($"{directory}: adapter_config.json is missing", cfgPath);
        var config = LoraConfig.Parse(JsonNode.Parse(File.ReadAllText(cfgPath))?.AsObject() ?? throw new InvalidDataException($"{cfgPath}: empty"), cfgPath);
        string tPath = Path.Combine(directory, "adapter_model.safetensors");
        if (!File.Exists(tPath)) throw new FileNotFoundException($"{directory}: adapter_model.safetensors is missing", tPath);
        using var file = SafeTensorsFile.Open(tPath);
        var pairs = new List<LoraPair>();
        var used = new HashSet<string>();
        for (int l = 0; l < model.Layers.Length; l++)
            foreach (var m in LlamaWeights.LinearModules.Where(config.TargetModules.Contains))
            {
                var w = model.Layers[l].Linear(m);
                if (config.Rank > Math.Min(w.Rows, w.Cols)) throw new InvalidDataException($"{cfgPath}: rank {config.Rank} is larger than layer {l} {m} ({w.Rows}×{w.Cols}) allows");
                string an = TensorName(l, m, 'A'), bn = TensorName(l, m, 'B');
                var a = new Parameter(an, [config.Rank, w.Cols], file.ReadFloat(an, [config.Rank, w.Cols]));
                var b = new Parameter(bn, [w.Rows, config.Rank], file.ReadFloat(bn, [w.Rows, config.Rank]));
                used.Add(an); used.Add(bn);
                pairs.Add(new LoraPair { Layer = l, Module = m, A = a, B = b });
            }
        var extra = file.Tensors.Keys.Where(k => !used.Contains(k)).ToList();
        if (extra.Count > 0) throw new InvalidDataException($"{tPath}: tensor '{extra[0]}' does not belong to this model's LoRA layout ({extra.Count} unexpected)");
        return new LoraAdapter(config, pairs);
    }

    /// <summary>Writes both files (each atomically); returns the safetensors path.</summary>
    public string Save(string directory)
    {
        Directory.CreateDirectory(directory);
        string tPath = Path.Combine(directory, "adapter_model.safetensors");
        SafeTensorsWriter.Write(tPath, Parameters().Select(p => new SafeTensorsWriter.Entry(p.Name, p.Shape, p.Data)),
            new Dictionary<string, string> { ["format"] = "pt" });
        AtomicFile.WriteAllText(Path.Combine(directory, "adapter_config.json"), Config.ToJson().ToJsonString(new System.Text.Json.JsonSerializerOptions { WriteIndented = true }));
        return tPath;
    }

    /// <summary>W += sign · scale · B·A for every pair (merge with +1, unmerge with −1).</summary>
    public void Merge(LlamaWeights model, int sign = 1)
    {
        float s = sign * Config.Scale;
        foreach (var p in Pairs)
        {
            var w = model.Layers[p.Layer].Linear(p.Module);
            var delta = new float[w.Data.Length];
            Gemm.Multiply(false, false, w.Rows, w.Cols, Config.Rank, p.B.Data, Config.Rank, p.A.Data, w.Cols, delta, w.Cols);
            for (int i = 0; i < delta.Length; i++) w.Data[i] += s * delta[i];
        }
    }

    public void Unmerge(LlamaWeights model) => Merge(model, -1);
}
