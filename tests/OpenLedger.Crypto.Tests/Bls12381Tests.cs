using System.Numerics;
using OpenLedger.Crypto.Bls12381;
using OpenLedger.Crypto.Bn254;
using OpenLedger.Crypto.FieldMath;
using Fq = OpenLedger.Crypto.FieldMath.Fp<OpenLedger.Crypto.Bls12381.Bls12381FqParams>;
using Fq2 = OpenLedger.Crypto.FieldMath.Fp2<OpenLedger.Crypto.FieldMath.Fp<OpenLedger.Crypto.Bls12381.Bls12381FqParams>>;

namespace OpenLedger.Crypto.Tests;

public class Bls12381Tests
{
    // Compressed generators as they appear first in the EIP-4844 trusted setup (setup_G1 / setup_G2[0]).
    private const string G1GeneratorCompressed = "97f1d3a73197d7942695638c4fa9ac0fc3688c4f9774b905a14e3a3f171bac586c55e83ff97a1aeffb3af00adb22c6bb";
    private const string G2GeneratorCompressed =
        "93e02b6052719f607dacd3a088274f65596bd0d09920b61ab5da61bbdc7f5049334cf11213945d57e5ac7d055d042b7e" +
        "024aa2b2f08f0a91260805272dc51051c6e47ad4fa403b02b4510b647ae3d1770bac0326a805bbefd48056c8c121bdb8";

    private static byte[] Scalar(BigInteger v)
    {
        var w = new byte[32];
        var b = v.ToByteArray(isUnsigned: true, isBigEndian: true);
        b.CopyTo(w, 32 - b.Length);
        return w;
    }

    [Fact]
    public void Generators_decompress_from_the_setup_encoding()
    {
        Assert.True(Bls12381Curve.TryDecompressG1(Convert.FromHexString(G1GeneratorCompressed), out var g1));
        Assert.True(Fq.Equal(g1.X, Bls12381Curve.G1Generator.X) && Fq.Equal(g1.Y, Bls12381Curve.G1Generator.Y));
        Assert.True(Bls12381Curve.TryDecompressG2(Convert.FromHexString(G2GeneratorCompressed), out var g2));
        Assert.True(Fq2.Equal(g2.X, Bls12381Curve.G2Generator.X) && Fq2.Equal(g2.Y, Bls12381Curve.G2Generator.Y));
        Assert.True(Bls12381Curve.G1Generator.IsOnCurve(Bls12381Curve.B));
        Assert.True(Bls12381Curve.G2Generator.IsOnCurve(Bls12381Curve.TwistB));
    }

    [Fact]
    public void Tau_g2_from_the_ceremony_is_a_valid_subgroup_point()
    {
        var tau = KzgVerifier.TauG2;
        Assert.False(tau.Infinity);
        Assert.True(tau.IsOnCurve(Bls12381Curve.TwistB));
        Assert.True(tau.ToJacobian().Multiply(Bls12381Curve.OrderBytes).IsIdentity);
    }

    [Fact]
    public void Decompression_rejects_bad_flags_non_canonical_x_and_points_off_curve()
    {
        byte[] g = Convert.FromHexString(G1GeneratorCompressed);
        byte[] uncompressed = (byte[])g.Clone();
        uncompressed[0] &= 0x7f;
        Assert.False(Bls12381Curve.TryDecompressG1(uncompressed, out _));

        byte[] inf = new byte[48];
        inf[0] = 0xc0;
        Assert.True(Bls12381Curve.TryDecompressG1(inf, out var o) && o.Infinity);
        inf[0] = 0xe0; // infinity with the sort flag
        Assert.False(Bls12381Curve.TryDecompressG1(inf, out _));
        inf[0] = 0xc0;
        inf[47] = 1; // infinity with nonzero x
        Assert.False(Bls12381Curve.TryDecompressG1(inf, out _));

        byte[] xp = Bls12381Curve.P.ToByteArray(isUnsigned: true, isBigEndian: true);
        xp[0] |= 0x80; // x = p
        Assert.False(Bls12381Curve.TryDecompressG1(xp, out _));

        // Find the first x that is on the curve but fails (x^3 + 4 non-square) and one that is on the curve.
        bool sawOffCurve = false, sawNonSubgroup = false;
        for (int x = 1; x < 64 && !(sawOffCurve && sawNonSubgroup); x++)
        {
            var enc = new byte[48];
            enc[0] = 0x80;
            enc[47] = (byte)x;
            Fq fx = Fq.FromBig(x);
            bool square = Fq.TrySqrt(Fq.Add(Fq.Mul(Fq.Square(fx), fx), Bls12381Curve.B), out _);
            bool ok = Bls12381Curve.TryDecompressG1(enc, out _);
            if (!square) { Assert.False(ok); sawOffCurve = true; }
            else { Assert.False(ok); sawNonSubgroup = true; } // cofactor > 1: small x are outside G1
        }
        Assert.True(sawOffCurve && sawNonSubgroup);
    }

    [Fact]
    public void Sort_flag_picks_the_negated_point()
    {
        byte[] g = Convert.FromHexString(G1GeneratorCompressed);
        g[0] ^= 0x20;
        Assert.True(Bls12381Curve.TryDecompressG1(g, out var neg));
        Assert.True(Fq.Equal(neg.Y, Fq.Neg(Bls12381Curve.G1Generator.Y)));
    }

    [Fact]
    public void Final_exponentiation_chain_matches_plain_exponentiation()
    {
        BigInteger p = Bls12381Curve.P, r = Bls12381Curve.R, x = -(BigInteger)Bls12381Curve.AbsX;
        BigInteger hard = (BigInteger.Pow(p, 4) - p * p + 1) / r;
        Assert.Equal(3 * hard, (x - 1) * (x - 1) * (x + p) * (x * x + p * p - 1) + 3);
        var f = Bls12381Curve.MillerLoop([(Bls12381Curve.G1Generator, Bls12381Curve.G2Generator)]);
        var expected = FieldOps.Pow(Bls12381Curve.EasyPart(f), 3 * hard);
        Assert.True(Fp12<Fq>.Equal(expected, Bls12381Curve.FinalExponentiation(f)));
    }

    [Fact]
    public void Pairing_is_bilinear_and_non_degenerate()
    {
        var rng = new Random(7);
        BigInteger a = new BigInteger(rng.NextInt64(1, long.MaxValue)) * rng.NextInt64(1, long.MaxValue);
        BigInteger b = new BigInteger(rng.NextInt64(1, long.MaxValue)) * rng.NextInt64(1, long.MaxValue);
        var aP = Bls12381Curve.G1Generator.ToJacobian().Multiply(Scalar(a)).ToAffine();
        var bQ = Bls12381Curve.G2Generator.ToJacobian().Multiply(Scalar(b)).ToAffine();
        var abP = Bls12381Curve.G1Generator.ToJacobian().Multiply(Scalar(a * b % Bls12381Curve.R)).ToAffine();
        var e1 = Bls12381Curve.Pair(aP, bQ);
        Assert.False(Fp12<Fq>.Equal(e1, Fp12<Fq>.One));
        Assert.True(Fp12<Fq>.Equal(e1, Bls12381Curve.Pair(abP, Bls12381Curve.G2Generator)));
        var product = Bls12381Curve.MillerLoop([(aP, bQ), (abP.Negate(), Bls12381Curve.G2Generator)]);
        Assert.True(Fp12<Fq>.Equal(Bls12381Curve.FinalExponentiation(product), Fp12<Fq>.One));
    }
}

public class Bls12381FastPathTests
{
    [Fact]
    public void Endomorphism_subgroup_test_agrees_with_multiplication_by_r()
    {
        var g = Bls12381Curve.G1Generator.ToJacobian();
        var rng = new Random(3);
        for (int i = 0; i < 3; i++)
        {
            var k = new byte[32];
            rng.NextBytes(k);
            var p = g.Multiply(k).ToAffine();
            Assert.True(Bls12381Curve.InG1Subgroup(p));
            Assert.True(Bls12381Curve.InG1SubgroupByOrder(p));
        }
        int outside = 0;
        for (int x = 1; x < 40; x++)
        {
            Fq fx = Fq.FromBig(x);
            if (!Fq.TrySqrt(Fq.Add(Fq.Mul(Fq.Square(fx), fx), Bls12381Curve.B), out var y)) continue;
            var p = new AffinePoint<Fq>(fx, y);
            Assert.Equal(Bls12381Curve.InG1SubgroupByOrder(p), Bls12381Curve.InG1Subgroup(p));
            // Clearing the cofactor (h = (x-1)^2/3) lands in G1: both tests must then accept.
            BigInteger h = BigInteger.Pow((BigInteger)Bls12381Curve.AbsX + 1, 2) / 3;
            var cleared = p.ToJacobian().Multiply(h.ToByteArray(isUnsigned: true, isBigEndian: true)).ToAffine();
            Assert.True(Bls12381Curve.InG1Subgroup(cleared) && Bls12381Curve.InG1SubgroupByOrder(cleared));
            outside++;
        }
        Assert.True(outside > 3);
    }

    [Fact]
    public void Cyclotomic_square_equals_square_after_the_easy_part()
    {
        var m = Bls12381Curve.EasyPart(Bls12381Curve.MillerLoop([(Bls12381Curve.G1Generator, Bls12381Curve.G2Generator)]));
        Assert.True(Fp12<Fq>.Equal(Fp12<Fq>.Square(m), Fp12<Fq>.CyclotomicSquare(m)));
        var n = Bn254Curve.EasyPart(Bn254Curve.MillerLoop([(Bn254Curve.G1Generator, Bn254Curve.G2Generator)]));
        Assert.True(Fp12<Fp<Bn254FqParams>>.Equal(Fp12<Fp<Bn254FqParams>>.Square(n), Fp12<Fp<Bn254FqParams>>.CyclotomicSquare(n)));
    }
}

public class FieldInverseTests
{
    [Fact]
    public void Binary_gcd_inverse_matches_fermat_in_both_fields()
    {
        var rng = new Random(5);
        for (int i = 0; i < 20; i++)
        {
            var bytes = new byte[48];
            rng.NextBytes(bytes);
            var v = new BigInteger(bytes, isUnsigned: true);
            var a = Fq.FromBig(v);
            Assert.True(Fq.Equal(Fq.Inverse(a), FieldOps.Pow(a, Bls12381Curve.P - 2)));
            Assert.True(Fq.Equal(Fq.Mul(a, Fq.Inverse(a)), Fq.One));
            var b = Fp<Bn254FqParams>.FromBig(v);
            Assert.True(Fp<Bn254FqParams>.Equal(Fp<Bn254FqParams>.Mul(b, Fp<Bn254FqParams>.Inverse(b)), Fp<Bn254FqParams>.One));
        }
        Assert.True(Fq.Inverse(Fq.Zero).IsZero);
        Assert.True(Fq.Equal(Fq.Inverse(Fq.One), Fq.One));
    }
}

public class Bls12381FixedBaseTests
{
    [Fact]
    public void Fixed_base_multiplication_matches_double_and_add()
    {
        var rng = new Random(9);
        for (int i = 0; i < 4; i++)
        {
            var k = new byte[32];
            rng.NextBytes(k);
            if (i == 0) Array.Clear(k);
            if (i == 1) Array.Fill(k, (byte)0xff);
            Assert.True(Bls12381Curve.MultiplyGenerator(k).EqualTo(Bls12381Curve.G1Generator.ToJacobian().Multiply(k)));
        }
    }
}
