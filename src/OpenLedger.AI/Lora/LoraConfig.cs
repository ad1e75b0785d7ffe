using System.Text.Json.Nodes;

namespace OpenLedger.AI.Lora;

/// <summary>PEFT's adapter_config.json for LoRA: rank, alpha, target modules, rsLoRA.</summary>
public sealed record LoraConfig
{
    public int Rank { get; init; } = 8;
    public double Alpha { get; init; } = 16;
    public string[] TargetModules { get; init; } = ["q_proj", "v_proj"];
    public bool UseRsLora { get; init; }
    public string BaseModel { get; init; } = "";

    /// <summary>PEFT's scaling: alpha / r, or alpha / sqrt(r) with rsLoRA.</summary>
    public float Scale => (float)(UseRsLora ? Alpha / Math.Sqrt(Rank) : Alpha / Rank);

    public JsonObject ToJson() => new()
    {
        ["peft_type"] = "LORA",
        ["task_type"] = "CAUSAL_LM",
        ["base_model_name_or_path"] = BaseModel,
        ["r"] = Rank,
        ["lora_alpha"] = Alpha,
        ["lora_dropout"] = 0.0,
        ["target_modules"] = new JsonArray(TargetModules.Select(t => (JsonNode)t).ToArray()),
        ["use_rslora"] = UseRsLora,
        ["bias"] = "none",
        ["fan_in_fan_out"] = false,
        ["inference_mode"] = true,
    };

    public static LoraConfig Parse(JsonObject o, string source)
    {
        string type = o["peft_type"]?.GetValue<string>() ?? "";
        if (type != "LORA") throw new NotSupportedException($"{source}: peft_type '{type}' is not supported (LORA is)");
        int r = o["r"]?.GetValue<int>() ?? throw new InvalidDataException($"{source}: 'r' is missing");
        if (r <= 0) throw new InvalidDataException($"{source}: r must be positive, is {r}");
        double alpha = o["lora_alpha"]?.GetValue<double>() ?? r;
        string[] targets = o["target_modules"] switch
        {
            JsonArray a => a.Select(x => x!.GetValue<string>()).ToArray(),
            JsonValue v => [v.GetValue<string>()],
            _ => throw new InvalidDataException($"{source}: target_modules is missing"),
        };
        foreach (var t in targets)
            if (!Model.LlamaWeights.LinearModules.Contains(t)) throw new NotSupportedException($"{source}: target module '{t}' is not a Llama projection ({string.Join(", ", Model.LlamaWeights.LinearModules)})");
        if (o["fan_in_fan_out"]?.GetValue<bool>() == true) throw new NotSupportedException($"{source}: fan_in_fan_out true is not supported");
        if (o["bias"]?.GetValue<string>() is { } bias && bias != "none") throw new NotSupportedException($"{source}: bias '{bias}' is not supported (none is)");
        return new LoraConfig { Rank = r, Alpha = alpha, TargetModules = targets, UseRsLora = o["use_rslora"]?.GetValue<bool>() ?? false, BaseModel = o["base_model_name_or_path"]?.GetValue<string>() ?? "" };
    }
}
