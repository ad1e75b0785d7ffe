using System.Text.Json.Nodes;
using OpenLedger.AI.Compute;

namespace OpenLedger.AI.Model;

/// <summary>
/// The fields of a Hugging Face Llama config.json this runtime uses. Parsing rejects other architectures, features
/// it does not implement (biases, other activations) and inconsistent sizes, each with one message naming the field.
/// </summary>
public sealed record LlamaConfig
{
    public int HiddenSize { get; init; }
    public int IntermediateSize { get; init; }
    public int NumLayers { get; init; }
    public int NumHeads { get; init; }
    public int NumKvHeads { get; init; }
    public int HeadDim { get; init; }
    public int VocabSize { get; init; }
    public int MaxPositions { get; init; }
    public float RmsNormEps { get; init; } = 1e-5f;
    public double RopeTheta { get; init; } = 10000;
    public RopeScaling? RopeScaling { get; init; }
    public bool TieWordEmbeddings { get; init; }
    public int? BosTokenId { get; init; }
    public int[] EosTokenIds { get; init; } = [];
    public string TorchDtype { get; init; } = "float32";

    public int QDim => NumHeads * HeadDim;
    public int KvDim => NumKvHeads * HeadDim;

    public long ParameterCount()
    {
        long d = HiddenSize, perLayer = 2 * d + d * QDim + 2 * d * KvDim + QDim * d + 3 * d * IntermediateSize;
        return VocabSize * d * (TieWordEmbeddings ? 1 : 2) + NumLayers * perLayer + d;
    }

    public static LlamaConfig Load(string directory)
    {
        string path = Path.Combine(directory, "config.json");
        if (!File.Exists(path)) throw new FileNotFoundException($"{directory}: config.json is missing", path);
        JsonObject o;
        try { o = JsonNode.Parse(File.ReadAllText(path))?.AsObject() ?? throw new InvalidDataException($"{path}: empty"); }
        catch (System.Text.Json.JsonException e) { throw new InvalidDataException($"{path}: not JSON: {e.Message}"); }
        return Parse(o, path);
    }

    public static LlamaConfig Parse(JsonObject o, string source = "config.json")
    {
        string modelType = o["model_type"]?.GetValue<string>() ?? "";
        var archs = (o["architectures"] as JsonArray)?.Select(a => a?.GetValue<string>() ?? "").ToList() ?? [];
        if (modelType != "llama" || (archs.Count > 0 && !archs.Contains("LlamaForCausalLM")))
            throw new NotSupportedException($"{source}: unknown architecture (model_type '{modelType}', architectures [{string.Join(", ", archs)}]); this runtime loads model_type 'llama' / LlamaForCausalLM");
        int Req(string f)
        {
            var n = o[f] ?? throw new InvalidDataException($"{source}: '{f}' is missing");
            int v = n.GetValue<int>();
            if (v <= 0) throw new InvalidDataException($"{source}: '{f}' must be positive, is {v}");
            return v;
        }
        if (o["hidden_act"]?.GetValue<string>() is { } act && act != "silu") throw new NotSupportedException($"{source}: hidden_act '{act}' is not supported (silu is)");
        if (o["attention_bias"]?.GetValue<bool>() == true) throw new NotSupportedException($"{source}: attention_bias true is not supported");
        if (o["mlp_bias"]?.GetValue<bool>() == true) throw new NotSupportedException($"{source}: mlp_bias true is not supported");
        int hidden = Req("hidden_size"), heads = Req("num_attention_heads");
        int kv = o["num_key_value_heads"] is null ? heads : Req("num_key_value_heads");
        if (heads % kv != 0) throw new InvalidDataException($"{source}: num_attention_heads {heads} is not a multiple of num_key_value_heads {kv}");
        int headDim = o["head_dim"] is null ? hidden / heads : Req("head_dim");
        if (o["head_dim"] is null && hidden % heads != 0) throw new InvalidDataException($"{source}: hidden_size {hidden} is not divisible by num_attention_heads {heads}");
        RopeScaling? scaling = null;
        if (o["rope_scaling"] is JsonObject rs)
        {
            string type = (rs["rope_type"] ?? rs["type"])?.GetValue<string>() ?? throw new InvalidDataException($"{source}: rope_scaling has no rope_type");
            if (type != "default")
                scaling = new RopeScaling(type, rs["factor"]?.GetValue<double>() ?? throw new InvalidDataException($"{source}: rope_scaling.factor is missing"),
                    rs["low_freq_factor"]?.GetValue<double>() ?? 1, rs["high_freq_factor"]?.GetValue<double>() ?? 4,
                    rs["original_max_position_embeddings"]?.GetValue<int>() ?? 8192);
            if (scaling is { Type: not ("linear" or "llama3") }) throw new NotSupportedException($"{source}: rope_scaling type '{type}' is not supported (linear, llama3 are)");
        }
        int[] eos = o["eos_token_id"] switch
        {
            JsonArray a => a.Select(x => x!.GetValue<int>()).ToArray(),
            JsonValue v => [v.GetValue<int>()],
            _ => [],
        };
        return new LlamaConfig
        {
            HiddenSize = hidden, IntermediateSize = Req("intermediate_size"), NumLayers = Req("num_hidden_layers"),
            NumHeads = heads, NumKvHeads = kv, HeadDim = headDim, VocabSize = Req("vocab_size"),
            MaxPositions = o["max_position_embeddings"] is null ? 2048 : Req("max_position_embeddings"),
            RmsNormEps = (float)(o["rms_norm_eps"]?.GetValue<double>() ?? 1e-6),
            RopeTheta = o["rope_theta"]?.GetValue<double>() ?? 10000,
            RopeScaling = scaling,
            TieWordEmbeddings = o["tie_word_embeddings"]?.GetValue<bool>() ?? false,
            BosTokenId = o["bos_token_id"]?.GetValue<int>(),
            EosTokenIds = eos,
            TorchDtype = o["torch_dtype"]?.GetValue<string>() ?? "float32",
        };
    }

    public JsonObject ToJson()
    {
        var o = new JsonObject
        {
            ["architectures"] = new JsonArray("LlamaForCausalLM"),
            ["model_type"] = "llama",
            ["hidden_act"] = "silu",
            ["attention_bias"] = false,
            ["mlp_bias"] = false,
            ["hidden_size"] = HiddenSize,
            ["intermediate_size"] = IntermediateSize,
            ["num_hidden_layers"] = NumLayers,
            ["num_attention_heads"] = NumHeads,
            ["num_key_value_heads"] = NumKvHeads,
            ["head_dim"] = HeadDim,
            ["vocab_size"] = VocabSize,
            ["max_position_embeddings"] = MaxPositions,
            ["rms_norm_eps"] = RmsNormEps,
            ["rope_theta"] = RopeTheta,
            ["rope_scaling"] = RopeScaling is { } s ? new JsonObject { ["rope_type"] = s.Type, ["factor"] = s.Factor, ["low_freq_factor"] = s.LowFreqFactor, ["high_freq_factor"] = s.HighFreqFactor, ["original_max_position_embeddings"] = s.OriginalMaxPositions } : null,
            ["tie_word_embeddings"] = TieWordEmbeddings,
            ["torch_dtype"] = TorchDtype,
        };
        if (BosTokenId is { } b) o["bos_token_id"] = b;
        if (EosTokenIds.Length == 1) o["eos_token_id"] = EosTokenIds[0];
        else if (EosTokenIds.Length > 1) o["eos_token_id"] = new JsonArray(EosTokenIds.Select(x => (JsonNode)x).ToArray());
        return o;
    }
}
