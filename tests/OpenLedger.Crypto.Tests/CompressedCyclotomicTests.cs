using System.Numerics;
using OpenLedger.Crypto.Bls12381;
using OpenLedger.Crypto.Bn254;
using OpenLedger.Crypto.FieldMath;

namespace OpenLedger.Crypto.Tests;

/// <summary>Karabina's compressed squarings and the batched decompression against plain cyclotomic arithmetic.</summary>
public class CompressedCyclotomicTests
{
    private static readonly ulong[] Exponents =
    [
        0, 1, 2, 3, 6, 0x8000000000000000UL, Bls12381Curve.AbsX, Bls12381Curve.AbsX + 1, 0x44e992b44a6909f1UL,
        0xffUL, 0x1ffUL, 0xffffffffffffffffUL, // more than eight kept powers: the plain path
    ];

    [Fact]
    public void Bls12381_compressed_power_matches_plain_power() =>
        Check(Bls12381Curve.EasyPart(Bls12381Curve.MillerLoop([(Bls12381Curve.G1Generator, Bls12381Curve.G2Generator)])));

    [Fact]
    public void Bn254_compressed_power_matches_plain_power() =>
        Check(Bn254Curve.EasyPart(Bn254Curve.MillerLoop([(Bn254Curve.G1Generator, Bn254Curve.G2Generator)])));

    private static void Check<F>(Fp12<F> m) where F : struct, IPrimeField<F>
    {
        Assert.True(Fp12<F>.Equal(Fp12<F>.Square(m), Fp12<F>.CyclotomicSquare(m)), "test element is not cyclotomic");
        foreach (ulong e in Exponents)
        {
            Assert.True(Fp12<F>.Equal(Fp12<F>.CyclotomicPow(m, e), CompressedCyclotomic<F>.Pow(m, e)), $"e = {e:x}");
            Assert.True(Fp12<F>.Equal(Fp12<F>.One, CompressedCyclotomic<F>.Pow(Fp12<F>.One, e)), $"one^{e:x}");
        }
        Assert.True(Fp12<F>.Equal(FieldOps.Pow(m, new BigInteger(Bls12381Curve.AbsX)), CompressedCyclotomic<F>.Pow(m, Bls12381Curve.AbsX)));

        // Each compressed square, decompressed, equals the full cyclotomic square.
        Fp12<F> full = m;
        Fp2<F> g2 = m.C1.C0, g3 = m.C0.C2, g4 = m.C0.C1, g5 = m.C1.C2;
        for (int i = 0; i < 5; i++)
        {
            full = Fp12<F>.CyclotomicSquare(full);
            CompressedCyclotomic<F>.Square(ref g2, ref g3, ref g4, ref g5);
            var inv = Fp2<F>.Inverse(Fp2<F>.Double(Fp2<F>.Double(g2)));
            Assert.True(Fp12<F>.Equal(full, CompressedCyclotomic<F>.Decompress(g2, g3, g4, g5, inv)), $"square {i}");
        }
    }
}

/// <summary>The BLS12-381 fused, lazily reduced Fp4 square against three generic Fp2 squares, edge values included.</summary>
public class Fp4SquareTests
{
    [Fact]
    public void Bls12381_fused_fp4_square_matches_generic()
    {
        var pMinus1 = Bls12381Curve.P - 1;
        var values = new List<System.Numerics.BigInteger> { 0, 1, 2, pMinus1, pMinus1 - 1, pMinus1 / 2, (pMinus1 / 2) + 1 };
        var rng = new Random(44);
        var buf = new byte[48];
        for (int i = 0; i < 6; i++)
        {
            rng.NextBytes(buf);
            values.Add(new System.Numerics.BigInteger(buf, isUnsigned: true) % Bls12381Curve.P);
        }
        var f = values.Select(v => Fp<Bls12381FqParams>.FromBig(v)).ToArray();
        int n = f.Length;
        for (int i = 0; i < n; i++)
        for (int j = 0; j < n; j += 2)
        {
            var a = new Fp2<Fp<Bls12381FqParams>>(f[i], f[j]);
            var b = new Fp2<Fp<Bls12381FqParams>>(f[(i + j + 1) % n], f[(3 * i + j) % n]);
            var (e0, e1) = Fp12<Fp<Bls12381FqParams>>.Fp4SquareGeneric(a, b);
            var (g0, g1) = Fp12<Fp<Bls12381FqParams>>.Fp4Square(a, b);
            Assert.True(Fp2<Fp<Bls12381FqParams>>.Equal(e0, g0) && Fp2<Fp<Bls12381FqParams>>.Equal(e1, g1), $"{i} {j}");
        }
        // All coordinates p - 1: the largest double-width sums.
        var m = new Fp2<Fp<Bls12381FqParams>>(f[3], f[3]);
        var (x0, x1) = Fp12<Fp<Bls12381FqParams>>.Fp4SquareGeneric(m, m);
        var (y0, y1) = Fp12<Fp<Bls12381FqParams>>.Fp4Square(m, m);
        Assert.True(Fp2<Fp<Bls12381FqParams>>.Equal(x0, y0) && Fp2<Fp<Bls12381FqParams>>.Equal(x1, y1));
    }
}
