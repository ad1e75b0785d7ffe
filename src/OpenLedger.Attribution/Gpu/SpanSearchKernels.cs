using ILGPU;

namespace OpenLedger.Attribution.Gpu;

/// <summary>
/// Batched suffix-array search: one thread per output position finds the longest prefix of output[p..] present in
/// the corpus by narrowing the SA range one token at a time (two binary searches per token), exactly the ranges the
/// CPU <see cref="Spans.SpanMatcher"/> returns.
/// </summary>
internal static class SpanSearchKernels
{
    public static void LongestMatch(Index1D p, ArrayView<int> sa, ArrayView<int> text, ArrayView<int> output,
        ArrayView<int> outLength, ArrayView<int> outLo, ArrayView<int> outHi, int n, int outputLength, int maxLength)
    {
        int lo = 0, hi = n, len = 0;
        while (p + len < outputLength && len < maxLength)
        {
            int c = output[p + len];
            int a = lo, b = hi;
            while (a < b)
            {
                int mid = a + ((b - a) >> 1);
                if (Symbol(sa, text, n, mid, len) < c) a = mid + 1; else b = mid;
            }
            int newLo = a;
            b = hi;
            while (a < b)
            {
                int mid = a + ((b - a) >> 1);
                if (Symbol(sa, text, n, mid, len) <= c) a = mid + 1; else b = mid;
            }
            if (newLo == a) break;
            lo = newLo; hi = a; len++;
        }
        outLength[p] = len;
        outLo[p] = len == 0 ? 0 : lo;
        outHi[p] = len == 0 ? 0 : hi;
    }

    private static int Symbol(ArrayView<int> sa, ArrayView<int> text, int n, int i, int offset)
    {
        long q = (long)sa[i] + offset;
        return q < n ? text[q] : -1;
    }
}
