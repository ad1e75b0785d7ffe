using System.Text.Json.Nodes;
using OpenLedger.AI.Tokenization;

namespace OpenLedger.AI.Tests;

/// <summary>
/// A small byte-level BPE tokenizer.json whose merges build each listed word (with its leading space) into one
/// token: the real HF format and loader, with a vocabulary of a few hundred entries so tests stay fast.
/// </summary>
internal static class WordTokenizer
{
    public static void Write(string dir, IEnumerable<string> words)
    {
        var map = Gpt2TokenizerJson.ByteToUnicode();
        var vocab = new JsonObject();
        int next = 0;
        vocab["<|endoftext|>"] = next++;
        var seen = new HashSet<string>();
        for (int b = 0; b < 256; b++) { vocab[map[b].ToString()] = next++; seen.Add(map[b].ToString()); }
        var merges = new JsonArray();
        foreach (var w in words.Distinct())
        {
            string u = string.Concat(System.Text.Encoding.UTF8.GetBytes(w).Select(b => map[b]));
            string acc = u[..1];
            for (int i = 1; i < u.Length; i++)
            {
                string merged = acc + u[i];
                if (seen.Add(merged)) { merges.Add(acc + " " + u[i]); vocab[merged] = next++; }
                acc = merged;
            }
        }
        var root = new JsonObject
        {
            ["added_tokens"] = new JsonArray(new JsonObject { ["id"] = 0, ["content"] = "<|endoftext|>", ["special"] = true }),
            ["pre_tokenizer"] = new JsonObject { ["type"] = "ByteLevel", ["add_prefix_space"] = false, ["use_regex"] = true },
            ["decoder"] = new JsonObject { ["type"] = "ByteLevel" },
            ["model"] = new JsonObject { ["type"] = "BPE", ["vocab"] = vocab, ["merges"] = merges },
        };
        File.WriteAllText(Path.Combine(dir, "tokenizer.json"), root.ToJsonString());
    }
}
