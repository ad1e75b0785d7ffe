using System.Numerics;
using OpenLedger.Evm.Precompiles;
using OpenLedger.Crypto.Bn254;
using OpenLedger.Crypto.FieldMath;
using Fq = OpenLedger.Crypto.FieldMath.Fp<OpenLedger.Crypto.Bn254.Bn254FqParams>;

namespace OpenLedger.Evm.Tests.Precompiles;

/// <summary>GLV constants, scalar decomposition and the G1 multiplication against the plain generic double-and-add.</summary>
public class Bn254GlvTests
{
    private static readonly BigInteger P = Bn254Curve.P, R = Bn254Curve.R;
    private static readonly BigInteger Beta = BigInteger.Parse("2203960485148121921418603742825762020974279258880205651966");
    private static readonly BigInteger Lambda = BigInteger.Parse("4407920970296243842393367215006156084916469457145843978461");
    private static readonly BigInteger X = Bn254Curve.X;

    private static byte[] Word(BigInteger v)
    {
        var w = new byte[32];
        var b = v.ToByteArray(isUnsigned: true, isBigEndian: true);
        b.CopyTo(w, 32 - b.Length);
        return w;
    }

    private static BigInteger FromLimbs(in Limbs6 l)
    {
        BigInteger v = 0;
        for (int i = 3; i >= 0; i--) v = (v << 64) | l[i];
        return v;
    }

    private static BigInteger ToBig(UInt128 v) => ((BigInteger)(ulong)(v >> 64) << 64) | (ulong)v;

    [Fact]
    public void Constants_are_cube_roots_of_unity_and_match_the_endomorphism()
    {
        Assert.Equal(BigInteger.One, BigInteger.ModPow(Beta, 3, P));
        Assert.NotEqual(BigInteger.One, Beta);
        Assert.Equal(BigInteger.One, BigInteger.ModPow(Lambda, 3, R));
        Assert.NotEqual(BigInteger.One, Lambda);
        // BetaMont is beta R mod p.
        Assert.Equal(Beta * (BigInteger.One << 256) % P, FromLimbs(Bn254Glv.BetaMont));
        // [lambda]G = (beta Gx, Gy), by the generic double-and-add; the other pairing (beta^2) must not match.
        var g = Bn254Curve.G1Generator;
        var lg = g.ToJacobian().Multiply(Word(Lambda)).ToAffine();
        Assert.Equal(Beta * 1 % P, lg.X.ToBig());
        Assert.Equal(new BigInteger(2), lg.Y.ToBig());
        // Lattice basis rows a + b lambda = 0 mod r, determinant r.
        BigInteger a1 = 2 * X + 1, b1 = -(6 * X * X + 2 * X), a2 = 6 * X * X + 4 * X + 1, b2 = 2 * X + 1;
        Assert.Equal(BigInteger.Zero, BigInteger.Remainder(a1 + b1 * Lambda, R));
        Assert.Equal(BigInteger.Zero, BigInteger.Remainder(a2 + b2 * Lambda, R));
        Assert.Equal(R, a1 * b2 - a2 * b1);
    }

    private static IEnumerable<BigInteger> Scalars(int randomCount)
    {
        foreach (BigInteger k in new BigInteger[] { 0, 1, 2, 3, 15, 16, 17, 31, 32, 33, R - 1, R - 2, R / 2, R / 3, Lambda, R - Lambda, Lambda + 1,
                     (BigInteger.One << 128) - 1, BigInteger.One << 128, BigInteger.One << 127, BigInteger.One << 252, (BigInteger.One << 253) + 12345,
                     6 * X * X + 2 * X, 6 * X * X + 4 * X + 1, 2 * X + 1 })
            yield return k;
        var rng = new Random(196);
        var bytes = new byte[33];
        for (int n = 0; n < randomCount; n++)
        {
            rng.NextBytes(bytes);
            bytes[32] = 0;
            yield return (new BigInteger(bytes) >> rng.Next(0, 200)) % R;
        }
    }

    [Fact]
    public void Decomposition_recombines_and_halves_are_below_2_128()
    {
        BigInteger max = 0;
        foreach (BigInteger k in Scalars(20000))
        {
            byte[] w = Word(k);
            Bn254Glv.ReduceScalar(w, out ulong k0, out ulong k1, out ulong k2, out ulong k3);
            Assert.Equal(k, ((BigInteger)k3 << 192) | ((BigInteger)k2 << 128) | ((BigInteger)k1 << 64) | k0);
            Bn254Glv.Decompose(k0, k1, k2, k3, out UInt128 first, out UInt128 second, out bool negative);
            BigInteger s1 = ToBig(first), s2 = negative ? -ToBig(second) : ToBig(second);
            Assert.Equal(k, ((s1 + s2 * Lambda) % R + R) % R);
            max = BigInteger.Max(max, BigInteger.Max(BigInteger.Abs(s1), BigInteger.Abs(s2)));
        }
        Assert.True(max < BigInteger.One << 128);
        Assert.True(max > BigInteger.One << 120); // really ~128-bit halves, not trivially small ones
    }

    [Fact]
    public void Scalars_at_or_above_r_reduce_exactly()
    {
        BigInteger max = (BigInteger.One << 256) - 1;
        foreach (BigInteger s in new[] { R, R + 1, 2 * R, 5 * R, 5 * R + 7, max, max - 1, BigInteger.One << 255 })
        {
            Bn254Glv.ReduceScalar(Word(s), out ulong k0, out ulong k1, out ulong k2, out ulong k3);
            Assert.Equal(s % R, ((BigInteger)k3 << 192) | ((BigInteger)k2 << 128) | ((BigInteger)k1 << 64) | k0);
        }
    }

    [Fact]
    public void Naf_digits_are_odd_sparse_and_sum_to_k()
    {
        Span<sbyte> digits = stackalloc sbyte[132];
        foreach (BigInteger k in Scalars(500).Where(k => k < BigInteger.One << 128))
        {
            int len = Bn254Glv.Naf((UInt128)k, digits);
            BigInteger sum = 0;
            int lastNonZero = -10;
            for (int i = len - 1; i >= 0; i--)
            {
                sum = 2 * sum + digits[i];
                if (digits[i] == 0) continue;
                Assert.True(Math.Abs(digits[i]) % 2 == 1 && Math.Abs(digits[i]) <= 15);
                Assert.True(lastNonZero - i >= 5 || lastNonZero < 0);
                lastNonZero = i;
            }
            Assert.Equal(k, sum);
        }
    }

    [Fact]
    public void Glv_multiply_matches_plain_double_and_add()
    {
        var mul = new Bn254MulPrecompile();
        var rng = new Random(7);
        var points = new List<AffinePoint<Fq>> { Bn254Curve.G1Generator, Bn254Curve.G1Generator.Negate() };
        for (int i = 0; i < 3; i++) points.Add(Bn254Curve.G1Generator.ToJacobian().Multiply(Word(new BigInteger(rng.NextInt64()) * rng.NextInt64())).ToAffine());
        var scalars = Scalars(40).ToList();
        // Unreduced scalars: r + k, 2^256 - 1.
        scalars.Add(R + 5);
        scalars.Add((BigInteger.One << 256) - 1);
        scalars.Add(4 * R + Lambda);
        foreach (var p in points)
        {
            byte[] pBytes = new byte[64];
            Bn254Curve.WriteG1(p, pBytes);
            foreach (BigInteger s in scalars)
            {
                var expected = new byte[64];
                Bn254Curve.WriteG1(p.ToJacobian().Multiply(Word(s)).ToAffine(), expected);
                Assert.True(mul.TryRun([.. pBytes, .. Word(s)], out var actual));
                Assert.Equal(expected, actual);
            }
        }
    }

    [Fact]
    public void Add_matches_generic_jacobian_addition()
    {
        var add = new Bn254AddPrecompile();
        var rng = new Random(11);
        var g = Bn254Curve.G1Generator;
        var pts = new List<AffinePoint<Fq>> { g, g.Negate(), AffinePoint<Fq>.Identity };
        for (int i = 0; i < 20; i++) pts.Add(g.ToJacobian().Multiply(Word(new BigInteger(rng.NextInt64()) * rng.NextInt64() * rng.NextInt64())).ToAffine());
        foreach (var a in pts)
            foreach (var b in pts.Take(8).Append(a).Append(a.Negate()))
            {
                byte[] ab = new byte[64], bb = new byte[64], expected = new byte[64];
                Bn254Curve.WriteG1(a, ab);
                Bn254Curve.WriteG1(b, bb);
                Bn254Curve.WriteG1(a.ToJacobian().Add(b.ToJacobian()).ToAffine(), expected);
                Assert.True(add.TryRun([.. ab, .. bb], out var actual));
                Assert.Equal(expected, actual);
            }
    }
}
