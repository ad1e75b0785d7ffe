using OpenLedger.AI.Compute;

namespace OpenLedger.AI.Tests;

public class GemmTests
{
    private static float[] Rand(int n, ulong seed)
    {
        var r = new SplitMix(seed);
        var a = new float[n];
        for (int i = 0; i < n; i++) a[i] = (float)(r.NextDouble() * 2 - 1);
        return a;
    }

    private static double[] Naive(bool ta, bool tb, int m, int n, int k, float[] a, float[] b)
    {
        var c = new double[m * n];
        for (int i = 0; i < m; i++)
            for (int j = 0; j < n; j++)
            {
                double s = 0;
                for (int p = 0; p < k; p++)
                    s += (double)(ta ? a[p * m + i] : a[i * k + p]) * (tb ? b[j * k + p] : b[p * n + j]);
                c[i * n + j] = s;
            }
        return c;
    }

    [Theory]
    [InlineData(false, false, 1, 1, 1)]
    [InlineData(false, true, 1, 300, 77)]
    [InlineData(false, true, 2, 65, 300)]
    [InlineData(false, true, 8, 70, 100)]
    [InlineData(false, false, 7, 33, 19)]
    [InlineData(true, false, 13, 40, 300)]
    [InlineData(true, true, 50, 70, 260)]
    [InlineData(false, true, 97, 129, 513)]
    [InlineData(false, false, 200, 2100, 64)]
    public void Matches_a_double_precision_reference(bool ta, bool tb, int m, int n, int k)
    {
        var a = Rand(m * k, 1); var b = Rand(k * n, 2);
        var c = new float[m * n];
        Gemm.Multiply(ta, tb, m, n, k, a, ta ? m : k, b, tb ? k : n, c, n);
        var expect = Naive(ta, tb, m, n, k, a, b);
        for (int i = 0; i < c.Length; i++) Assert.True(Math.Abs(c[i] - expect[i]) <= 1e-4 * Math.Sqrt(k) + 1e-5, $"element {i}: {c[i]} vs {expect[i]}");
        // accumulate adds onto C
        var c2 = (float[])c.Clone();
        Gemm.Multiply(ta, tb, m, n, k, a, ta ? m : k, b, tb ? k : n, c2, n, accumulate: true);
        for (int i = 0; i < c.Length; i++) Assert.True(Math.Abs(c2[i] - 2 * expect[i]) <= 2e-4 * Math.Sqrt(k) + 1e-5);
    }

    [Fact]
    public void Intrinsic_and_portable_kernels_agree_bit_for_bit_and_threads_do_not_change_results()
    {
        int m = 37, n = 250, k = 600;
        var a = Rand(m * k, 3); var b = Rand(n * k, 4);
        var fast = new float[m * n]; var serial = new float[m * n]; var portable = new float[m * n];
        Gemm.Multiply(false, true, m, n, k, a, k, b, k, fast, n);
        Gemm.Multiply(false, true, m, n, k, a, k, b, k, serial, n, parallel: false);
        var gemv = new float[7 * n]; var gemvPortable = new float[7 * n];
        Gemm.Multiply(false, true, 7, n, k, a, k, b, k, gemv, n);
        try
        {
            Gemm.ForcePortable = true;
            Gemm.Multiply(false, true, m, n, k, a, k, b, k, portable, n);
            Gemm.Multiply(false, true, 7, n, k, a, k, b, k, gemvPortable, n);
        }
        finally { Gemm.ForcePortable = false; }
        Assert.Equal(fast, serial);
        Assert.Equal(fast, portable);
        Assert.Equal(gemv, gemvPortable);
    }

    [Fact]
    public void Few_rows_of_a_plain_product_match_the_packed_path_bit_for_bit()
    {
        // attention's P·V in a decode step (M ≤ 8, B not transposed) skips packing; it must give the packed path's bits
        int m = 20, n = 70, k = 600; // k spans several KC blocks
        var a = Rand(m * k, 5); var b = Rand(k * n, 6); var c0 = Rand(m * n, 7);
        var packed = (float[])c0.Clone(); var few = (float[])c0.Clone(); var fewPortable = (float[])c0.Clone();
        foreach (bool acc in new[] { false, true })
        {
            Gemm.Multiply(false, false, m, n, k, a, k, b, n, packed, n, accumulate: acc);
            Gemm.Multiply(false, false, 7, n, k, a, k, b, n, few, n, accumulate: acc);
            try
            {
                Gemm.ForcePortable = true;
                Gemm.Multiply(false, false, 7, n, k, a, k, b, n, fewPortable, n, accumulate: acc);
            }
            finally { Gemm.ForcePortable = false; }
            Assert.Equal(packed.AsSpan(0, 7 * n).ToArray(), few.AsSpan(0, 7 * n).ToArray());
            Assert.Equal(few, fewPortable);
        }
    }

    [Fact]
    public void Rejects_buffers_too_small_for_the_shape()
    {
        var e = Assert.Throws<ArgumentException>(() => Gemm.Multiply(false, false, 4, 4, 4, new float[15], 4, new float[16], 4, new float[16], 4));
        Assert.Contains("A:", e.Message);
    }
}
