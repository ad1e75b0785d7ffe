using System.Numerics;
using OpenLedger.Primitives;

namespace OpenLedger.Primitives.Tests;

/// <summary>Every operation on every pair of edge values, plus named EVM corner cases.</summary>
public class UInt256EdgeTests
{
    private static BigInteger B(UInt256 x) => UInt256Reference.B(x);
    private static UInt256 U(BigInteger x) => UInt256Reference.U(x);
    private static BigInteger S(UInt256 x) => UInt256Reference.Signed(x);
    private static readonly UInt256 MinSigned = UInt256.One << 255; // -2^255

    [Fact]
    public void All_binary_operations_agree_with_BigInteger_on_edge_pairs()
    {
        var edges = UInt256Generators.Edges;
        Assert.True(edges.Length > 30);
        foreach (var a in edges)
        foreach (var b in edges)
        {
            Assert.Equal(U(B(a) + B(b)), a + b);
            Assert.Equal(U(B(a) - B(b)), a - b);
            Assert.Equal(U(B(a) * B(b)), a * b);
            Assert.Equal(b.IsZero ? UInt256.Zero : U(B(a) / B(b)), a / b);
            Assert.Equal(b.IsZero ? UInt256.Zero : U(B(a) % B(b)), a % b);
            Assert.Equal(b.IsZero ? UInt256.Zero : U(BigInteger.Divide(S(a), S(b))), UInt256.SDivide(a, b));
            Assert.Equal(b.IsZero ? UInt256.Zero : U(BigInteger.Remainder(S(a), S(b))), UInt256.SMod(a, b));
            Assert.Equal(b.IsZero ? UInt256.Zero : U((B(a) + B(a)) % B(b)), UInt256.AddMod(a, a, b));
            Assert.Equal(b.IsZero ? UInt256.Zero : U(B(a) * B(a) % B(b)), UInt256.MulMod(a, a, b));
            Assert.Equal(B(a) * B(b) >= UInt256Reference.Modulus, UInt256.MultiplyOverflow(a, b, out _));
            Assert.Equal(B(a) < B(b), a < b);
            Assert.Equal(S(a) < S(b), UInt256.SignedLessThan(a, b));
        }
    }

    // Found by simulating algorithm D: in each, a quotient-limb estimate survives the two-limb
    // refinement and is still one too large, so the rare "add back" step must run.
    [Theory]
    [InlineData("0x80000000000000018000000000000000ffffffffffffffff8000000000000001", "0x80000000000000000000000000000000ffffffffffffffff")]
    [InlineData("0x7fffffffffffffff7fffffffffffffff80000000000000018000000000000000", "0x7fffffffffffffff7fffffffffffffffb9230710cf606b4e")]
    [InlineData("0xfffffffffffffffe80000000000000017fffffffffffffff0000000000000000", "0xffffffffffffffff8000000000000001fffffffffffffffe")]
    [InlineData("0xfffffffffffffffe80000000000000000000000000000001ffffffffffffffff", "0xffffffffffffffff7fffffffffffffffb48bc99e573eb65f")]
    [InlineData("0x8000000000000000ffffffffffffffff00000000000000010000000000000001", "0x8000000000000000ffffffffffffffffffffffffffffffff")]
    [InlineData("0x8000000000000000fffffffffffffffe00000000000000010000000000000000", "0x80000000000000017fffffffffffffff8000000000000001")]
    public void Division_add_back_cases(string dividend, string divisor)
    {
        var a = UInt256.Parse(dividend);
        var b = UInt256.Parse(divisor);
        Assert.Equal(U(B(a) / B(b)), a / b);
        Assert.Equal(U(B(a) % B(b)), a % b);
        Assert.Equal(U(B(a) * B(a) % B(b)), UInt256.MulMod(a, a, b));
    }

    [Fact]
    public void Division_by_zero_yields_zero()
    {
        var x = UInt256.MaxValue;
        Assert.Equal(UInt256.Zero, x / UInt256.Zero);
        Assert.Equal(UInt256.Zero, x % UInt256.Zero);
        Assert.Equal(UInt256.Zero, UInt256.SDivide(x, UInt256.Zero));
        Assert.Equal(UInt256.Zero, UInt256.SMod(x, UInt256.Zero));
        Assert.Equal(UInt256.Zero, UInt256.AddMod(x, x, UInt256.Zero));
        Assert.Equal(UInt256.Zero, UInt256.MulMod(x, x, UInt256.Zero));
        Assert.Throws<DivideByZeroException>(() => UInt256.DivRem(x, 0UL, out _));
    }

    [Fact]
    public void SDivide_of_min_by_minus_one_overflows_to_min()
    {
        Assert.Equal(MinSigned, UInt256.SDivide(MinSigned, UInt256.MaxValue));
        Assert.Equal(UInt256.Zero, UInt256.SMod(MinSigned, UInt256.MaxValue));
    }

    [Fact]
    public void Signed_examples_from_the_yellow_paper()
    {
        var minusTen = UInt256.Negate(10);
        Assert.Equal(UInt256.Negate(5), UInt256.SDivide(minusTen, 2));
        Assert.Equal(UInt256.Negate(1), UInt256.SMod(UInt256.Negate(7), 3));  // -7 smod 3 = -1
        Assert.Equal(new UInt256(1), UInt256.SMod(7, UInt256.Negate(3)));      // 7 smod -3 = 1
        Assert.True(UInt256.SignedLessThan(minusTen, 1));
        Assert.False(UInt256.SignedLessThan(1, minusTen));
    }

    [Fact]
    public void AddMod_and_MulMod_use_the_full_intermediate()
    {
        var max = UInt256.MaxValue;
        // (2^256-1 + 2^256-1) mod (2^256-1) = 0 and (2^256-1)^2 mod (2^256-2) = 1
        Assert.Equal(UInt256.Zero, UInt256.AddMod(max, max, max));
        Assert.Equal(UInt256.One, UInt256.MulMod(max, max, max - 1));
        Assert.Equal(new UInt256(3), UInt256.AddMod(max, 3, max)); // (2^256 + 2) mod (2^256 - 1)
    }

    [Fact]
    public void Shifts_saturate_and_sar_fills_the_sign()
    {
        Assert.Equal(UInt256.Zero, UInt256.One << 256);
        Assert.Equal(MinSigned, UInt256.One << 255);
        Assert.Equal(UInt256.Zero, UInt256.MaxValue >> 256);
        Assert.Equal(UInt256.MaxValue, UInt256.ShiftRightArithmetic(MinSigned, 256));
        Assert.Equal(UInt256.MaxValue, UInt256.ShiftRightArithmetic(MinSigned, 255));
        Assert.Equal(UInt256.Zero, UInt256.ShiftRightArithmetic(UInt256.MaxValue >> 1, 256));
        UInt256.ShiftLeft(UInt256.One, UInt256.MaxValue, out var huge);
        Assert.Equal(UInt256.Zero, huge);
    }

    [Fact]
    public void SignExtend_and_Byte_examples()
    {
        Assert.Equal(UInt256.MaxValue, UInt256.SignExtend(0, 0xFF));
        Assert.Equal(new UInt256(0x7F), UInt256.SignExtend(0, 0x7F));
        Assert.Equal(new UInt256(0x12), UInt256.SignExtend(0, 0xFF12));
        Assert.Equal(UInt256.MaxValue, UInt256.SignExtend(UInt256.MaxValue, UInt256.MaxValue));
        Assert.Equal(new UInt256(0xAB), UInt256.Byte(31, 0xAB));
        Assert.Equal(new UInt256(0x80), UInt256.Byte(0, MinSigned));
        Assert.Equal(UInt256.Zero, UInt256.Byte(32, UInt256.MaxValue));
    }

    [Fact]
    public void Exp_corner_cases()
    {
        Assert.Equal(UInt256.One, UInt256.Exp(0, 0));
        Assert.Equal(UInt256.Zero, UInt256.Exp(0, 5));
        Assert.Equal(UInt256.Zero, UInt256.Exp(2, 256));
        Assert.Equal(MinSigned, UInt256.Exp(2, 255));
        Assert.Equal(UInt256.MaxValue, UInt256.Exp(UInt256.MaxValue, UInt256.MaxValue)); // (-1)^odd
    }

    [Fact]
    public void Parse_accepts_hex_and_decimal_and_rejects_bad_input()
    {
        Assert.Equal(new UInt256(255), UInt256.Parse("0xff"));
        Assert.Equal(new UInt256(255), UInt256.Parse("0x00ff"));
        Assert.Equal(new UInt256(1000), UInt256.Parse("1000"));
        Assert.Equal(UInt256.MaxValue, UInt256.Parse("115792089237316195423570985008687907853269984665640564039457584007913129639935"));
        Assert.Equal(UInt256.MaxValue, UInt256.Parse("0x" + new string('f', 64)));
        foreach (var bad in new[] { "", "0x", "-1", "+1", "1.0", "0xg", " 1", "12a",
                     "115792089237316195423570985008687907853269984665640564039457584007913129639936",
                     "0x1" + new string('0', 64) })
        {
            var ex = Assert.Throws<FormatException>(() => UInt256.Parse(bad));
            Assert.Contains("UInt256", ex.Message);
            Assert.False(UInt256.TryParse(bad, out _));
        }
    }

    [Fact]
    public void Text_forms()
    {
        Assert.Equal("0x0", UInt256.Zero.ToHexString());
        Assert.Equal("0x1", UInt256.One.ToHexString());
        Assert.Equal("0x100", new UInt256(256).ToHexString());
        Assert.Equal("0", UInt256.Zero.ToString());
        Assert.Equal("18446744073709551616", (UInt256.One << 64).ToString());
        Assert.Equal("115792089237316195423570985008687907853269984665640564039457584007913129639935", UInt256.MaxValue.ToString());
    }

    [Fact]
    public void Conversions_are_checked()
    {
        Assert.Equal(ulong.MaxValue, (ulong)new UInt256(ulong.MaxValue));
        Assert.Throws<OverflowException>(() => (ulong)(UInt256.One << 64));
        Assert.Throws<OverflowException>(() => { UInt256 x = -1; return x; });
        Assert.Throws<OverflowException>(() => (UInt256)(-1L));
        Assert.Throws<OverflowException>(() => UInt256.FromBigInteger(UInt256Reference.Modulus));
        Assert.Throws<OverflowException>(() => UInt256.FromBigInteger(-1));
        Assert.Throws<ArgumentException>(() => UInt256.FromBigEndian(new byte[33]));
        Assert.True(new UInt256(long.MaxValue).TryToLong(out var l) && l == long.MaxValue);
        Assert.False(new UInt256((ulong)long.MaxValue + 1).TryToLong(out _));
        Assert.Equal(new UInt256(0x0102), UInt256.FromBigEndian([1, 2]));
        Assert.True(UInt256.One.IsOne && !UInt256.Zero.IsOne && UInt256.Zero.IsZero);
        Assert.Equal(new UInt256(1, 2, 3, 4), new UInt256(1, 2, 3, 4));
        Assert.Equal(new UInt256(1, 2, 3, 4).GetHashCode(), new UInt256(1, 2, 3, 4).GetHashCode());
    }

    [Fact]
    public void Arithmetic_does_not_allocate()
    {
        var a = UInt256.MaxValue - 12345;
        var b = (UInt256.One << 130) + 977;
        var m = (UInt256.One << 200) - 3;
        UInt256 sink = default;
        void Run()
        {
            UInt256.Add(a, b, out sink); UInt256.Multiply(a, b, out sink); UInt256.Divide(a, b, out sink);
            UInt256.Mod(a, b, out sink); UInt256.SDivide(a, b, out sink); UInt256.SMod(a, b, out sink);
            UInt256.AddMod(a, a, m, out sink); UInt256.MulMod(a, b, m, out sink); UInt256.Exp(b, 77, out sink);
            UInt256.ShiftRightArithmetic(a, 70, out sink); UInt256.SignExtend(7, a, out sink);
            UInt256.MultiplyOverflow(a, b, out sink);
        }
        for (int i = 0; i < 50; i++) Run(); // warm up JIT tiers and statics
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 10; i++) Run();
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        Assert.False(sink.IsZero);
    }

    [Fact]
    public void Division_reciprocal_matches_a_full_128_by_64_divide()
    {
        // The reciprocal behind every quotient limb is computed without dividing; check it against UInt128 division.
        var method = typeof(UInt256).GetMethod("Reciprocal2By1", System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Static)!;
        var recip = method.CreateDelegate<Func<ulong, ulong>>();
        var divisors = new List<ulong> { 1UL << 63, ulong.MaxValue, (1UL << 63) + 1, ulong.MaxValue - 1 };
        for (int k = 0; k < 64; k++) divisors.AddRange([(1UL << 63) | (1UL << k), (1UL << 63) | ((1UL << k) - 1), ulong.MaxValue ^ (k == 63 ? 0 : 1UL << k)]);
        for (ulong top = 256; top < 512; top++) divisors.AddRange([top << 55, (top << 55) | ((1UL << 55) - 1)]);
        var rnd = new Random(11);
        for (int i = 0; i < 100_000; i++) divisors.Add((ulong)rnd.NextInt64() | 1UL << 63 | (uint)rnd.Next(2));
        foreach (var d in divisors)
            Assert.True((ulong)(UInt128.MaxValue / d) == recip(d), $"reciprocal of 0x{d:x16}");
    }
}
