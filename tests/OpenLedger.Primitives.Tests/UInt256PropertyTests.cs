using System.Numerics;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using OpenLedger.Primitives;

namespace OpenLedger.Primitives.Tests;

/// <summary>Values that stress limb boundaries: edge constants, sparse limbs (0 / max / random), random bit lengths.</summary>
public static class UInt256Generators
{
    public static readonly UInt256[] Edges = BuildEdges();

    private static UInt256[] BuildEdges()
    {
        var list = new List<BigInteger> { 0, 1, 2, 3, 10, 255, 256 };
        foreach (int k in new[] { 31, 63, 64, 65, 127, 128, 129, 191, 192, 193, 254, 255 })
        {
            var p = BigInteger.One << k;
            list.Add(p);
            list.Add(p - 1);
            list.Add(p + 1);
        }
        list.Add(UInt256Reference.Modulus - 1);
        list.Add(UInt256Reference.Modulus - 2);
        list.Add(UInt256Reference.Modulus - (BigInteger.One << 64));
        return list.Where(v => v >= 0 && v < UInt256Reference.Modulus).Distinct().Select(UInt256.FromBigInteger).ToArray();
    }

    public static UInt256 Sample(Random r)
    {
        switch (r.Next(6))
        {
            case 0: return Edges[r.Next(Edges.Length)];
            case 1: return new UInt256(Limb(r), Limb(r), Limb(r), Limb(r));
            case 2:
                {
                    // random value with a random bit length, so quotients and remainders vary in size
                    var full = new UInt256(R64(r), R64(r), R64(r), R64(r));
                    return full >> r.Next(256);
                }
            case 3: return new UInt256(R64(r));
            default: return new UInt256(R64(r), R64(r), R64(r), R64(r));
        }
    }

    private static ulong R64(Random r) => (ulong)r.NextInt64() ^ ((ulong)r.Next(2) << 63);

    private static readonly ulong[] SpecialLimbs = [0, 1, ulong.MaxValue, ulong.MaxValue - 1, 1UL << 63, (1UL << 63) - 1, (1UL << 63) + 1];

    private static ulong Limb(Random r) => r.Next(4) switch
    {
        0 or 1 => SpecialLimbs[r.Next(SpecialLimbs.Length)],
        2 => 1UL << r.Next(64),
        _ => R64(r),
    };

    public static Arbitrary<UInt256> Values() =>
        Gen.Choose(0, int.MaxValue).Select(seed => Sample(new Random(seed))).ToArbitrary();
}

/// <summary>The EVM semantics, written out with BigInteger.</summary>
public static class UInt256Reference
{
    public static readonly BigInteger Modulus = BigInteger.One << 256;
    public static readonly BigInteger Half = BigInteger.One << 255;

    public static BigInteger B(UInt256 x) => x.ToBigInteger();
    public static BigInteger Wrap(BigInteger x) => ((x % Modulus) + Modulus) % Modulus;
    public static BigInteger Signed(UInt256 x) { var b = B(x); return b >= Half ? b - Modulus : b; }
    public static UInt256 U(BigInteger x) => UInt256.FromBigInteger(Wrap(x));
}

public class UInt256PropertyTests
{
    private const int Runs = 400;

    private static BigInteger B(UInt256 x) => UInt256Reference.B(x);
    private static UInt256 U(BigInteger x) => UInt256Reference.U(x);
    private static BigInteger S(UInt256 x) => UInt256Reference.Signed(x);
    private static readonly BigInteger M = UInt256Reference.Modulus;

    [Property(Arbitrary = [typeof(UInt256Generators)], MaxTest = Runs)]
    public void Add_matches_BigInteger(UInt256 a, UInt256 b)
    {
        Assert.Equal(U(B(a) + B(b)), a + b);
        Assert.Equal(B(a) + B(b) >= M, UInt256.AddOverflow(a, b, out var r));
        Assert.Equal(a + b, r);
    }

    [Property(Arbitrary = [typeof(UInt256Generators)], MaxTest = Runs)]
    public void Subtract_matches_BigInteger(UInt256 a, UInt256 b)
    {
        Assert.Equal(U(B(a) - B(b)), a - b);
        Assert.Equal(B(a) < B(b), UInt256.SubtractUnderflow(a, b, out var r));
        Assert.Equal(a - b, r);
    }

    [Property(Arbitrary = [typeof(UInt256Generators)], MaxTest = Runs)]
    public void Multiply_matches_BigInteger(UInt256 a, UInt256 b)
    {
        Assert.Equal(U(B(a) * B(b)), a * b);
        Assert.Equal(B(a) * B(b) >= M, UInt256.MultiplyOverflow(a, b, out var r));
        Assert.Equal(a * b, r);
    }

    [Property(Arbitrary = [typeof(UInt256Generators)], MaxTest = Runs)]
    public void Divide_and_Mod_match_BigInteger(UInt256 a, UInt256 b)
    {
        var expectedQ = b.IsZero ? BigInteger.Zero : B(a) / B(b);
        var expectedR = b.IsZero ? BigInteger.Zero : B(a) % B(b);
        Assert.Equal(U(expectedQ), a / b);
        Assert.Equal(U(expectedR), a % b);
        UInt256.DivRem(a, b, out var q, out var r);
        Assert.Equal(U(expectedQ), q);
        Assert.Equal(U(expectedR), r);
    }

    [Property(Arbitrary = [typeof(UInt256Generators)], MaxTest = Runs)]
    public void Divide_by_single_limb_matches_BigInteger(UInt256 a, UInt256 b)
    {
        ulong d = b.u0 == 0 ? 7 : b.u0;
        ulong rem = UInt256.DivRem(a, d, out var q);
        Assert.Equal(U(B(a) / d), q);
        Assert.Equal((ulong)(B(a) % d), rem);
    }

    [Property(Arbitrary = [typeof(UInt256Generators)], MaxTest = Runs)]
    public void SDivide_and_SMod_match_BigInteger(UInt256 a, UInt256 b)
    {
        // BigInteger division truncates toward zero and its remainder takes the dividend's sign, as SDIV/SMOD do.
        var q = b.IsZero ? BigInteger.Zero : BigInteger.Divide(S(a), S(b));
        var r = b.IsZero ? BigInteger.Zero : BigInteger.Remainder(S(a), S(b));
        Assert.Equal(U(q), UInt256.SDivide(a, b));
        Assert.Equal(U(r), UInt256.SMod(a, b));
    }

    [Property(Arbitrary = [typeof(UInt256Generators)], MaxTest = Runs)]
    public void AddMod_and_MulMod_match_BigInteger(UInt256 a, UInt256 b, UInt256 m)
    {
        Assert.Equal(m.IsZero ? UInt256.Zero : U((B(a) + B(b)) % B(m)), UInt256.AddMod(a, b, m));
        Assert.Equal(m.IsZero ? UInt256.Zero : U(B(a) * B(b) % B(m)), UInt256.MulMod(a, b, m));
    }

    [Property(Arbitrary = [typeof(UInt256Generators)], MaxTest = 150)]
    public void Exp_matches_BigInteger(UInt256 a, UInt256 e)
    {
        Assert.Equal(U(BigInteger.ModPow(B(a), B(e), M)), UInt256.Exp(a, e));
    }

    [Property(Arbitrary = [typeof(UInt256Generators)], MaxTest = Runs)]
    public void Shifts_match_BigInteger(UInt256 x, UInt256 s)
    {
        int n = (int)(s.u0 % 300);
        Assert.Equal(n >= 256 ? UInt256.Zero : U(B(x) << n), x << n);
        Assert.Equal(n >= 256 ? UInt256.Zero : U(B(x) >> n), x >> n);
        var sar = n >= 256 ? (x.IsNegative ? UInt256.MaxValue : UInt256.Zero) : U(S(x) >> n);
        Assert.Equal(sar, UInt256.ShiftRightArithmetic(x, n));
        // word-sized shift operand, as the EVM passes it
        UInt256.ShiftLeft(x, s, out var shlWord);
        Assert.Equal(s < 256 ? U(B(x) << (int)s.u0) : UInt256.Zero, shlWord);
        UInt256.ShiftRightArithmetic(x, s, out var sarWord);
        Assert.Equal(s < 256 ? U(S(x) >> (int)s.u0) : (x.IsNegative ? UInt256.MaxValue : UInt256.Zero), sarWord);
    }

    [Property(Arbitrary = [typeof(UInt256Generators)], MaxTest = Runs)]
    public void Bitwise_matches_BigInteger(UInt256 a, UInt256 b)
    {
        Assert.Equal(U(B(a) & B(b)), a & b);
        Assert.Equal(U(B(a) | B(b)), a | b);
        Assert.Equal(U(B(a) ^ B(b)), a ^ b);
        Assert.Equal(U(M - 1 - B(a)), ~a);
        Assert.Equal(U(-B(a)), UInt256.Negate(a));
    }

    [Property(Arbitrary = [typeof(UInt256Generators)], MaxTest = Runs)]
    public void Comparisons_match_BigInteger(UInt256 a, UInt256 b)
    {
        Assert.Equal(B(a) < B(b), a < b);
        Assert.Equal(B(a) > B(b), a > b);
        Assert.Equal(B(a) <= B(b), a <= b);
        Assert.Equal(B(a) >= B(b), a >= b);
        Assert.Equal(B(a) == B(b), a == b);
        Assert.Equal(B(a) != B(b), a != b);
        Assert.Equal(B(a).CompareTo(B(b)), a.CompareTo(b));
        Assert.Equal(S(a) < S(b), UInt256.SignedLessThan(a, b));
        Assert.Equal(S(a) > S(b), UInt256.SignedGreaterThan(a, b));
        Assert.Equal(S(a) < 0, a.IsNegative);
    }

    [Property(Arbitrary = [typeof(UInt256Generators)], MaxTest = Runs)]
    public void SignExtend_and_Byte_match_reference(UInt256 x, UInt256 i)
    {
        var small = new UInt256(i.u0 % 40);
        foreach (var index in new[] { small, i })
        {
            Assert.Equal(SignExtendReference(B(index), B(x)), UInt256.SignExtend(index, x));
            var expectedByte = B(index) >= 32 ? BigInteger.Zero : (B(x) >> (8 * (31 - (int)B(index)))) & 0xFF;
            Assert.Equal(U(expectedByte), UInt256.Byte(index, x));
        }
    }

    private static UInt256 SignExtendReference(BigInteger byteIndex, BigInteger x)
    {
        if (byteIndex >= 31) return U(x);
        int bits = 8 * (int)byteIndex + 8;
        var low = x & ((BigInteger.One << bits) - 1);
        bool negative = !(low >> (bits - 1)).IsZero;
        return U(negative ? low - (BigInteger.One << bits) : low);
    }

    [Property(Arbitrary = [typeof(UInt256Generators)], MaxTest = Runs)]
    public void Conversions_round_trip(UInt256 x)
    {
        Assert.Equal(x, UInt256.FromBigEndian(x.ToBigEndian()));
        Assert.Equal(x, UInt256.FromBigEndian(x.ToBigEndianMinimal()));
        Assert.Equal(B(x).ToString(), x.ToString());
        Assert.Equal(x, UInt256.Parse(x.ToString()));
        Assert.Equal(x, UInt256.Parse(x.ToHexString()));
        var hex = B(x).ToString("x").TrimStart('0');
        Assert.Equal("0x" + (hex.Length == 0 ? "0" : hex), x.ToHexString());
        Assert.Equal(x.ToBigEndianMinimal(), B(x).IsZero ? [] : B(x).ToByteArray(isUnsigned: true, isBigEndian: true));
        Assert.Equal(B(x) <= ulong.MaxValue, x.IsUlong);
        Assert.Equal(B(x).IsZero ? 0 : (int)B(x).GetBitLength(), x.BitLength);
    }
}
