namespace OpenLedger.Attribution.Spans;

/// <summary>The longest corpus match starting at one output position: its length and its suffix-array range [Lo, Hi).</summary>
public readonly record struct SpanMatch(int Position, int Length, long Lo, long Hi)
{
    public long Count => Hi - Lo;
}

/// <summary>
/// Longest-match search over a <see cref="SuffixIndex"/> (Infini-gram style). The suffixes that start with a given
/// prefix form one contiguous SA range; extending the prefix by one token narrows the range with two binary
/// searches on the next token. Matching statistics give a head start: if position p matched ℓ tokens, position
/// p+1 matches at least ℓ−1, whose range is found with one full-prefix binary search instead of ℓ−1 narrowings.
/// </summary>
public sealed class SpanMatcher
{
    private readonly SuffixIndex _index;
    private readonly int _maxLength;

    public SpanMatcher(SuffixIndex index, int maxLength = 256)
    {
        ArgumentNullException.ThrowIfNull(index);
        if (maxLength <= 0) throw new ArgumentOutOfRangeException(nameof(maxLength));
        _index = index; _maxLength = maxLength;
    }

    /// <summary>Longest match at every position of <paramref name="output"/>. Tokens outside the vocabulary are rejected.</summary>
    public SpanMatch[] MatchAll(ReadOnlySpan<int> output)
    {
        for (int i = 0; i < output.Length; i++)
            if ((uint)output[i] >= (uint)_index.VocabularySize)
                throw new ArgumentException($"token {output[i]} at {i} is outside the vocabulary [0, {_index.VocabularySize})", nameof(output));
        var result = new SpanMatch[output.Length];
        int carried = 0;
        for (int p = 0; p < output.Length; p++)
        {
            result[p] = Extend(output, p, Math.Max(0, carried));
            carried = result[p].Length - 1;
        }
        return result;
    }

    /// <summary>Longest match at one position, knowing that its first <paramref name="known"/> tokens occur.</summary>
    public SpanMatch Extend(ReadOnlySpan<int> output, int position, int known)
    {
        long lo = 0, hi = _index.Length;
        int len = 0;
        if (known > 0)
        {
            known = Math.Min(known, _maxLength);
            (lo, hi) = PrefixRange(output.Slice(position, known));
            if (lo == hi) { lo = 0; hi = _index.Length; } // cannot happen for a true carried match; recover by starting over
            else len = known;
        }
        while (position + len < output.Length && len < _maxLength)
        {
            int c = output[position + len];
            long newLo = Bound(lo, hi, len, c, upper: false);
            long newHi = Bound(newLo, hi, len, c, upper: true);
            if (newLo == newHi) break;
            lo = newLo; hi = newHi; len++;
        }
        return len == 0 ? new SpanMatch(position, 0, 0, 0) : new SpanMatch(position, len, lo, hi);
    }

    private int SymbolAt(long saIndex, int offset)
    {
        long p = (long)_index.SuffixAt(saIndex) + offset;
        return p < _index.Length ? _index.TokenAt(p) : -1; // past the end sorts first, like the virtual sentinel
    }

    /// <summary>First index in [lo, hi) whose symbol at <paramref name="offset"/> is ≥ c (or &gt; c when upper).</summary>
    private long Bound(long lo, long hi, int offset, int c, bool upper)
    {
        while (lo < hi)
        {
            long mid = lo + ((hi - lo) >> 1);
            int s = SymbolAt(mid, offset);
            if (s < c || (upper && s == c)) lo = mid + 1; else hi = mid;
        }
        return lo;
    }

    /// <summary>The SA range of suffixes that start with <paramref name="prefix"/>.</summary>
    public (long Lo, long Hi) PrefixRange(ReadOnlySpan<int> prefix)
    {
        long lo = 0, hi = _index.Length;
        // lower bound: first suffix ≥ prefix
        long a = lo, b = hi;
        while (a < b)
        {
            long mid = a + ((b - a) >> 1);
            if (ComparePrefix(mid, prefix) < 0) a = mid + 1; else b = mid;
        }
        long first = a;
        b = hi;
        while (a < b)
        {
            long mid = a + ((b - a) >> 1);
            if (ComparePrefix(mid, prefix) <= 0) a = mid + 1; else b = mid;
        }
        return (first, a);
    }

    /// <summary>Compares the suffix at SA index i, truncated to the prefix length, with the prefix.</summary>
    private int ComparePrefix(long saIndex, ReadOnlySpan<int> prefix)
    {
        long p = _index.SuffixAt(saIndex);
        for (int j = 0; j < prefix.Length; j++)
        {
            int s = p + j < _index.Length ? _index.TokenAt(p + j) : -1;
            if (s != prefix[j]) return s < prefix[j] ? -1 : 1;
        }
        return 0;
    }
}
