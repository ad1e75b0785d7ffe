using System.Text.Json.Nodes;
using OpenLedger.AI.Factory;
using OpenLedger.AI.Model;
using OpenLedger.Attribution.Records;
using OpenLedger.Attribution.Scoring;
using OpenLedger.Primitives;
using OpenLedger.Serving.Adapters;
using OpenLedger.Serving.Attribution;

namespace OpenLedger.Settlement.Prover;

/// <summary>
/// Recomputes a record from the serving node's inference log (docs/serving.md): the logged prompt and completion
/// tokens (plus EOS when the answer ended with it) are run through the same <see cref="InferenceAttributor"/> the
/// server uses (sketch records: the query sketch again; span records: the answer text against the adapter's spans.olsx), on the base model and the adapter whose files hash to the record's model id, with the logged top-k;
/// the rebuilt record must hash to the committed one.
/// </summary>
public sealed class InferenceReplay : IDisposable
{
    private readonly Dictionary<Hash256, JsonObject> _lines = new();
    private readonly string _adaptersRoot;
    private readonly LlamaWeights _weights;
    private readonly int? _eos;
    private readonly AdapterCache _cache;
    private readonly IAttributionScorer _scorer;
    private readonly OpenLedger.AI.Tokenization.HfTokenizer _tokenizer;

    public InferenceReplay(IEnumerable<string> logPaths, string baseModelDir, string adaptersRoot)
    {
        foreach (var path in logPaths)
        {
            if (!File.Exists(path)) throw new FileNotFoundException($"inference log {path} does not exist");
            foreach (var line in InferenceLog.Read(path))
                if (line["recordHash"]?.GetValue<string>() is { } h && Hash256.TryParse(h, out var hash)) _lines[hash] = line;
        }
        var (model, tokenizer) = ModelFactory.Load(baseModelDir);
        _tokenizer = tokenizer;
        _weights = model.Weights;
        _eos = ModelFactory.Eos(model.Config);
        _adaptersRoot = adaptersRoot;
        _cache = new AdapterCache(_weights, 1L << 30);
        _scorer = new SimdCpuScorer();
    }

    /// <summary>Null when the log reproduces the record bit for bit; otherwise why not.</summary>
    public string? Check(AttributionRecord record)
    {
        var hash = record.Hash();
        if (!_lines.TryGetValue(hash, out var line)) return $"no inference log entry for record {hash}";
        try
        {
            if (line["inferenceId"]?.GetValue<string>() is not { } id || Hash256.Parse(id) != record.InferenceId) return "the log entry's inference id is not the record's";
            if (line["fee"]?.GetValue<string>() is not { } fee || UInt256.Parse(fee) != record.Fee) return "the log entry's fee is not the record's";
            int[] prompt = line["promptTokens"]!.AsArray().Select(t => t!.GetValue<int>()).ToArray();
            int[] answer = line["completionTokens"]!.AsArray().Select(t => t!.GetValue<int>()).ToArray();
            if (line["endedWithEos"]?.GetValue<bool>() == true)
                answer = _eos is { } eos ? [.. answer, eos] : throw new InvalidDataException("the log says the answer ended with EOS but the base model has none");
            int topK = record.Method == AttributionMethod.GradientSketch
                ? line["sketchTopK"]?.GetValue<int>() ?? throw new InvalidDataException("the log entry has no sketchTopK")
                : InferenceAttributor.DefaultTopK; // span records do not use it
            var hex = record.ModelId.ToString();
            var dir = AdapterFiles.Find(_adaptersRoot, [hex, hex[2..]]) ?? FindByContent(record.ModelId);
            if (dir == null) return $"adapter {hex} is not under {_adaptersRoot}";
            if (AdapterFiles.Hash(dir) != record.ModelId) return $"the adapter files in {dir} do not hash to {hex}";
            var loaded = _cache.GetAsync(new AdapterEntry(hex, null, record.ModelId, UInt256.Zero, dir)).GetAwaiter().GetResult();
            var again = new InferenceAttributor(_weights, _scorer, topK, _tokenizer).Build(loaded, record.InferenceId, prompt, answer, record.Fee);
            if (again == null) return $"adapter {hex} has no sketch store or span index: the record cannot be recomputed";
            return again.Hash() == hash ? null : $"recomputing from the logged tokens gives record {again.Hash()}, not {hash}";
        }
        catch (Exception e) when (e is FormatException or InvalidDataException or InvalidOperationException or ArgumentException or NullReferenceException or System.Text.Json.JsonException)
        {
            return $"the log entry cannot be replayed: {e.Message}";
        }
    }

    /// <summary>
    /// An adapter stored under another name (serve also finds registered adapters at DIR/&lt;registry id&gt;/): the
    /// directory whose weights hash to <paramref name="modelId"/>, each directory hashed once per replay.
    /// </summary>
    private string? FindByContent(Hash256 modelId)
    {
        if (_byContent == null)
        {
            _byContent = new Dictionary<Hash256, string>();
            if (Directory.Exists(_adaptersRoot))
                foreach (var d in Directory.EnumerateDirectories(_adaptersRoot).Order(StringComparer.Ordinal))
                    if (AdapterFiles.IsAdapterDir(d)) _byContent.TryAdd(AdapterFiles.Hash(d), d);
        }
        return _byContent.GetValueOrDefault(modelId);
    }

    private Dictionary<Hash256, string>? _byContent;

    public void Dispose() => _scorer.Dispose();
}
