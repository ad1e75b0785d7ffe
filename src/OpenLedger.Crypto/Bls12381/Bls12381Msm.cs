using OpenLedger.Crypto.FieldMath;
using Fq = OpenLedger.Crypto.FieldMath.Fp<OpenLedger.Crypto.Bls12381.Bls12381FqParams>;
using Fq2 = OpenLedger.Crypto.FieldMath.Fp2<OpenLedger.Crypto.FieldMath.Fp<OpenLedger.Crypto.Bls12381.Bls12381FqParams>>;

namespace OpenLedger.Crypto.Bls12381;

/// <summary>
/// Multi-scalar multiplication sum [k_i]P_i over subgroup points (the caller has checked membership). A few points:
/// one endomorphism-split product each (GLV on G1, the four-way psi split on G2). More: the same splits turn n points
/// with 255-bit scalars into 2n (G1, 128-bit) or 4n (G2, 64-bit) short ones for <see cref="Pippenger"/>.
/// </summary>
internal static class Bls12381Msm
{
    /// <summary>From this many points on, buckets beat one product per point (measured with bench precompiles).</summary>
    public const int PippengerThreshold = 8;

    public static JacobianPoint<Fq> G1(ReadOnlySpan<AffinePoint<Fq>> points, ReadOnlySpan<byte> scalars)
    {
        if (points.Length < PippengerThreshold)
        {
            JacobianPoint<Fq> acc = JacobianPoint<Fq>.Identity;
            for (int i = 0; i < points.Length; i++)
                acc = G1Ops.Add(acc, Bls12381Curve.MultiplyG1Subgroup(points[i], scalars.Slice(32 * i, 32)));
            return acc;
        }
        var split = new AffinePoint<Fq>[2 * points.Length];
        var halves = new UInt128[2 * points.Length];
        for (int i = 0; i < points.Length; i++)
        {
            Bls12381Curve.GlvSplit(scalars.Slice(32 * i, 32), out halves[2 * i], out halves[2 * i + 1]);
            split[2 * i] = points[i];
            split[2 * i + 1] = Bls12381Curve.MinusPhi(points[i]); // [x^2]P
        }
        return Pippenger.Sum<Fq>(split, halves, 128);
    }

    public static JacobianPoint<Fq2> G2(ReadOnlySpan<AffinePoint<Fq2>> points, ReadOnlySpan<byte> scalars)
    {
        if (points.Length < PippengerThreshold)
        {
            JacobianPoint<Fq2> acc = JacobianPoint<Fq2>.Identity;
            for (int i = 0; i < points.Length; i++)
                acc = acc.Add(G2Ops.MultiplySubgroup(points[i], scalars.Slice(32 * i, 32)));
            return acc;
        }
        var split = new AffinePoint<Fq2>[4 * points.Length];
        var digits = new UInt128[4 * points.Length];
        Span<ulong> d = stackalloc ulong[4];
        for (int i = 0; i < points.Length; i++)
        {
            G2Ops.SplitScalar(scalars.Slice(32 * i, 32), d);
            AffinePoint<Fq2> b = points[i];
            for (int j = 0; j < 4; j++)
            {
                split[4 * i + j] = b;
                digits[4 * i + j] = d[j];
                b = G2Ops.MinusPsi(b); // [|x|^(j+1)]P
            }
        }
        return Pippenger.Sum<Fq2>(split, digits, 64);
    }
}
