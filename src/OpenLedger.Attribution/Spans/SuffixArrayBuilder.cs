namespace OpenLedger.Attribution.Spans;

/// <summary>
/// Suffix array construction by SA-IS (Nong, Zhang, Chan 2009): linear time for an integer alphabet.
/// The text has a virtual sentinel after its last symbol that sorts before every symbol, so no symbol value has to
/// be reserved for it. Suffixes are classified S/L; the LMS suffixes are sorted by induction, named, and if names
/// repeat the reduced string of names is sorted recursively; a final induction from the sorted LMS suffixes gives
/// the full array.
/// </summary>
public static class SuffixArrayBuilder
{
    /// <summary>Builds the suffix array of <paramref name="text"/>, whose symbols must lie in [0, alphabetSize).</summary>
    public static int[] Build(ReadOnlySpan<int> text, int alphabetSize)
    {
        if (alphabetSize <= 0) throw new ArgumentOutOfRangeException(nameof(alphabetSize), "the alphabet needs at least one symbol");
        for (int i = 0; i < text.Length; i++)
            if ((uint)text[i] >= (uint)alphabetSize)
                throw new ArgumentException($"symbol {text[i]} at position {i} lies outside the alphabet [0, {alphabetSize})", nameof(text));
        var t = text.ToArray();
        var sa = new int[t.Length];
        Sais(t, sa, t.Length, alphabetSize);
        return sa;
    }

    private static void Sais(int[] t, int[] sa, int n, int k)
    {
        if (n == 0) return;
        if (n == 1) { sa[0] = 0; return; }

        // S-type: t[i] < t[i+1], or equal and t[i+1] is S. The last symbol is L (it is above the virtual sentinel).
        var isS = new bool[n];
        for (int i = n - 2; i >= 0; i--) isS[i] = t[i] < t[i + 1] || (t[i] == t[i + 1] && isS[i + 1]);

        var counts = new int[k];
        foreach (int c in t) counts[c]++;
        var bucket = new int[k];

        // Stage 1: LMS suffixes at their bucket tails (any order), then induce; this sorts the LMS substrings.
        Array.Fill(sa, -1);
        BucketEnds(counts, bucket);
        for (int i = n - 1; i >= 1; i--)
            if (isS[i] && !isS[i - 1]) sa[--bucket[t[i]]] = i;
        InduceL(t, sa, isS, counts, bucket, n);
        InduceS(t, sa, isS, counts, bucket, n);

        // Compact the sorted LMS positions into the front of sa.
        int m = 0;
        for (int i = 0; i < n; i++)
        {
            int p = sa[i];
            if (p > 0 && isS[p] && !isS[p - 1]) sa[m++] = p;
        }

        // Name the LMS substrings; equal substrings get equal names. LMS positions are ≥ 2 apart, so p/2 is a unique slot.
        Array.Fill(sa, -1, m, n - m);
        int names = 0, prev = -1;
        for (int i = 0; i < m; i++)
        {
            int p = sa[i];
            if (prev < 0 || !EqualLms(t, isS, n, prev, p)) { names++; prev = p; }
            sa[m + p / 2] = names - 1;
        }
        for (int i = n - 1, j = n - 1; i >= m; i--)
            if (sa[i] >= 0) sa[j--] = sa[i];

        // Stage 2: sort the reduced string (names in text order), recursively if names repeat.
        var reduced = new int[m];
        Array.Copy(sa, n - m, reduced, 0, m);
        var sortedReduced = new int[m];
        if (names < m) Sais(reduced, sortedReduced, m, names);
        else for (int i = 0; i < m; i++) sortedReduced[reduced[i]] = i;

        // Map reduced indices back to text positions of LMS suffixes.
        var lms = new int[m];
        for (int i = 1, j = 0; i < n; i++)
            if (isS[i] && !isS[i - 1]) lms[j++] = i;
        for (int i = 0; i < m; i++) sortedReduced[i] = lms[sortedReduced[i]];

        // Stage 3: place sorted LMS suffixes at bucket tails (in reverse, keeping their order), then induce.
        Array.Fill(sa, -1);
        BucketEnds(counts, bucket);
        for (int i = m - 1; i >= 0; i--)
        {
            int p = sortedReduced[i];
            sa[--bucket[t[p]]] = p;
        }
        InduceL(t, sa, isS, counts, bucket, n);
        InduceS(t, sa, isS, counts, bucket, n);
    }

    private static void BucketStarts(int[] counts, int[] bucket)
    {
        int sum = 0;
        for (int c = 0; c < counts.Length; c++) { bucket[c] = sum; sum += counts[c]; }
    }

    private static void BucketEnds(int[] counts, int[] bucket)
    {
        int sum = 0;
        for (int c = 0; c < counts.Length; c++) { sum += counts[c]; bucket[c] = sum; }
    }

    private static void InduceL(int[] t, int[] sa, bool[] isS, int[] counts, int[] bucket, int n)
    {
        BucketStarts(counts, bucket);
        // The virtual sentinel sorts first; the suffix just before it (n-1) is L-type and is induced from it.
        sa[bucket[t[n - 1]]++] = n - 1;
        for (int i = 0; i < n; i++)
        {
            int j = sa[i] - 1;
            if (j >= 0 && !isS[j]) sa[bucket[t[j]]++] = j;
        }
    }

    private static void InduceS(int[] t, int[] sa, bool[] isS, int[] counts, int[] bucket, int n)
    {
        BucketEnds(counts, bucket);
        for (int i = n - 1; i >= 0; i--)
        {
            int j = sa[i] - 1;
            if (j >= 0 && isS[j]) sa[--bucket[t[j]]] = j;
        }
    }

    /// <summary>Are the LMS substrings starting at a and b equal (symbols and types, up to and including the next LMS)?</summary>
    private static bool EqualLms(int[] t, bool[] isS, int n, int a, int b)
    {
        for (int d = 0; ; d++)
        {
            int x = a + d, y = b + d;
            if (x == n || y == n) return false; // only one substring can reach the unique sentinel
            if (t[x] != t[y] || isS[x] != isS[y]) return false;
            if (d > 0 && isS[x] && !isS[x - 1]) return true; // both reached their next LMS together
        }
    }
}
