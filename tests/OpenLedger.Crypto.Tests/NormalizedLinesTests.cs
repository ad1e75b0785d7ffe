using OpenLedger.Crypto.Bls12381;
using OpenLedger.Crypto.FieldMath;
using Fq = OpenLedger.Crypto.FieldMath.Fp<OpenLedger.Crypto.Bls12381.Bls12381FqParams>;
using Fq2 = OpenLedger.Crypto.FieldMath.Fp2<OpenLedger.Crypto.FieldMath.Fp<OpenLedger.Crypto.Bls12381.Bls12381FqParams>>;
using Fq6 = OpenLedger.Crypto.FieldMath.Fp6<OpenLedger.Crypto.FieldMath.Fp<OpenLedger.Crypto.Bls12381.Bls12381FqParams>>;

namespace OpenLedger.Crypto.Tests;

/// <summary>The KZG Miller loop with lines divided by their constant coefficient against the plain prepared lines.</summary>
public class NormalizedLinesTests
{
    private static Fq2 RandomFq2(Random rng) => new(Fq.FromBig(rng.NextInt64()), Fq.FromBig(rng.NextInt64()));

    [Fact]
    public void Sparse_product_matches_full_product()
    {
        var rng = new Random(11);
        var f = new Fp12<Fq>(new Fq6(RandomFq2(rng), RandomFq2(rng), RandomFq2(rng)), new Fq6(RandomFq2(rng), RandomFq2(rng), RandomFq2(rng)));
        for (int i = 0; i < 4; i++)
        {
            Fq2 e1 = RandomFq2(rng), e4 = RandomFq2(rng);
            var line = new Fp12<Fq>(new Fq6(Fq2.One, e1, Fq2.Zero), new Fq6(Fq2.Zero, e4, Fq2.Zero));
            Assert.True(Fp12<Fq>.Equal(Fp12<Fq>.Mul(f, line), NormalizedLines.MulBy014One(f, e1, e4)));
            f = Fp12<Fq>.Mul(f, line);
        }
    }

    [Fact]
    public void Normalized_loop_gives_the_same_pairing_product()
    {
        Assert.True(KzgVerifier.UsesNormalizedLines);
        var negG2 = Bls12381Curve.G2Generator.Negate();
        var plainA = Bls12381Curve.PrepareG2(negG2);
        var plainB = Bls12381Curve.PrepareG2(KzgVerifier.TauG2);
        var normA = NormalizedLines.Prepare(negG2)!;
        var normB = NormalizedLines.Prepare(KzgVerifier.TauG2)!;
        var g = Bls12381Curve.G1Generator.ToJacobian();
        var p1 = g.Multiply([0x12, 0x34, 0x56, 0x78, 0x9a]).ToAffine();
        var p2 = g.Multiply([0x0f, 0xed, 0xcb]).ToAffine();
        foreach (var (a, b) in new[] { (p1, p2), (AffinePoint<Fq>.Identity, p2), (p1, AffinePoint<Fq>.Identity) })
        {
            var expected = Bls12381Curve.FinalExponentiation(Bls12381Curve.MillerLoopPrepared([(a, plainA), (b, plainB)]));
            var actual = Bls12381Curve.FinalExponentiation(NormalizedLines.MillerLoop([(a, normA), (b, normB)]));
            Assert.True(Fp12<Fq>.Equal(expected, actual));
            Assert.False(Fp12<Fq>.Equal(expected, Fp12<Fq>.One) && !a.Infinity && !b.Infinity);
        }
    }
}
