namespace OpenLedger.Crypto.FieldMath;

/// <summary>
/// Bucket multi-scalar multiplication (Pippenger) over affine points with scalars of up to 128 bits: per window of c
/// bits every point is added into the bucket of its digit (mixed additions), then the buckets are summed by the
/// running-sum trick. Costs about (bits / c)(n + 2^(c+1)) additions instead of n times a full product; the curve
/// code splits 255-bit scalars by its endomorphisms first (GLV on G1, psi on G2), so the scalars here are short.
/// </summary>
internal static class Pippenger
{
    public static JacobianPoint<T> Sum<T>(ReadOnlySpan<AffinePoint<T>> points, ReadOnlySpan<UInt128> scalars, int bits) where T : struct, IField<T>
    {
        int n = points.Length;
        if (n == 0) return JacobianPoint<T>.Identity;
        int c = WindowBits(n);
        var buckets = new JacobianPoint<T>[1 << c];
        JacobianPoint<T> result = JacobianPoint<T>.Identity;
        UInt128 mask = ((UInt128)1 << c) - 1;
        for (int w = (bits + c - 1) / c - 1; w >= 0; w--)
        {
            for (int i = 0; i < c && !result.IsIdentity; i++) result = result.Double();
            Array.Fill(buckets, JacobianPoint<T>.Identity);
            int shift = w * c;
            for (int j = 0; j < n; j++)
            {
                int d = (int)((scalars[j] >> shift) & mask);
                if (d != 0) buckets[d] = buckets[d].AddAffine(points[j]);
            }
            JacobianPoint<T> running = JacobianPoint<T>.Identity, sum = JacobianPoint<T>.Identity;
            for (int d = buckets.Length - 1; d >= 1; d--)
            {
                running = running.Add(buckets[d]);
                sum = sum.Add(running);
            }
            result = result.Add(sum);
        }
        return result;
    }

    /// <summary>The window that minimizes (n + 2^(c+1)) / c, roughly log2(n) - 2, within 2..12.</summary>
    private static int WindowBits(int n)
    {
        int best = 2;
        double bestCost = double.MaxValue;
        for (int c = 2; c <= 12; c++)
        {
            double cost = (n + 2.0 * (1 << c)) / c;
            if (cost < bestCost) (best, bestCost) = (c, cost);
        }
        return best;
    }
}
