using Microsoft.ML.Tokenizers;

namespace OpenLedger.Attribution.Spans;

/// <summary>
/// Text to token ids with OpenAI's cl100k_base BPE (Microsoft.ML.Tokenizers' TiktokenTokenizer; the ranks ship in
/// the Microsoft.ML.Tokenizers.Data.Cl100kBase package, so nothing is downloaded at run time). Ids lie below
/// 100,277, inside the 17 bits the index stores per token.
/// </summary>
public sealed class CorpusTokenizer
{
    private readonly Tokenizer _tokenizer;

    public CorpusTokenizer()
    {
        _tokenizer = TiktokenTokenizer.CreateForEncoding("cl100k_base");
        // cl100k_base has BPE ranks 0..100255; its special tokens (<|endoftext|> …) sit just above them.
        int max = BpeRanks - 1;
        if (((TiktokenTokenizer)_tokenizer).SpecialTokens is { Count: > 0 } special) max = Math.Max(max, special.Values.Max());
        VocabularySize = max + 1;
    }

    private const int BpeRanks = 100_256;

    public string Name => "cl100k_base";
    public int VocabularySize { get; }

    public int[] Encode(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return _tokenizer.EncodeToIds(text).ToArray();
    }

    public string Decode(IEnumerable<int> ids)
    {
        var list = ids.ToList();
        foreach (var id in list)
            if ((uint)id >= (uint)VocabularySize) throw new ArgumentException($"token {id} is outside the vocabulary [0, {VocabularySize})");
        return _tokenizer.Decode(list);
    }
}
