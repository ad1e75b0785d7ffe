using System.Numerics;
using OpenLedger.Crypto.Bls12381;
using OpenLedger.Crypto.FieldMath;
using Fq = OpenLedger.Crypto.FieldMath.Fp<OpenLedger.Crypto.Bls12381.Bls12381FqParams>;
using Fq2 = OpenLedger.Crypto.FieldMath.Fp2<OpenLedger.Crypto.FieldMath.Fp<OpenLedger.Crypto.Bls12381.Bls12381FqParams>>;

namespace OpenLedger.Crypto.Tests;

/// <summary>
/// The psi-based G2 shortcuts (EIP-2537 subgroup check, four-way scalar split, RFC 9380 cofactor clearing) and the
/// Pippenger MSM, each against the plain definition: [r]P = O, [k]P by double-and-add, [h_eff]P, a sum of products.
/// </summary>
public class Bls12381G2OpsTests
{
    private static readonly BigInteger HEff = BigInteger.Parse(
        "0bc69f08f2ee75b3584c6a0ea91b352888e2a8e9145ad7689986ff031508ffe1329c2f178731db956d82bf015d1212b02ec0ec69d7477c1ae954cbc06689f6a359894c0adebbf6b4e8020005aaa95551",
        System.Globalization.NumberStyles.HexNumber);

    /// <summary>Points on the twist that are (almost surely) not in G2: x = seed, seed+1, ... with x^3 + b' square.</summary>
    private static IEnumerable<AffinePoint<Fq2>> TwistPoints(int count)
    {
        int found = 0;
        for (int i = 1; found < count; i++)
        {
            var x = new Fq2(Fq.FromBig(1000 + i), Fq.FromBig(7 * i));
            if (!Fq2.TrySqrt(Fq2.Add(Fq2.Mul(Fq2.Square(x), x), Bls12381Curve.TwistB), out var y)) continue;
            found++;
            yield return new AffinePoint<Fq2>(x, y);
        }
    }

    [Fact]
    public void Subgroup_check_matches_multiplying_by_the_order()
    {
        Assert.True(G2Ops.InSubgroup(Bls12381Curve.G2Generator));
        foreach (var p in TwistPoints(4))
        {
            Assert.False(G2Ops.InSubgroupByOrder(p));
            Assert.Equal(G2Ops.InSubgroupByOrder(p), G2Ops.InSubgroup(p));
            var cleared = G2Ops.ClearCofactor(p.ToJacobian()).ToAffine();
            Assert.True(G2Ops.InSubgroupByOrder(cleared));
            Assert.True(G2Ops.InSubgroup(cleared));
        }
    }

    [Fact]
    public void Cofactor_clearing_is_multiplication_by_h_eff()
    {
        foreach (var p in TwistPoints(2))
            Assert.True(G2Ops.ClearCofactor(p.ToJacobian()).EqualTo(p.ToJacobian().Multiply(HEff.ToByteArray(isUnsigned: true, isBigEndian: true))));
    }

    [Fact]
    public void Split_multiplication_matches_double_and_add_including_scalars_above_the_order()
    {
        var rng = new Random(7);
        var g = Bls12381Curve.G2Generator;
        foreach (var k in new[] { BigInteger.Zero, BigInteger.One, Bls12381Curve.R - 1, Bls12381Curve.R, Bls12381Curve.R + 5, (BigInteger.One << 256) - 1, Random(rng), Random(rng) })
        {
            byte[] be = Scalar(k);
            Assert.True(G2Ops.MultiplySubgroup(g, be).EqualTo(g.ToJacobian().Multiply(be)), $"k = {k}");
        }
    }

    [Fact]
    public void Pippenger_msm_matches_the_sum_of_products_on_both_groups()
    {
        var rng = new Random(11);
        int n = Bls12381Msm.PippengerThreshold + 3;
        var g1 = new AffinePoint<Fq>[n];
        var g2 = new AffinePoint<Fq2>[n];
        var scalars = new byte[32 * n];
        JacobianPoint<Fq> want1 = JacobianPoint<Fq>.Identity;
        JacobianPoint<Fq2> want2 = JacobianPoint<Fq2>.Identity;
        for (int i = 0; i < n; i++)
        {
            g1[i] = Bls12381Curve.G1Generator.ToJacobian().Multiply(Scalar(Random(rng))).ToAffine();
            g2[i] = Bls12381Curve.G2Generator.ToJacobian().Multiply(Scalar(Random(rng))).ToAffine();
            byte[] k = Scalar(i == 0 ? BigInteger.Zero : Random(rng));
            k.CopyTo(scalars, 32 * i);
            want1 = want1.Add(g1[i].ToJacobian().Multiply(k));
            want2 = want2.Add(g2[i].ToJacobian().Multiply(k));
        }
        Assert.True(Bls12381Msm.G1(g1, scalars).EqualTo(want1));
        Assert.True(Bls12381Msm.G2(g2, scalars).EqualTo(want2));
    }

    private static BigInteger Random(Random rng)
    {
        var b = new byte[32];
        rng.NextBytes(b);
        return new BigInteger(b, isUnsigned: true);
    }

    private static byte[] Scalar(BigInteger v)
    {
        var w = new byte[32];
        var b = v.ToByteArray(isUnsigned: true, isBigEndian: true);
        b.CopyTo(w, 32 - b.Length);
        return w;
    }
}
