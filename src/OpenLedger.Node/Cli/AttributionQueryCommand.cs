using System.CommandLine;
using System.Text.Json.Nodes;
using OpenLedger.Attribution.Records;
using OpenLedger.Attribution.Scoring;
using OpenLedger.Attribution.Sketching;
using OpenLedger.Attribution.Spans;
using OpenLedger.Primitives;

namespace OpenLedger.Node.Cli;

/// <summary>
/// `openledger attribution query`: scores one output and prints the attribution record (spans or sketch, shares,
/// hash) as JSON. Span mode takes the output text (or token ids); sketch mode takes the output's loss gradient.
/// </summary>
public static class AttributionQueryCommand
{
    public static Command Create()
    {
        var index = new Option<string?>("--index") { Description = "A suffix-array index (span mode)." };
        var store = new Option<string?>("--store") { Description = "A sketch store (sketch mode)." };
        var text = new Option<string?>("--text") { Description = "The model output to attribute (span mode)." };
        var tokens = new Option<string?>("--tokens") { Description = "The output as comma-separated cl100k token ids (span mode)." };
        var gradient = new Option<string?>("--gradient") { Description = "A JSON file holding the output's loss gradient as an array (sketch mode)." };
        var minLen = new Option<int>("--min-len") { Description = "Shortest span that earns credit, in tokens.", DefaultValueFactory = _ => 8 };
        var top = new Option<int>("--top") { Description = "Contributions kept per query (sketch mode).", DefaultValueFactory = _ => 10 };
        var backend = new Option<string>("--backend") { Description = "auto, simd-cpu, ilgpu-cpu or ilgpu-cuda (sketch mode).", DefaultValueFactory = _ => "auto" };
        var fee = new Option<string>("--fee") { Description = "Fee paid for the inference, in wei.", DefaultValueFactory = _ => "0" };
        var model = new Option<string?>("--model-id") { Description = "Model id (32-byte hex); sketch mode defaults to the store's." };
        var inference = new Option<string?>("--inference-id") { Description = "Inference id (32-byte hex); defaults to keccak256 of the output." };
        var noNormalize = new Option<bool>("--no-normalize") { Description = "The store was built with --no-normalize." };
        var cmd = new Command("query", "Attribute one output: print its spans or top contributions and basis-point shares as JSON.")
            { index, store, text, tokens, gradient, minLen, top, backend, fee, model, inference, noNormalize };
        cmd.SetAction(parse => AttributionCommand.Guard(() =>
        {
            if (!UInt256.TryParse(parse.GetValue(fee), out var feeValue)) throw new CliException($"--fee must be a non-negative integer, got '{parse.GetValue(fee)}'", CliApp.UsageError);
            string? indexPath = parse.GetValue(index), storePath = parse.GetValue(store);
            if ((indexPath == null) == (storePath == null)) throw new CliException("give exactly one of --index (span mode) or --store (sketch mode)", CliApp.UsageError);
            Hash256? modelId = ParseHash(parse.GetValue(model), "--model-id");
            Hash256? inferenceId = ParseHash(parse.GetValue(inference), "--inference-id");
            if (indexPath != null)
            {
                int min = parse.GetValue(minLen);
                if (min < 1) throw new CliException($"--min-len must be at least 1, got {min}", CliApp.UsageError);
                return QuerySpans(indexPath, parse.GetValue(text), parse.GetValue(tokens), min, feeValue,
                    modelId ?? throw new CliException("--model-id is required in span mode", CliApp.UsageError), inferenceId);
            }
            string backendName = parse.GetValue(backend)!;
            if (backendName is not ("auto" or "simd-cpu" or "ilgpu-cpu" or "ilgpu-cuda"))
                throw new CliException($"--backend must be auto, simd-cpu, ilgpu-cpu or ilgpu-cuda, got '{backendName}'", CliApp.UsageError);
            int topK = parse.GetValue(top);
            if (topK is < 1 or > MaxTop) throw new CliException($"--top must be from 1 to {MaxTop}, got {topK}", CliApp.UsageError);
            var gradientPath = AttributionCommand.Require(parse.GetValue(gradient), "--gradient");
            return QuerySketch(storePath!, gradientPath, topK, backendName, feeValue, modelId, inferenceId, !parse.GetValue(noNormalize));
        }));
        return cmd;
    }

    private static Hash256? ParseHash(string? text, string option)
    {
        if (text == null) return null;
        return Hash256.TryParse(text, out var h) ? h : throw new CliException($"{option} must be 32 bytes of hex, got '{text}'", CliApp.UsageError);
    }

    private static int QuerySpans(string indexPath, string? text, string? tokenList, int minLen, UInt256 fee, Hash256 modelId, Hash256? inferenceId)
    {
        if ((text == null) == (tokenList == null)) throw new CliException("give exactly one of --text or --tokens", CliApp.UsageError);
        int[] output;
        if (text != null) output = new CorpusTokenizer().Encode(text);
        else
        {
            try { output = tokenList!.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Select(int.Parse).ToArray(); }
            catch (Exception e) when (e is FormatException or OverflowException) { throw new CliException("--tokens must be comma-separated integers (token ids)", CliApp.UsageError); }
        }
        using var index = SuffixIndex.Open(indexPath);
        foreach (var t in output)
            if ((uint)t >= (uint)index.VocabularySize)
                throw new CliException($"--tokens: token {t} is outside the index's vocabulary [0, {index.VocabularySize})", CliApp.UsageError);
        var result = new SpanAttributor(index, new SpanOptions(MinLength: minLen)).Attribute(output);
        var id = inferenceId ?? Keccak256.Compute(System.Runtime.InteropServices.MemoryMarshal.AsBytes(output.AsSpan()));
        var record = AttributionRecord.ForSpans(modelId, id, result.Spans, fee, result.Shares);
        var json = AttributionRecordJson.ToJson(record);
        json["credits"] = new JsonArray(result.Credits.Select(c => (JsonNode)new JsonObject { ["contribution"] = c.ContributionId, ["credit"] = c.Credit }).ToArray());
        AttributionCommand.WriteJson(json, null);
        return CliApp.Ok;
    }

    /// <summary>Contributions one query may ask for.</summary>
    private const int MaxTop = 10_000;

    /// <summary>A JSON array of finite numbers; anything else is named with its position.</summary>
    private static double[] ReadGradient(string path)
    {
        var node = AttributionCommand.ReadJson(path);
        if (node is not System.Text.Json.Nodes.JsonArray arr || arr.Count == 0) throw new FormatException($"{path}: the gradient must be a non-empty JSON array of numbers");
        var g = new double[arr.Count];
        for (int i = 0; i < g.Length; i++)
        {
            if (arr[i] is not System.Text.Json.Nodes.JsonValue v || !v.TryGetValue(out double x) || !double.IsFinite(x))
                throw new FormatException($"{path}: gradient entry {i} is {(arr[i] is null ? "null" : arr[i]!.ToJsonString())}, not a finite number");
            g[i] = x;
        }
        return g;
    }

    private static int QuerySketch(string storePath, string gradientPath, int topK, string backend, UInt256 fee, Hash256? modelId, Hash256? inferenceId, bool normalize)
    {
        var g = ReadGradient(gradientPath);
        using var store = SketchStore.Open(storePath);
        if (store.Header.GradientDimension != 0 && g.Length != store.Header.GradientDimension)
            throw new CliException($"{gradientPath}: the gradient has {g.Length} values, but the store's sketches were made from {store.Header.GradientDimension}", CliApp.Failure);
        if (modelId is { } m && m != store.ModelId) throw new CliException($"--model-id {m} does not match the store's model {store.ModelId}", CliApp.Failure);
        var sketcher = new GradientSketcher(g.Length, store.K, store.Header.Seed, normalize, store.Header.ScaleShift);
        var query = sketcher.Sketch(g);
        using var scorer = ScorerFactory.Create(backend);
        var top = scorer.Score(store, [query], topK)[0];
        var shares = SketchAttribution.Shares(top);
        var bytes = new byte[query.Dimension];
        for (int i = 0; i < bytes.Length; i++) bytes[i] = (byte)query.Values[i];
        var record = AttributionRecord.ForSketch(store.ModelId, inferenceId ?? Keccak256.Compute(bytes), query, fee, shares);
        var json = AttributionRecordJson.ToJson(record);
        json["backend"] = scorer.Name;
        json["top"] = new JsonArray(top.Select(t => (JsonNode)new JsonObject { ["contribution"] = t.ContributionId, ["dot"] = t.Dot, ["scale"] = t.Scale, ["score"] = t.Score.ToString() }).ToArray());
        AttributionCommand.WriteJson(json, null);
        return CliApp.Ok;
    }
}
