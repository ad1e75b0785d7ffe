using System.Numerics;
using OpenLedger.Evm.Precompiles;

namespace OpenLedger.Evm.Tests.Precompiles;

public class ModExpTests
{
    private static readonly ModExpPrecompile Precompile = new();

    private static byte[] Word(BigInteger v)
    {
        var w = new byte[32];
        var b = v.ToByteArray(isUnsigned: true, isBigEndian: true);
        b.CopyTo(w, 32 - b.Length);
        return w;
    }

    private static byte[] Fixed(BigInteger v, int len)
    {
        var w = new byte[len];
        var b = v.IsZero ? [] : v.ToByteArray(isUnsigned: true, isBigEndian: true);
        b.CopyTo(w, len - b.Length);
        return w;
    }

    private static byte[] Input(BigInteger b, int bl, BigInteger e, int el, BigInteger m, int ml) =>
        [.. Word(bl), .. Word(el), .. Word(ml), .. Fixed(b, bl), .. Fixed(e, el), .. Fixed(m, ml)];

    private static readonly BigInteger Secp256k1P = BigInteger.Parse("0fffffffffffffffffffffffffffffffffffffffffffffffffffffffefffffc2f", System.Globalization.NumberStyles.HexNumber);

    [Fact]
    public void Eip198_example_fermat_little_theorem()
    {
        byte[] input = Input(3, 1, Secp256k1P - 1, 32, Secp256k1P, 32);
        Assert.True(Precompile.TryRun(input, out var output));
        Assert.Equal(Word(1), output);
        Assert.Equal(1360, Precompile.GasCost(input)); // 4 words^2 * 255 iterations / 3
    }

    [Fact]
    public void Eip198_example_zero_base_with_empty_base_length()
    {
        byte[] input = [.. Word(0), .. Word(32), .. Word(32), .. Word(Secp256k1P - 1), .. Word(Secp256k1P)];
        Assert.True(Precompile.TryRun(input, out var output));
        Assert.Equal(new byte[32], output);
    }

    [Fact]
    public void Matches_biginteger_for_odd_even_and_power_of_two_moduli_of_many_sizes()
    {
        var rng = new Random(42);
        BigInteger Rand(int bytes)
        {
            var b = new byte[bytes];
            rng.NextBytes(b);
            return new BigInteger(b, isUnsigned: true, isBigEndian: true);
        }
        foreach (int size in new[] { 1, 7, 8, 9, 31, 32, 33, 64, 100, 128, 256 })
        {
            for (int kind = 0; kind < 4; kind++)
            {
                BigInteger m = Rand(size);
                if (kind == 0) m |= 1;                                  // odd
                if (kind == 1) m = (m | 1) << 13;                        // even with odd part
                if (kind == 2) m = BigInteger.One << (8 * size - 1 - rng.Next(8)); // power of two
                if (kind == 3) m = (m | 1) << 64;                         // even, limb-aligned shift
                int ml = (int)(m.GetBitLength() + 7) / 8 + (kind == 3 ? 0 : 1); // sometimes a leading zero byte
                int bl = size + 5, el = Math.Min(size, 48);
                BigInteger b = Rand(bl), e = Rand(el);
                Assert.True(Precompile.TryRun(Input(b, bl, e, el, m, ml), out var output));
                Assert.Equal(Fixed(BigInteger.ModPow(b, e, m), ml), output);
            }
        }
    }

    [Fact]
    public void Edge_cases_zero_modulus_zero_exponent_modulus_one()
    {
        Assert.True(Precompile.TryRun(Input(5, 1, 3, 1, 0, 4), out var zeroMod));
        Assert.Equal(new byte[4], zeroMod);
        Assert.True(Precompile.TryRun(Input(5, 1, 0, 1, 7, 1), out var zeroExp));
        Assert.Equal(new byte[] { 1 }, zeroExp);
        Assert.True(Precompile.TryRun(Input(5, 1, 0, 1, 1, 2), out var modOne));
        Assert.Equal(new byte[2], modOne);
        Assert.True(Precompile.TryRun(Input(0, 1, 0, 1, 8, 1), out var zeroPowZero)); // 0^0 = 1
        Assert.Equal(new byte[] { 1 }, zeroPowZero);
    }

    [Fact]
    public void Input_shorter_than_declared_is_zero_padded()
    {
        // base = 2, exp = 5, modulus declared 2 bytes but only its first byte (0x01) present: m = 0x0100 = 256.
        byte[] input = [.. Word(1), .. Word(1), .. Word(2), 2, 5, 1];
        Assert.True(Precompile.TryRun(input, out var output));
        Assert.Equal(new byte[] { 0, 32 }, output);
    }

    [Fact]
    public void Gas_follows_eip2565()
    {
        Assert.Equal(200, Precompile.GasCost([]));
        // Exponent longer than 32 bytes with a zero head: 8*(257-32) + 0 iterations (state test modexp, data 27).
        byte[] longExp = [.. Word(1), .. Word(257), .. Word(2), 2, .. new byte[256], 3, 0, 6];
        Assert.Equal(600, Precompile.GasCost(longExp));
        Assert.True(Precompile.TryRun(longExp, out var longExpOut));
        Assert.Equal(new byte[] { 0, 2 }, longExpOut);
        // 512-byte modulus, 256-byte exponent 0x01 then zeros: head bit length 249, so 8*(256-32) + 248 iterations.
        byte[] big = [.. Word(512), .. Word(256), .. Word(512), .. new byte[512], 1, .. new byte[255]];
        Assert.Equal(64L * 64 * (8 * (256 - 32) + 248) / 3, Precompile.GasCost(big));
    }

    [Fact]
    public void Giant_declared_lengths_cost_everything_and_do_not_allocate()
    {
        byte[] hugeBase = [.. Enumerable.Repeat((byte)0xff, 32), .. Word(1), .. Word(1)];
        Assert.Equal(long.MaxValue, Precompile.GasCost(hugeBase));
        Assert.False(Precompile.TryRun(hugeBase, out _));
        byte[] hugeMod = [.. Word(1), .. Word(1), .. Word(BigInteger.One << 40)];
        Assert.Equal(long.MaxValue, Precompile.GasCost(hugeMod));
        Assert.False(Precompile.TryRun(hugeMod, out _));
        // Within 64 bits but far beyond any gas limit: a 4 GiB base must not be allocated.
        byte[] bigBase = [.. Word(BigInteger.One << 32), .. Word(1), .. Word(1)];
        Assert.True(Precompile.GasCost(bigBase) > 1L << 50);
        Assert.False(Precompile.TryRun(bigBase, out _));
        byte[] hugeExp = [.. Word(1), .. Word(BigInteger.One << 200), .. Word(1), 2, 0xff];
        Assert.Equal(long.MaxValue, Precompile.GasCost(hugeExp));
        Assert.False(Precompile.TryRun(hugeExp, out _));
        // Nothing to compute when base and modulus are empty: 200 gas, empty output, whatever the exponent length.
        byte[] onlyExp = [.. Word(0), .. Enumerable.Repeat((byte)0xff, 32), .. Word(0)];
        Assert.Equal(200, Precompile.GasCost(onlyExp));
        Assert.True(Precompile.TryRun(onlyExp, out var empty));
        Assert.Empty(empty);
    }
}
