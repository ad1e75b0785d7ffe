using OpenLedger.Attribution.Spans;

namespace OpenLedger.Attribution.Tests;

public class SpanIndexTests
{
    private static List<TokenizedContribution> Corpus(int seed, int docs, int minLen, int maxLen, int vocab)
    {
        var rng = new Random(seed);
        var list = new List<TokenizedContribution>();
        for (int d = 0; d < docs; d++)
        {
            var t = new int[rng.Next(minLen, maxLen)];
            for (int i = 0; i < t.Length; i++) t[i] = rng.Next(vocab);
            list.Add(new TokenizedContribution(500UL + (ulong)d * 3, t));
        }
        return list;
    }

    /// <summary>Brute force: longest prefix of output[p..] found inside a single contribution, and its occurrence count.</summary>
    private static (int Len, int Count) Naive(List<TokenizedContribution> corpus, int[] output, int p, int maxLen)
    {
        for (int len = Math.Min(maxLen, output.Length - p); len > 0; len--)
        {
            int count = 0;
            foreach (var c in corpus)
                for (int s = 0; s + len <= c.Tokens.Length; s++)
                    if (c.Tokens.AsSpan(s, len).SequenceEqual(output.AsSpan(p, len))) count++;
            if (count > 0) return (len, count);
        }
        return (0, 0);
    }

    [Fact]
    public void Longest_matches_and_counts_agree_with_brute_force()
    {
        var corpus = Corpus(1, 30, 20, 80, 6); // tiny vocabulary: many repeats
        using var index = SuffixIndexBuilder.Build(corpus, 6);
        var rng = new Random(2);
        // Output mixes copied stretches with random tokens.
        var output = new List<int>();
        while (output.Count < 200)
        {
            var src = corpus[rng.Next(corpus.Count)].Tokens;
            int s = rng.Next(src.Length - 5);
            output.AddRange(src.Skip(s).Take(rng.Next(3, 15)));
            output.Add(rng.Next(6));
        }
        var arr = output.ToArray();
        var matches = new SpanMatcher(index, maxLength: 64).MatchAll(arr);
        for (int p = 0; p < arr.Length; p++)
        {
            var (len, count) = Naive(corpus, arr, p, 64);
            Assert.Equal(len, matches[p].Length);
            Assert.Equal(count, matches[p].Count);
        }
    }

    [Fact]
    public void No_match_crosses_a_contribution_boundary()
    {
        var a = new TokenizedContribution(1, [1, 2, 3, 4]);
        var b = new TokenizedContribution(2, [5, 6, 7, 8]);
        using var index = SuffixIndexBuilder.Build([a, b], 10);
        var m = new SpanMatcher(index).MatchAll([3, 4, 5, 6]);
        Assert.Equal(2, m[0].Length); // "3 4" only: "3 4 5" would span the end of a and the start of b
        Assert.Equal(2, m[2].Length);
    }

    [Fact]
    public void Spans_credit_the_contribution_they_were_copied_from()
    {
        var corpus = Corpus(3, 40, 100, 200, 50_000);
        using var index = SuffixIndexBuilder.Build(corpus, 50_000);
        var rng = new Random(4);
        var output = new List<int>();
        for (int i = 0; i < 10; i++) output.Add(rng.Next(50_000));
        output.AddRange(corpus[7].Tokens.Skip(10).Take(30)); // 30 tokens from contribution 7
        for (int i = 0; i < 5; i++) output.Add(rng.Next(50_000));
        output.AddRange(corpus[21].Tokens.Skip(40).Take(10)); // 10 tokens from contribution 21
        var result = new SpanAttributor(index, new SpanOptions(MinLength: 8)).Attribute(output.ToArray());

        Assert.Equal(2, result.Spans.Count);
        Assert.Equal((10, 30, 1L), (result.Spans[0].Position, result.Spans[0].Length, result.Spans[0].Count));
        Assert.Equal(10_000, result.Shares.Sum(s => s.BasisPoints));
        var byId = result.Shares.ToDictionary(s => s.ContributionId, s => s.BasisPoints);
        // credit 30·65536 vs 10·65536 → 7500 / 2500 bps exactly.
        Assert.Equal(7_500, byId[corpus[7].ContributionId]);
        Assert.Equal(2_500, byId[corpus[21].ContributionId]);
    }

    [Fact]
    public void Common_spans_are_split_by_rarity_and_boilerplate_earns_nothing()
    {
        var shared = Enumerable.Range(100, 12).ToArray();
        var docs = new List<TokenizedContribution>
        {
            new(10, [.. shared, 1, 2]),
            new(11, [3, .. shared]),
            new(12, [4, 4, 4, 4, 4, 4, 4, 4, 4, 4]),
        };
        using var index = SuffixIndexBuilder.Build(docs, 200);
        var r = new SpanAttributor(index, new SpanOptions(MinLength: 8)).Attribute(shared);
        Assert.Equal(2L, r.Spans.Single().Count);
        Assert.Equal(new[] { (10UL, 12L * 32768), (11UL, 12L * 32768) }, r.Credits.ToArray());
        Assert.Equal(new[] { 5000, 5000 }, r.Shares.Select(s => s.BasisPoints));

        var capped = new SpanAttributor(index, new SpanOptions(MinLength: 8, MaxOccurrences: 1)).Attribute(shared);
        Assert.Single(capped.Spans);
        Assert.Empty(capped.Shares);
    }

    [Fact]
    public void Index_file_is_six_bytes_per_token_plus_fixed_overheads_and_round_trips()
    {
        var corpus = Corpus(5, 200, 500, 1500, 100_277);
        long tokens = corpus.Sum(c => (long)c.Tokens.Length);
        using var index = SuffixIndexBuilder.Build(corpus, 100_277);
        var path = TestData.TempPath("index.olsa");
        try
        {
            index.Save(path);
            long bytes = new FileInfo(path).Length;
            Assert.Equal(SuffixIndexHeader.Size + 6 * (tokens + corpus.Count) + 2 + 12L * corpus.Count, bytes);
            Assert.True(bytes <= 6 * tokens + 18L * corpus.Count + 130);
            Assert.True(bytes / (double)tokens < 6.03, $"{bytes / (double)tokens:F3} bytes per token"); // ~1000-token contributions

            using var mapped = SuffixIndex.Open(path);
            var probe = corpus[42].Tokens.Skip(100).Take(20).ToArray();
            var a = new SpanMatcher(index).MatchAll(probe);
            var b = new SpanMatcher(mapped).MatchAll(probe);
            Assert.Equal(a, b);
            Assert.Equal(20, a[0].Length);
        }
        finally { File.Delete(path); }
    }

    [Fact]
    public void Corrupted_index_file_is_detected()
    {
        using var index = SuffixIndexBuilder.Build(Corpus(6, 5, 10, 20, 100), 100);
        var path = TestData.TempPath("bad.olsa");
        try
        {
            index.Save(path);
            var bytes = File.ReadAllBytes(path);
            bytes[SuffixIndexHeader.Size + 17] ^= 0x01;
            File.WriteAllBytes(path, bytes);
            var e = Assert.Throws<InvalidDataException>(() => SuffixIndex.Open(path));
            Assert.Contains("checksum", e.Message);
            File.WriteAllBytes(path, bytes[..^3]);
            Assert.Throws<InvalidDataException>(() => SuffixIndex.Open(path));
        }
        finally { File.Delete(path); }
    }

    [Fact]
    public void Tokens_outside_the_vocabulary_are_rejected()
    {
        Assert.Throws<ArgumentException>(() => SuffixIndexBuilder.Build([new TokenizedContribution(1, [1, 200])], 100));
        using var index = SuffixIndexBuilder.Build([new TokenizedContribution(1, [1, 2])], 100);
        Assert.Throws<ArgumentException>(() => new SpanMatcher(index).MatchAll([1, 100]));
        Assert.Throws<ArgumentOutOfRangeException>(() => SuffixIndexBuilder.Build([], 1 << 17));
    }

    [Fact]
    public void Real_text_through_the_cl100k_tokenizer_is_attributed_to_its_source()
    {
        var tok = new CorpusTokenizer();
        Assert.Equal(100_277, tok.VocabularySize);
        var texts = new[]
        {
            "The mitochondria is the powerhouse of the cell, converting nutrients into adenosine triphosphate for energy.",
            "Proof of attribution pays data contributors whenever a model's output depends on what they contributed.",
            "Suffix arrays list every suffix of a text in sorted order, which makes substring search a binary search.",
        };
        var corpus = texts.Select((t, i) => new TokenizedContribution((ulong)(i + 1), tok.Encode(t))).ToList();
        using var index = SuffixIndexBuilder.Build(corpus, tok.VocabularySize);
        var output = tok.Encode("As we know, suffix arrays list every suffix of a text in sorted order, so lookups are fast.");
        var r = new SpanAttributor(index, new SpanOptions(MinLength: 6)).Attribute(output);
        Assert.Equal(new[] { new Shares.ContributionShare(3, 10_000) }, r.Shares);
        Assert.Contains("suffix of a text in sorted order", tok.Decode(output.Skip(r.Spans[0].Position).Take(r.Spans[0].Length)));
    }
}
