using System.Numerics;
using OpenLedger.Crypto.Bn254;
using OpenLedger.Crypto.FieldMath;
using Fq = OpenLedger.Crypto.FieldMath.Fp<OpenLedger.Crypto.Bn254.Bn254FqParams>;

namespace OpenLedger.Evm.Tests.Precompiles;

/// <summary>The dedicated G1 formulas (doubling, mixed and full addition with their exceptional cases) against the generic Jacobian code.</summary>
public class Bn254G1Tests
{
    private static byte[] Word(BigInteger v)
    {
        var w = new byte[32];
        var b = v.ToByteArray(isUnsigned: true, isBigEndian: true);
        b.CopyTo(w, 32 - b.Length);
        return w;
    }

    private static G1Affine Read(AffinePoint<Fq> p)
    {
        var b = new byte[64];
        Bn254Curve.WriteG1(p, b);
        Assert.True(Bn254G1.TryRead(b, out var a, out bool infinity));
        Assert.False(infinity);
        return a;
    }

    private static byte[] Encode(in G1Jacobian p)
    {
        var b = new byte[64];
        if (Bn254G1.ToAffine(p, out var a)) Bn254G1.Write(a, b);
        return b;
    }

    private static byte[] Encode(AffinePoint<Fq> p)
    {
        var b = new byte[64];
        Bn254Curve.WriteG1(p, b);
        return b;
    }

    private static AffinePoint<Fq> Mul(BigInteger k) => Bn254Curve.G1Generator.ToJacobian().Multiply(Word(k)).ToAffine();

    private static G1Jacobian Jacobian(G1Affine a)
    {
        // Z = 1; the tests double it to get representatives with Z != 1.
        G1Jacobian j = default;
        j.X = a.X;
        j.Y = a.Y;
        j.Z = Bn254G1.One;
        return j;
    }

    [Fact]
    public void Doubling_matches_generic()
    {
        var rng = new Random(3);
        for (int n = 0; n < 50; n++)
        {
            BigInteger k = new BigInteger(rng.NextInt64(1, long.MaxValue)) * rng.NextInt64(1, long.MaxValue);
            var j = Jacobian(Read(Mul(k)));
            Bn254G1.Double(ref j);
            Bn254G1.Double(ref j); // second doubling starts from Z != 1
            Assert.Equal(Encode(Mul(4 * k)), Encode(j));
        }
        G1Jacobian identity = default;
        Bn254G1.Double(ref identity);
        Assert.Equal(new byte[64], Encode(identity));
    }

    [Fact]
    public void Mixed_addition_matches_generic_including_equal_and_opposite_points()
    {
        var rng = new Random(4);
        for (int n = 0; n < 30; n++)
        {
            BigInteger k = new BigInteger(rng.NextInt64(1, long.MaxValue)) * rng.NextInt64(1, long.MaxValue);
            BigInteger m = rng.NextInt64(1, long.MaxValue);
            // acc = 2k G with Z != 1
            var acc = Jacobian(Read(Mul(k)));
            Bn254G1.Double(ref acc);
            var sum = acc;
            Bn254G1.AddMixed(ref sum, Read(Mul(m)));
            Assert.Equal(Encode(Mul(2 * k + m)), Encode(sum));
            var same = acc;
            Bn254G1.AddMixed(ref same, Read(Mul(2 * k)));
            Assert.Equal(Encode(Mul(4 * k)), Encode(same));
            var opposite = acc;
            Bn254G1.AddMixed(ref opposite, Read(Mul(2 * k).Negate()));
            Assert.Equal(new byte[64], Encode(opposite));
            G1Jacobian identity = default;
            Bn254G1.AddMixed(ref identity, Read(Mul(m)));
            Assert.Equal(Encode(Mul(m)), Encode(identity));
            // Full Jacobian addition, both with Z != 1, and its exceptional cases.
            var other = Jacobian(Read(Mul(m)));
            Bn254G1.Double(ref other);
            var full = acc;
            Bn254G1.Add(ref full, other);
            Assert.Equal(Encode(Mul(2 * k + 2 * m)), Encode(full));
            var twice = acc;
            Bn254G1.Add(ref twice, acc);
            Assert.Equal(Encode(Mul(4 * k)), Encode(twice));
        }
    }

    /// <summary>The old precompile logic on the generic code: the reference for success/failure and output bytes.</summary>
    private static bool ReferenceAdd(byte[] input, out byte[] output)
    {
        output = [];
        var buf = new byte[128];
        input.AsSpan(0, Math.Min(input.Length, 128)).CopyTo(buf);
        if (!Bn254Curve.TryReadG1(buf.AsSpan(0, 64), out var a) || !Bn254Curve.TryReadG1(buf.AsSpan(64), out var b)) return false;
        output = Encode(a.ToJacobian().Add(b.ToJacobian()).ToAffine());
        return true;
    }

    private static bool ReferenceMul(byte[] input, out byte[] output)
    {
        output = [];
        var buf = new byte[96];
        input.AsSpan(0, Math.Min(input.Length, 96)).CopyTo(buf);
        if (!Bn254Curve.TryReadG1(buf.AsSpan(0, 64), out var p)) return false;
        output = Encode(p.ToJacobian().Multiply(buf.AsSpan(64)).ToAffine());
        return true;
    }

    [Fact]
    public void Precompiles_agree_with_the_generic_path_on_valid_malformed_and_odd_length_inputs()
    {
        var add = new OpenLedger.Evm.Precompiles.Bn254AddPrecompile();
        var mul = new OpenLedger.Evm.Precompiles.Bn254MulPrecompile();
        var rng = new Random(5);
        var valid = new List<byte[]> { new byte[64], Encode(Bn254Curve.G1Generator), Encode(Bn254Curve.G1Generator.Negate()) };
        for (int i = 0; i < 6; i++) valid.Add(Encode(Mul(new BigInteger(rng.NextInt64(1, long.MaxValue)) * rng.NextInt64())));
        byte[] pBytes = Word(Bn254Curve.P);
        byte[] Mutate(byte[] point)
        {
            var m = (byte[])point.Clone();
            switch (rng.Next(4))
            {
                case 0: m[rng.Next(64)] ^= (byte)(1 << rng.Next(8)); break; // off the curve (almost surely)
                case 1: pBytes.CopyTo(m, 0); break; // x = p
                case 2: Array.Fill(m, (byte)0xFF, 32, 32); break; // y >= p
                default: rng.NextBytes(m); break;
            }
            return m;
        }
        for (int n = 0; n < 400; n++)
        {
            byte[] a = rng.Next(3) == 0 ? Mutate(valid[rng.Next(valid.Count)]) : valid[rng.Next(valid.Count)];
            byte[] b = rng.Next(3) == 0 ? Mutate(valid[rng.Next(valid.Count)]) : valid[rng.Next(valid.Count)];
            byte[] scalar = new byte[32];
            rng.NextBytes(scalar);
            byte[] addInput = [.. a, .. b, .. new byte[rng.Next(3)]];
            byte[] mulInput = [.. a, .. scalar];
            int cut = rng.Next(4) == 0 ? rng.Next(0, 140) : -1; // truncated inputs are zero-padded
            if (cut >= 0)
            {
                addInput = addInput[..Math.Min(cut, addInput.Length)];
                mulInput = mulInput[..Math.Min(cut, mulInput.Length)];
            }
            Assert.Equal(ReferenceAdd(addInput, out var expectedAdd), add.TryRun(addInput, out var actualAdd));
            Assert.Equal(expectedAdd, actualAdd);
            Assert.Equal(ReferenceMul(mulInput, out var expectedMul), mul.TryRun(mulInput, out var actualMul));
            Assert.Equal(expectedMul, actualMul);
        }
    }
}
