using System.Numerics;
using OpenLedger.Evm.Precompiles;
using OpenLedger.Crypto.Bn254;
using OpenLedger.Crypto.FieldMath;
using Fq = OpenLedger.Crypto.FieldMath.Fp<OpenLedger.Crypto.Bn254.Bn254FqParams>;
using Fq2 = OpenLedger.Crypto.FieldMath.Fp2<OpenLedger.Crypto.FieldMath.Fp<OpenLedger.Crypto.Bn254.Bn254FqParams>>;

namespace OpenLedger.Evm.Tests.Precompiles;

public class Bn254Tests
{
    private static byte[] Word(BigInteger v)
    {
        var w = new byte[32];
        var b = v.ToByteArray(isUnsigned: true, isBigEndian: true);
        b.CopyTo(w, 32 - b.Length);
        return w;
    }

    private static byte[] G1Bytes(AffinePoint<Fq> p)
    {
        var b = new byte[64];
        Bn254Curve.WriteG1(p, b);
        return b;
    }

    private static byte[] G2Bytes(AffinePoint<Fq2> q)
    {
        if (q.Infinity) return new byte[128];
        return [.. Word(q.X.B.ToBig()), .. Word(q.X.A.ToBig()), .. Word(q.Y.B.ToBig()), .. Word(q.Y.A.ToBig())];
    }

    private static readonly Bn254AddPrecompile Add = new();
    private static readonly Bn254MulPrecompile Mul = new();
    private static readonly Bn254PairingPrecompile Pairing = new();

    [Fact]
    public void Generators_are_on_their_curves_and_g2_has_order_r()
    {
        Assert.True(Bn254Curve.G1Generator.IsOnCurve(Bn254Curve.B));
        Assert.True(Bn254Curve.G2Generator.IsOnCurve(Bn254Curve.TwistB));
        Assert.True(Bn254Curve.TryReadG2(G2Bytes(Bn254Curve.G2Generator), out _));
    }

    [Fact]
    public void Add_generator_to_itself_equals_doubling_and_mul_by_two()
    {
        byte[] g = G1Bytes(Bn254Curve.G1Generator);
        Assert.True(Add.TryRun([.. g, .. g], out var sum));
        Assert.True(Mul.TryRun([.. g, .. Word(2)], out var twice));
        Assert.Equal(sum, twice);
        // 2*(1,2) on alt_bn128
        Assert.Equal(Word(BigInteger.Parse("1368015179489954701390400359078579693043519447331113978918064868415326638035")), sum[..32]);
        Assert.Equal(Word(BigInteger.Parse("9918110051302171585080402603319702774565515993150576347155970296011118125764")), sum[32..]);
    }

    [Fact]
    public void Add_handles_infinity_padding_and_inverse()
    {
        byte[] g = G1Bytes(Bn254Curve.G1Generator);
        Assert.True(Add.TryRun([], out var empty));
        Assert.Equal(new byte[64], empty);
        Assert.True(Add.TryRun(g, out var justG)); // second point zero-padded to infinity
        Assert.Equal(g, justG);
        byte[] negG = G1Bytes(Bn254Curve.G1Generator.Negate());
        Assert.True(Add.TryRun([.. g, .. negG, 0xFF, 0xFF], out var zero)); // trailing bytes ignored
        Assert.Equal(new byte[64], zero);
    }

    [Fact]
    public void Mul_by_group_order_gives_infinity_and_by_zero_too()
    {
        byte[] g = G1Bytes(Bn254Curve.G1Generator);
        Assert.True(Mul.TryRun([.. g, .. Word(Bn254Curve.R)], out var o));
        Assert.Equal(new byte[64], o);
        Assert.True(Mul.TryRun(g, out var z));
        Assert.Equal(new byte[64], z);
        Assert.True(Mul.TryRun([.. g, .. Word(Bn254Curve.R + 1)], out var same));
        Assert.Equal(g, same);
    }

    [Fact]
    public void Rejects_points_off_curve_and_coordinates_not_below_p()
    {
        Assert.False(Add.TryRun([.. Word(1), .. Word(3)], out _));
        Assert.False(Mul.TryRun([.. Word(1), .. Word(3), .. Word(5)], out _));
        Assert.False(Add.TryRun([.. Word(Bn254Curve.P + 1), .. Word(2)], out _)); // (p+1, 2) is (1, 2) mod p
        Assert.False(Add.TryRun([.. Word(0), .. Word(Bn254Curve.P)], out _));
    }

    [Fact]
    public void Pairing_empty_input_is_true_and_bad_lengths_fail()
    {
        Assert.True(Pairing.TryRun([], out var r));
        Assert.Equal(1, r[31]);
        Assert.False(Pairing.TryRun(new byte[191], out _));
        Assert.False(Pairing.TryRun(new byte[193], out _));
        Assert.Equal(45000 + 2 * 34000, Pairing.GasCost(new byte[384]));
    }

    [Fact]
    public void Pairing_of_p_q_times_minus_p_q_is_one()
    {
        byte[] g1 = G1Bytes(Bn254Curve.G1Generator), negG1 = G1Bytes(Bn254Curve.G1Generator.Negate());
        byte[] g2 = G2Bytes(Bn254Curve.G2Generator);
        Assert.True(Pairing.TryRun([.. g1, .. g2, .. negG1, .. g2], out var r));
        Assert.Equal(1, r[31]);
        Assert.True(Pairing.TryRun([.. g1, .. g2], out var single));
        Assert.Equal(new byte[32], single);
        Assert.True(Pairing.TryRun([.. g1, .. g2, .. g1, .. g2], out var doubled));
        Assert.Equal(new byte[32], doubled);
        Assert.True(Pairing.TryRun([.. new byte[64], .. g2], out var withInfinity));
        Assert.Equal(1, withInfinity[31]);
    }

    [Fact]
    public void Pairing_is_bilinear_for_random_scalars()
    {
        var rng = new Random(1);
        for (int n = 0; n < 2; n++)
        {
            BigInteger a = new BigInteger(rng.NextInt64(1, long.MaxValue)) * rng.NextInt64(1, long.MaxValue);
            BigInteger b = new BigInteger(rng.NextInt64(1, long.MaxValue)) * rng.NextInt64(1, long.MaxValue);
            var aP = Bn254Curve.G1Generator.ToJacobian().Multiply(Word(a)).ToAffine();
            var bQ = Bn254Curve.G2Generator.ToJacobian().Multiply(Word(b)).ToAffine();
            var abP = Bn254Curve.G1Generator.ToJacobian().Multiply(Word(a * b % Bn254Curve.R)).ToAffine();
            // e(aP, bQ) * e(-abP, Q) == 1
            byte[] input = [.. G1Bytes(aP), .. G2Bytes(bQ), .. G1Bytes(abP.Negate()), .. G2Bytes(Bn254Curve.G2Generator)];
            Assert.True(Pairing.TryRun(input, out var r));
            Assert.Equal(1, r[31]);
            Assert.False(Fp12<Fq>.Equal(Bn254Curve.Pair(aP, bQ), Fp12<Fq>.One));
            Assert.True(Fp12<Fq>.Equal(Bn254Curve.Pair(aP, bQ), Bn254Curve.Pair(abP, Bn254Curve.G2Generator)));
        }
    }

    [Fact]
    public void Pairing_rejects_g2_off_twist_or_outside_subgroup()
    {
        byte[] g1 = G1Bytes(Bn254Curve.G1Generator);
        byte[] g2 = G2Bytes(Bn254Curve.G2Generator);
        byte[] bad = (byte[])g2.Clone();
        bad[127] ^= 1;
        Assert.False(Pairing.TryRun([.. g1, .. bad], out _));
        // A point on the twist outside the order-r subgroup: find x with x^3 + b' square.
        for (int x = 1; ; x++)
        {
            Fq2 fx = new(Fq.FromBig(x), Fq.One);
            Fq2 rhs = Fq2.Add(Fq2.Mul(Fq2.Square(fx), fx), Bn254Curve.TwistB);
            if (!Fq2.TrySqrt(rhs, out var y)) continue;
            var q = new AffinePoint<Fq2>(fx, y);
            Assert.True(q.IsOnCurve(Bn254Curve.TwistB));
            Assert.False(Pairing.TryRun([.. g1, .. G2Bytes(q)], out _));
            break;
        }
    }
}

public class Bn254FinalExponentiationTests
{
    [Fact]
    public void Hard_part_decomposition_matches_plain_exponentiation()
    {
        BigInteger x = Bn254Curve.X, p = Bn254Curve.P;
        BigInteger l0 = -36 * x * x * x - 30 * x * x - 18 * x - 2, l1 = -36 * x * x * x - 18 * x * x - 12 * x + 1, l2 = 6 * x * x + 1;
        Assert.Equal(Bn254Curve.HardExponent, l0 + l1 * p + l2 * p * p + p * p * p);
        var f = Bn254Curve.MillerLoop([(Bn254Curve.G1Generator, Bn254Curve.G2Generator)]);
        var expected = FieldOps.Pow(Bn254Curve.EasyPart(f), Bn254Curve.HardExponent);
        Assert.True(Fp12<Fq>.Equal(expected, Bn254Curve.FinalExponentiation(f)));
    }
}

public class Bn254SubgroupTests
{
    [Fact]
    public void Frobenius_subgroup_test_agrees_with_multiplication_by_r()
    {
        var rng = new Random(11);
        var k = new byte[32];
        rng.NextBytes(k);
        var q = Bn254Curve.G2Generator.ToJacobian().Multiply(k).ToAffine();
        Assert.True(Bn254Curve.InG2Subgroup(q) && Bn254Curve.InG2SubgroupByOrder(q));
        Assert.True(Bn254Curve.InG2Subgroup(Bn254Curve.G2Generator));
        int tried = 0;
        for (int x = 1; tried < 3; x++)
        {
            Fq2 fx = new(Fq.FromBig(x), Fq.FromBig(x + 1));
            if (!Fq2.TrySqrt(Fq2.Add(Fq2.Mul(Fq2.Square(fx), fx), Bn254Curve.TwistB), out var y)) continue;
            var p = new AffinePoint<Fq2>(fx, y);
            Assert.False(Bn254Curve.InG2SubgroupByOrder(p));
            Assert.False(Bn254Curve.InG2Subgroup(p));
            tried++;
        }
    }
}
