using OpenLedger.Attribution.Spans;

namespace OpenLedger.Attribution.Tests;

public class SuffixArrayBuilderTests
{
    private static int[] Naive(int[] t)
    {
        var idx = Enumerable.Range(0, t.Length).ToArray();
        Array.Sort(idx, (a, b) => t.AsSpan(a).SequenceCompareTo(t.AsSpan(b)));
        return idx;
    }

    [Fact]
    public void Banana_matches_the_textbook_array()
    {
        var text = "banana".Select(c => (int)c).ToArray();
        Assert.Equal(new[] { 5, 3, 1, 0, 4, 2 }, SuffixArrayBuilder.Build(text, 128));
    }

    [Theory]
    [InlineData(1, 2, 1000)]
    [InlineData(2, 3, 777)]
    [InlineData(3, 50_000, 2000)]
    [InlineData(4, 1, 300)]
    [InlineData(5, 4, 5000)]
    public void Random_texts_match_a_naive_sort(int seed, int alphabet, int length)
    {
        var rng = new Random(seed);
        var text = new int[length];
        for (int i = 0; i < length; i++) text[i] = rng.Next(alphabet);
        Assert.Equal(Naive(text), SuffixArrayBuilder.Build(text, alphabet));
    }

    [Fact]
    public void Highly_repetitive_text_recurses_correctly()
    {
        // Periodic text with small perturbations forces several levels of recursion.
        var text = Enumerable.Range(0, 4000).Select(i => (i % 7 == 0 ? 2 : 1) + (i % 997 == 0 ? 1 : 0)).ToArray();
        Assert.Equal(Naive(text), SuffixArrayBuilder.Build(text, 4));
    }

    [Fact]
    public void Empty_and_single_symbol_texts_work()
    {
        Assert.Empty(SuffixArrayBuilder.Build(ReadOnlySpan<int>.Empty, 5));
        Assert.Equal(new[] { 0 }, SuffixArrayBuilder.Build(new[] { 3 }, 5));
    }

    [Fact]
    public void Symbols_outside_the_alphabet_are_rejected()
    {
        Assert.Throws<ArgumentException>(() => SuffixArrayBuilder.Build(new[] { 1, 5 }, 5));
        Assert.Throws<ArgumentException>(() => SuffixArrayBuilder.Build(new[] { -1 }, 5));
    }
}
