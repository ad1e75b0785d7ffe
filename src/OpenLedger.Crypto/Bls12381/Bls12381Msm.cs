using OpenLedger.Crypto.FieldMath;
using Fq = OpenLedger.Crypto.FieldMath.Fp<OpenLedger.Crypto.Bls12381.Bls12381FqParams>;
using Fq2 = OpenLedger.Crypto.FieldMath.Fp2<OpenLedger.Crypto.FieldMath.Fp<OpenLedger.Crypto.Bls12381.Bls12381FqParams>>;

namespace OpenLedger.Crypto.Bls12381;

/// <summary>
/// Multi-scalar multiplication sum [k_i]P_i over subgroup points (the caller has checked membership): each product
/// by the endomorphism split (GLV on G1, the four-way psi split on G2), then summed.
/// </summary>
internal static class Bls12381Msm
{
    public static JacobianPoint<Fq> G1(ReadOnlySpan<AffinePoint<Fq>> points, ReadOnlySpan<byte> scalars)
    {
        JacobianPoint<Fq> acc = JacobianPoint<Fq>.Identity;
        for (int i = 0; i < points.Length; i++)
            acc = G1Ops.Add(acc, Bls12381Curve.MultiplyG1Subgroup(points[i], scalars.Slice(32 * i, 32)));
        return acc;
    }

    public static JacobianPoint<Fq2> G2(ReadOnlySpan<AffinePoint<Fq2>> points, ReadOnlySpan<byte> scalars)
    {
        JacobianPoint<Fq2> acc = JacobianPoint<Fq2>.Identity;
        for (int i = 0; i < points.Length; i++)
            acc = acc.Add(G2Ops.MultiplySubgroup(points[i], scalars.Slice(32 * i, 32)));
        return acc;
    }
}
