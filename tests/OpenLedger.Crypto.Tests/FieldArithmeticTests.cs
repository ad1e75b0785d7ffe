using System.Numerics;
using OpenLedger.Crypto.Bls12381;
using OpenLedger.Crypto.Bn254;
using OpenLedger.Crypto.FieldMath;

namespace OpenLedger.Crypto.Tests;

/// <summary>
/// The fast base- and quadratic-field arithmetic (unrolled Montgomery products, lazily reduced Fp2 products and
/// squares) against plain BigInteger arithmetic, on random values and the edge values 0, 1, p-1, p-2, (p-1)/2.
/// </summary>
public class FieldArithmeticTests
{
    [Fact]
    public void Bls12381_field_matches_biginteger() => Check<Bls12381FqParams>(seed: 381);

    [Fact]
    public void Bn254_field_matches_biginteger() => Check<Bn254FqParams>(seed: 254);

    [Fact]
    public void Bls12381_glv_multiplication_matches_plain_multiplication()
    {
        var rng = new Random(4844);
        var scalars = new List<BigInteger> { 0, 1, 2, 15, 16, Bls12381Curve.R - 1, Bls12381Curve.R, Bls12381Curve.R + 5, (BigInteger.One << 256) - 1,
            (BigInteger)Bls12381Curve.AbsX * Bls12381Curve.AbsX, (BigInteger)Bls12381Curve.AbsX * Bls12381Curve.AbsX - 1 };
        var buf = new byte[32];
        for (int i = 0; i < 12; i++)
        {
            rng.NextBytes(buf);
            scalars.Add(new BigInteger(buf, isUnsigned: true));
        }
        var points = new[] { Bls12381Curve.G1Generator, Bls12381Curve.G1Generator.ToJacobian().Multiply(Word(123456789)).ToAffine(), AffinePoint<Fp<Bls12381FqParams>>.Identity };
        foreach (var p in points)
        foreach (var k in scalars)
        {
            var expected = p.ToJacobian().Multiply(Word(k));
            var actual = Bls12381Curve.MultiplyG1Subgroup(p, Word(k));
            Assert.True(expected.EqualTo(actual), $"k = {k}");
        }
    }

    private static byte[] Word(BigInteger v)
    {
        var w = new byte[32];
        var b = v.ToByteArray(isUnsigned: true, isBigEndian: true);
        b.CopyTo(w, 32 - b.Length);
        return w;
    }

    private static void Check<P>(int seed) where P : IFpParams
    {
        BigInteger p = P.C.P;
        var rng = new Random(seed);
        var values = new List<BigInteger> { 0, 1, 2, p - 1, p - 2, (p - 1) / 2, (p + 1) / 2 };
        byte[] buf = new byte[8 * P.C.N + 8];
        for (int i = 0; i < 40; i++)
        {
            rng.NextBytes(buf);
            values.Add(new BigInteger(buf, isUnsigned: true) % p);
        }
        BigInteger Mod(BigInteger v) => ((v % p) + p) % p;
        foreach (var a in values)
        {
            var fa = Fp<P>.FromBig(a);
            Assert.Equal(a, fa.ToBig());
            Assert.Equal(Mod(a * a), Fp<P>.Square(fa).ToBig());
            Assert.Equal(Mod(-a), Fp<P>.Neg(fa).ToBig());
            Assert.Equal(a.IsZero, fa.IsZero);
            if (!a.IsZero) Assert.Equal(BigInteger.One, Fp<P>.Mul(fa, Fp<P>.Inverse(fa)).ToBig());
        }
        for (int i = 0; i < values.Count; i++)
        for (int j = 0; j < values.Count; j += 3)
        {
            BigInteger a0 = values[i], a1 = values[j], b0 = values[(i + j + 1) % values.Count], b1 = values[(2 * i + j) % values.Count];
            Fp<P> fa0 = Fp<P>.FromBig(a0), fa1 = Fp<P>.FromBig(a1), fb0 = Fp<P>.FromBig(b0), fb1 = Fp<P>.FromBig(b1);
            Assert.Equal(Mod(a0 * b0), Fp<P>.Mul(fa0, fb0).ToBig());
            Assert.Equal(Mod(a0 + b0), Fp<P>.Add(fa0, fb0).ToBig());
            Assert.Equal(Mod(a0 - b0), Fp<P>.Sub(fa0, fb0).ToBig());
            Assert.Equal(a0 == b0, Fp<P>.Equal(fa0, fb0));

            var x = new Fp2<Fp<P>>(fa0, fa1);
            var y = new Fp2<Fp<P>>(fb0, fb1);
            var xy = Fp2<Fp<P>>.Mul(x, y);
            Assert.Equal(Mod(a0 * b0 - a1 * b1), xy.A.ToBig());
            Assert.Equal(Mod(a0 * b1 + a1 * b0), xy.B.ToBig());
            var xx = Fp2<Fp<P>>.Square(x);
            Assert.Equal(Mod(a0 * a0 - a1 * a1), xx.A.ToBig());
            Assert.Equal(Mod(2 * a0 * a1), xx.B.ToBig());
            var xi = Fp2<Fp<P>>.MulByXi(x);
            int c = P.XiReal; // xi = c + u
            Assert.Equal(Mod(c * a0 - a1), xi.A.ToBig());
            Assert.Equal(Mod(a0 + c * a1), xi.B.ToBig());
        }
    }
}
