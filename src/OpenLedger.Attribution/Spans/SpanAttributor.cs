using System.Numerics;
using OpenLedger.Attribution.Shares;

namespace OpenLedger.Attribution.Spans;

/// <summary>Tuning for span attribution. Every field is part of what a verifier must use to get the same shares.</summary>
public sealed record SpanOptions(int MinLength = 8, int MaxLength = 256, int MaxOccurrences = 1024)
{
    public void Validate()
    {
        if (MinLength < 1) throw new ArgumentOutOfRangeException(nameof(MinLength), "spans need at least one token");
        if (MaxLength < MinLength) throw new ArgumentOutOfRangeException(nameof(MaxLength), "the maximum span length is below the minimum");
        if (MaxOccurrences is < 1 or > 65536) throw new ArgumentOutOfRangeException(nameof(MaxOccurrences), "max occurrences must lie in [1, 65536] (rarity is floor(2^16 / count))");
    }
}

/// <summary>A maximal matched span of the output: where it starts, how long it is and how often the corpus holds it.</summary>
public readonly record struct MatchedSpan(int Position, int Length, long Count);

/// <summary>Span attribution of one output: the spans used and each contribution's integer credit and share.</summary>
public sealed record SpanAttributionResult(IReadOnlyList<MatchedSpan> Spans, IReadOnlyList<(ulong ContributionId, long Credit)> Credits, IReadOnlyList<ContributionShare> Shares);

/// <summary>
/// Credits contributions for verbatim spans of an output. For each position the longest corpus match is found;
/// only maximal spans count (a span that is just the tail of the previous position's span adds nothing new), and
/// only those of at least <see cref="SpanOptions.MinLength"/> tokens. Each occurrence of a span earns its
/// contribution len · floor(2^16 / count): long spans earn more, and a span found in many places spreads the same
/// total thin. Spans seen more than <see cref="SpanOptions.MaxOccurrences"/> times are boilerplate and earn nothing.
/// All integers, so anyone with the index and the output recomputes the same shares.
/// </summary>
public sealed class SpanAttributor
{
    private readonly SuffixIndex _index;
    private readonly SpanOptions _options;
    private readonly SpanMatcher _matcher;

    public SpanAttributor(SuffixIndex index, SpanOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(index);
        _index = index;
        _options = options ?? new SpanOptions();
        _options.Validate();
        _matcher = new SpanMatcher(index, _options.MaxLength);
    }

    public SpanOptions Options => _options;

    public SpanAttributionResult Attribute(ReadOnlySpan<int> output) => FromMatches(_matcher.MatchAll(output));

    /// <summary>Credits from precomputed matches (as the GPU kernel returns them).</summary>
    public SpanAttributionResult FromMatches(IReadOnlyList<SpanMatch> matches)
    {
        var spans = new List<MatchedSpan>();
        var credit = new Dictionary<int, long>();
        int prevEnd = 0;
        foreach (var m in matches)
        {
            int end = m.Position + m.Length;
            bool maximal = end > prevEnd;
            prevEnd = Math.Max(prevEnd, end);
            if (!maximal || m.Length < _options.MinLength) continue;
            spans.Add(new MatchedSpan(m.Position, m.Length, m.Count));
            if (m.Count > _options.MaxOccurrences) continue;
            long weight = (long)m.Length * (65536 / m.Count);
            for (long i = m.Lo; i < m.Hi; i++)
            {
                int d = _index.ContributionIndexAt(_index.SuffixAt(i));
                credit[d] = credit.GetValueOrDefault(d) + weight;
            }
        }
        var credits = credit.Select(kv => (_index.ContributionIds[kv.Key], kv.Value)).OrderBy(c => c.Item1).ToArray();
        ContributionShare[] shares = [];
        if (credits.Length > 0)
        {
            var bps = LargestRemainder.ToBasisPoints(credits.Select(c => (BigInteger)c.Item2).ToArray(), credits.Select(c => c.Item1).ToArray());
            shares = credits.Select((c, i) => new ContributionShare(c.Item1, bps[i])).Where(s => s.BasisPoints > 0).ToArray();
        }
        return new SpanAttributionResult(spans, credits, shares);
    }
}
