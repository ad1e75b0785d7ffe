using Microsoft.ML.Tokenizers;
using OpenLedger.AI.Tokenization;

namespace OpenLedger.AI.Tests;

public class TokenizerTests
{
    [Fact]
    public void Gpt2_tokenizer_json_encodes_like_the_tiktoken_ranks_and_round_trips()
    {
        string dir = TinyModels.TempDir();
        int eot = Gpt2TokenizerJson.Write(Path.Combine(dir, "tokenizer.json"));
        Assert.Equal(50256, eot);
        var tok = HfTokenizer.Load(dir);
        Assert.Equal(50257, tok.VocabularySize);
        var reference = TiktokenTokenizer.CreateForModel("gpt2");
        foreach (var text in new[] { "Hello world! It's 2026, and the café serves 42 crêpes.", "  indented\n\tcode(x) => x*2;", "OpenLedger's ModelFactory fine-tunes LoRA adapters." })
        {
            var ids = tok.Encode(text);
            Assert.Equal(reference.EncodeToIds(text).ToArray(), ids);
            Assert.Equal(text, tok.Decode(ids));
        }
        Assert.Equal([eot], tok.Encode("<|endoftext|>"));
    }

    [Fact]
    public void Other_tokenizer_models_are_refused_by_name()
    {
        string dir = TinyModels.TempDir();
        File.WriteAllText(Path.Combine(dir, "tokenizer.json"), """{"model":{"type":"Unigram","vocab":[]}}""");
        var e = Assert.Throws<NotSupportedException>(() => HfTokenizer.Load(dir));
        Assert.Contains("Unigram", e.Message);
        Assert.Throws<FileNotFoundException>(() => HfTokenizer.Load(TinyModels.TempDir()));
    }
}
