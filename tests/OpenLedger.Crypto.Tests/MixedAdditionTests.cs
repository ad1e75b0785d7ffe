using OpenLedger.Crypto.Bls12381;
using OpenLedger.Crypto.FieldMath;
using Fq = OpenLedger.Crypto.FieldMath.Fp<OpenLedger.Crypto.Bls12381.Bls12381FqParams>;

namespace OpenLedger.Crypto.Tests;

/// <summary>Jacobian + affine (mixed) addition against the general Jacobian addition, edge cases included.</summary>
public class MixedAdditionTests
{
    [Fact]
    public void Mixed_addition_matches_jacobian_addition()
    {
        var g = Bls12381Curve.G1Generator.ToJacobian();
        var a = g.Multiply([0x01, 0x23, 0x45]);             // Z != 1
        var b = g.Multiply([0x6e, 0x01]).ToAffine();
        var aAffine = a.ToAffine();
        var cases = new (JacobianPoint<Fq> P, AffinePoint<Fq> Q)[]
        {
            (a, b),
            (a, aAffine),                                     // equal: doubling
            (a, aAffine.Negate()),                            // opposite: identity
            (JacobianPoint<Fq>.Identity, b),
            (a, AffinePoint<Fq>.Identity),
            (JacobianPoint<Fq>.Identity, AffinePoint<Fq>.Identity),
        };
        foreach (var (p, q) in cases)
            Assert.True(p.Add(q.ToJacobian()).EqualTo(p.AddAffine(q)));
        Assert.True(a.Add(aAffine.Negate().ToJacobian()).IsIdentity && a.AddAffine(aAffine.Negate()).IsIdentity);
    }

    [Fact]
    public void Affine_double_and_add_matches_jacobian()
    {
        var p = Bls12381Curve.G1Generator.ToJacobian().Multiply([0x77, 0x12]).ToAffine();
        foreach (ulong k in new[] { 0UL, 1UL, 2UL, 3UL, Bls12381Curve.AbsX, ulong.MaxValue })
            Assert.True(p.ToJacobian().MultiplyBinary(k).EqualTo(JacobianPoint<Fq>.MultiplyBinary(p, k)), $"k = {k:x}");
    }

    [Fact]
    public void Bls12381_specialized_doubling_matches_generic()
    {
        var g = Bls12381Curve.G1Generator.ToJacobian();
        var rng = new Random(21);
        var k = new byte[32];
        var points = new List<JacobianPoint<Fq>> { g, JacobianPoint<Fq>.Identity, g.Negate() };
        for (int i = 0; i < 6; i++)
        {
            rng.NextBytes(k);
            points.Add(g.Multiply(k));
        }
        foreach (var p in points)
        {
            Assert.True(p.Double().EqualTo(G1Ops.Double(p)));
            Assert.True(p.MultiplyBinary(Bls12381Curve.AbsX).EqualTo(G1Ops.MultiplyBinary(p, Bls12381Curve.AbsX)));
            if (!p.IsIdentity)
                Assert.True(p.MultiplyBinary(0x1234567UL).EqualTo(G1Ops.MultiplyBinary(p.ToAffine(), 0x1234567UL)));
        }
    }
}
