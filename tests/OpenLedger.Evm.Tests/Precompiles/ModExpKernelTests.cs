using System.Numerics;
using OpenLedger.Crypto.Tests;
using OpenLedger.Evm.Precompiles;
using OpenLedger.Crypto.FieldMath;
using OpenLedger.Crypto.ModExp;

namespace OpenLedger.Evm.Tests.Precompiles;

/// <summary>
/// modexp's Montgomery products (unrolled one- and two-limb code, the assembly kernel for longer moduli, the managed
/// loop) against BigInteger.ModPow, with the kernel switched on and off: every exponent length that picks a different
/// sliding window, moduli whose top limb is all ones (the longest carries) and even ones (the CRT split). Runs alone:
/// it flips <see cref="NativeMontMul.Enabled"/>.
/// </summary>
[Collection(NativeFqToggleCollection.Name)]
public class ModExpKernelTests
{
    private static readonly ModExpPrecompile Precompile = new();

    [Fact]
    public void Modpow_matches_biginteger_with_and_without_the_kernel()
    {
        var rng = new Random(51);
        foreach (bool native in NativeMontMul.EnsureInitialized() ? new[] { false, true } : new[] { false })
        {
            KernelSwitch.ModExp(native, () =>
            {
                foreach (int limbs in new[] { 1, 2, 3, 4, 5, 8, 17, 40 })
                foreach (int expBytes in new[] { 0, 1, 2, 5, 17, 40, 100 })
                for (int kind = 0; kind < 4; kind++)
                {
                    int size = 8 * limbs;
                    BigInteger m = Rand(rng, size) | 1;
                    if (kind == 1) m = (BigInteger.One << (64 * limbs)) - 1 - 2 * Rand(rng, 4); // top limb all ones, odd
                    if (kind == 2) m |= BigInteger.One << (64 * limbs - 1);
                    if (kind == 3) m <<= 5; // even: odd part by Montgomery, 2^5 by truncated products
                    int ml = (int)(m.GetBitLength() + 7) / 8;
                    BigInteger b = Rand(rng, size + 3), e = Rand(rng, expBytes);
                    byte[] input = [.. Word(size + 3), .. Word(expBytes), .. Word(ml), .. Fixed(b, size + 3), .. Fixed(e, expBytes), .. Fixed(m, ml)];
                    Assert.True(Precompile.TryRun(input, out var output));
                    Assert.True(Fixed(BigInteger.ModPow(b, e, m), ml).AsSpan().SequenceEqual(output),
                        $"native={native} limbs={limbs} exp={expBytes}B kind={kind}");
                }
                return 0;
            });
        }
    }

    [Fact]
    public void Kernel_loads_wherever_the_library_does()
    {
        NativeMontMul.EnsureInitialized();
        Assert.True(NativeMontMul.Available == (NativeFieldLibrary.DisabledReason is null),
            $"library: {NativeFieldLibrary.DisabledReason ?? "loaded"}; kernel: {NativeMontMul.DisabledReason ?? "in use"}");
    }

    [Fact]
    public void Kernel_product_matches_the_managed_one_for_any_length()
    {
        if (!NativeMontMul.EnsureInitialized()) return;
        var rng = new Random(52);
        for (int n = 1; n <= 70; n++)
        {
            var q = RandLimbs(rng, n);
            q[0] |= 1;
            if (n % 3 == 0) q[n - 1] = ulong.MaxValue;
            var qBig = ToBig(q);
            var a = RandLimbs(rng, n); // any value below 2^(64n): the base chunks modexp converts
            var b = ToLimbs(ToBig(RandLimbs(rng, n)) % qBig, n);
            ulong n0 = LimbArith.NegInverse64(q[0]);
            var managed = new ulong[n];
            LimbArith.MontMul(managed, a, b, q, n0, new ulong[n + 2]);
            var native = new ulong[n];
            NativeMontMul.Mul(native, a, b, q, n0, new ulong[NativeMontMul.ScratchLimbs(n)]);
            Assert.True(managed.AsSpan().SequenceEqual(native), $"n={n}");
            // The Montgomery product times R is a*b mod q.
            Assert.Equal(ToBig(a) * ToBig(b) % qBig, (ToBig(native) << (64 * n)) % qBig);
            b.CopyTo(native, 0); // aliasing: r == b
            NativeMontMul.Mul(native, a, native, q, n0, new ulong[NativeMontMul.ScratchLimbs(n)]);
            Assert.True(managed.AsSpan().SequenceEqual(native), $"n={n} aliased");
        }
    }

    private static BigInteger Rand(Random rng, int bytes)
    {
        var b = new byte[bytes];
        rng.NextBytes(b);
        return new BigInteger(b, isUnsigned: true, isBigEndian: true);
    }

    private static ulong[] RandLimbs(Random rng, int n)
    {
        var l = new ulong[n];
        for (int i = 0; i < n; i++) l[i] = (ulong)rng.NextInt64() ^ ((ulong)rng.Next() << 40);
        return l;
    }

    private static BigInteger ToBig(ulong[] l)
    {
        BigInteger v = 0;
        for (int i = l.Length - 1; i >= 0; i--) v = (v << 64) + l[i];
        return v;
    }

    private static ulong[] ToLimbs(BigInteger v, int n)
    {
        var l = new ulong[n];
        for (int i = 0; i < n; i++)
        {
            l[i] = (ulong)(v & ulong.MaxValue);
            v >>= 64;
        }
        return l;
    }

    private static byte[] Word(BigInteger v) => Fixed(v, 32);

    private static byte[] Fixed(BigInteger v, int len)
    {
        var w = new byte[len];
        var b = v.IsZero ? [] : v.ToByteArray(isUnsigned: true, isBigEndian: true);
        b.CopyTo(w, len - b.Length);
        return w;
    }
}
