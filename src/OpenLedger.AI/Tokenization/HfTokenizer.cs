using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.ML.Tokenizers;

namespace OpenLedger.AI.Tokenization;

/// <summary>
/// A Hugging Face tokenizer.json with a byte-level BPE model (GPT-2, SmolLM2, Llama 3 families), run by
/// Microsoft.ML.Tokenizers' BpeTokenizer. Other model types are refused with a clear error.
/// </summary>
public sealed class HfTokenizer
{
    /// <summary>GPT-2's pre-tokenization pattern (HF's ByteLevel pre-tokenizer with use_regex).</summary>
    public const string Gpt2Pattern = @"'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+";

    private readonly BpeTokenizer _bpe;
    public IReadOnlyDictionary<string, int> SpecialTokens { get; }
    public int VocabularySize { get; }

    private HfTokenizer(BpeTokenizer bpe, IReadOnlyDictionary<string, int> specials, int vocabSize)
    {
        _bpe = bpe; SpecialTokens = specials; VocabularySize = vocabSize;
    }

    public static Definition ReadDefinition(string directory)
    {
        string path = Path.Combine(directory, "tokenizer.json");
        if (!File.Exists(path)) throw new FileNotFoundException($"{directory}: tokenizer.json is missing", path);
        JsonObject root;
        try { root = JsonNode.Parse(File.ReadAllText(path))?.AsObject() ?? throw new InvalidDataException($"{path}: empty"); }
        catch (System.Text.Json.JsonException e) { throw new InvalidDataException($"{path}: not JSON: {e.Message}"); }
        var model = root["model"] as JsonObject ?? throw new InvalidDataException($"{path}: 'model' is missing");
        string type = model["type"]?.GetValue<string>() ?? "";
        if (type != "BPE") throw new NotSupportedException($"{path}: tokenizer model type '{type}' is not supported (byte-level BPE is)");
        var vocabObj = model["vocab"] as JsonObject ?? throw new InvalidDataException($"{path}: model.vocab is missing");
        var vocab = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var (tok, id) in vocabObj) vocab[tok] = id!.GetValue<int>();
        var merges = new List<string>();
        if (model["merges"] is JsonArray ma)
            foreach (var m in ma)
                merges.Add(m switch
                {
                    JsonArray pair when pair.Count == 2 => pair[0]!.GetValue<string>() + " " + pair[1]!.GetValue<string>(),
                    JsonValue v => v.GetValue<string>(),
                    _ => throw new InvalidDataException($"{path}: a merge is neither \"a b\" nor [a, b]"),
                });
        var specials = new Dictionary<string, int>(StringComparer.Ordinal);
        if (root["added_tokens"] is JsonArray added)
            foreach (var t in added)
                specials[t!["content"]!.GetValue<string>()] = t["id"]!.GetValue<int>();
        string pattern = Gpt2Pattern;
        bool byteLevel = false;
        void Visit(JsonNode? pt)
        {
            if (pt is not JsonObject o) return;
            switch (o["type"]?.GetValue<string>())
            {
                case "ByteLevel": byteLevel = true; break;
                case "Split": if (o["pattern"]?["Regex"]?.GetValue<string>() is { } rx) pattern = rx; break;
                case "Sequence": foreach (var p in o["pretokenizers"] as JsonArray ?? []) Visit(p); break;
            }
        }
        Visit(root["pre_tokenizer"]);
        if (!byteLevel) throw new NotSupportedException($"{path}: only byte-level BPE tokenizers are supported (no ByteLevel pre-tokenizer found)");
        return new Definition(vocab, merges, specials, pattern);
    }

    /// <summary>What tokenizer.json defines for a byte-level BPE: vocabulary, merges ("a b"), added tokens, the pre-tokenizer's split regex.</summary>
    public sealed record Definition(Dictionary<string, int> Vocab, List<string> Merges, Dictionary<string, int> Specials, string Pattern);

    public static HfTokenizer Load(string directory)
    {
        var (vocab, merges, specials, pattern) = ReadDefinition(directory);
        var options = new BpeOptions(vocab)
        {
            Merges = merges,
            ByteLevel = true,
            SpecialTokens = specials,
            PreTokenizer = new RegexPreTokenizer(new Regex(pattern, RegexOptions.Compiled), specials),
        };
        int size = Math.Max(vocab.Values.DefaultIfEmpty(-1).Max(), specials.Values.DefaultIfEmpty(-1).Max()) + 1;
        return new HfTokenizer(BpeTokenizer.Create(options), specials, size);
    }

    public int[] Encode(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return _bpe.EncodeToIds(text).ToArray();
    }

    public string Decode(IEnumerable<int> ids)
    {
        var list = ids.ToList();
        foreach (var id in list)
            if ((uint)id >= (uint)VocabularySize) throw new ArgumentOutOfRangeException(nameof(ids), $"token {id} is outside the vocabulary [0, {VocabularySize})");
        return _bpe.Decode(list) ?? "";
    }
}
