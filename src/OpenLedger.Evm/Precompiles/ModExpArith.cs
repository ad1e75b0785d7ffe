using System.Numerics;
using OpenLedger.Evm.Precompiles.FieldMath;

namespace OpenLedger.Evm.Precompiles;

/// <summary>
/// Exact base^exp mod m over ulong limbs for any sizes. Odd moduli use Montgomery multiplication with a fixed
/// 4-bit window; an even modulus m = 2^k * q is split by CRT into an odd part (Montgomery) and a power of two
/// (truncated multiplication), then recombined.
/// </summary>
internal static class ModExpArith
{
    private const int Window = 4;

    /// <summary>base^exp mod modulus, all big-endian; the result is written right-aligned into dest (dest.Length bytes).</summary>
    public static void ModPow(ReadOnlySpan<byte> baseBe, ReadOnlySpan<byte> expBe, ReadOnlySpan<byte> modBe, Span<byte> dest)
    {
        dest.Clear();
        ulong[] m = ToLimbs(modBe);
        int mn = SignificantLimbs(m);
        if (mn == 0) return; // modulus 0: the result is zero
        m = m[..mn];
        ulong[] b = ToLimbs(baseBe);

        int k = TrailingZeroBits(m);
        ulong[] q = ShiftRight(m, k);
        q = q[..Math.Max(1, SignificantLimbs(q))];
        bool qIsOne = q.Length == 1 && q[0] == 1;

        ulong[] x1 = qIsOne ? new ulong[1] : MontgomeryPow(b, expBe, q);
        ulong[] result;
        if (k == 0)
        {
            result = x1;
        }
        else
        {
            int l = (k + 63) / 64;
            ulong topMask = k % 64 == 0 ? ulong.MaxValue : (1UL << (k % 64)) - 1;
            ulong[] x2 = PowModPow2(b, expBe, l, topMask);
            // t = (x2 - x1) * q^-1 mod 2^k; result = x1 + q * t  (< m)
            ulong[] x1Low = new ulong[l];
            x1.AsSpan(0, Math.Min(l, x1.Length)).CopyTo(x1Low);
            ulong[] diff = new ulong[l];
            LimbArith.Sub(diff, x2, x1Low);
            ulong[] t = MulLow(diff, InversePow2(q, l, topMask), l, topMask);
            result = new ulong[q.Length + l + 1];
            MulFull(q, t, result);
            ulong[] x1Wide = new ulong[result.Length];
            x1.CopyTo(x1Wide, 0);
            LimbArith.Add(result, result, x1Wide);
        }
        WriteBigEndian(result, dest);
    }

    private static ulong[] MontgomeryPow(ulong[] b, ReadOnlySpan<byte> expBe, ulong[] q)
    {
        int n = q.Length;
        ulong n0 = LimbArith.NegInverse64(q[0]);
        var scratch = new ulong[n + 2];

        // R mod q: start from 2^(bits-1) < q and double up to 2^(64n).
        int bits = 64 * n - BitOperations.LeadingZeroCount(q[n - 1]);
        var rModQ = new ulong[n];
        rModQ[(bits - 1) / 64] = 1UL << ((bits - 1) % 64);
        for (int i = bits - 1; i < 64 * n; i++) ModDouble(rModQ, q);
        // R^2 mod q = Mont(2)^(64n) in the Montgomery domain, where Mont(2) = 2R mod q.
        var two = (ulong[])rModQ.Clone();
        ModDouble(two, q);
        ulong[] r2 = MontPowSmall(two, (ulong)(64 * n), rModQ, q, n0, scratch);

        // Base mod q by Horner over n-limb chunks, in Montgomery form: acc = acc*R + chunk.
        var acc = new ulong[n];
        var chunk = new ulong[n];
        int chunks = (b.Length + n - 1) / n;
        for (int c = chunks - 1; c >= 0; c--)
        {
            Array.Clear(chunk);
            int start = c * n;
            b.AsSpan(start, Math.Min(n, b.Length - start)).CopyTo(chunk);
            LimbArith.MontMul(acc, acc, r2, q, n0, scratch);
            LimbArith.MontMul(chunk, chunk, r2, q, n0, scratch);
            ModAdd(acc, chunk, q);
        }

        // Fixed-window exponentiation.
        var table = new ulong[1 << Window][];
        table[0] = (ulong[])rModQ.Clone();
        for (int i = 1; i < table.Length; i++)
        {
            table[i] = new ulong[n];
            LimbArith.MontMul(table[i], table[i - 1], acc, q, n0, scratch);
        }
        var x = (ulong[])rModQ.Clone();
        bool started = false;
        foreach (byte by in expBe)
        {
            for (int shift = 8 - Window; shift >= 0; shift -= Window)
            {
                int digit = (by >> shift) & ((1 << Window) - 1);
                if (started)
                    for (int s = 0; s < Window; s++) LimbArith.MontMul(x, x, x, q, n0, scratch);
                if (digit != 0)
                {
                    LimbArith.MontMul(x, x, table[digit], q, n0, scratch);
                    started = true;
                }
            }
        }
        var one = new ulong[n];
        one[0] = 1;
        LimbArith.MontMul(x, x, one, q, n0, scratch);
        return x;
    }

    /// <summary>a^e in the Montgomery domain for a small exponent; one is Mont(1).</summary>
    private static ulong[] MontPowSmall(ulong[] a, ulong e, ulong[] one, ulong[] q, ulong n0, ulong[] scratch)
    {
        var r = (ulong[])one.Clone();
        for (int i = 63 - BitOperations.LeadingZeroCount(e); i >= 0; i--)
        {
            LimbArith.MontMul(r, r, r, q, n0, scratch);
            if (((e >> i) & 1) != 0) LimbArith.MontMul(r, r, a, q, n0, scratch);
        }
        return r;
    }

    private static void ModDouble(ulong[] x, ulong[] q)
    {
        ulong carry = LimbArith.Add(x, x, x);
        if (carry != 0 || LimbArith.Compare(x, q) >= 0) LimbArith.Sub(x, x, q);
    }

    private static void ModAdd(ulong[] x, ulong[] y, ulong[] q)
    {
        ulong carry = LimbArith.Add(x, x, y);
        if (carry != 0 || LimbArith.Compare(x, q) >= 0) LimbArith.Sub(x, x, q);
    }

    /// <summary>b^e mod 2^k with l = ceil(k/64) limbs, by square-and-multiply on truncated products.</summary>
    private static ulong[] PowModPow2(ulong[] b, ReadOnlySpan<byte> expBe, int l, ulong topMask)
    {
        var bl = new ulong[l];
        b.AsSpan(0, Math.Min(l, b.Length)).CopyTo(bl);
        bl[l - 1] &= topMask;
        var r = new ulong[l];
        r[0] = 1;
        r[l - 1] &= topMask; // k >= 1 so 1 survives unless l == 1 and mask == 0, impossible
        foreach (byte by in expBe)
        {
            for (int bit = 7; bit >= 0; bit--)
            {
                r = MulLow(r, r, l, topMask);
                if (((by >> bit) & 1) != 0) r = MulLow(r, bl, l, topMask);
            }
        }
        return r;
    }

    /// <summary>q^-1 mod 2^k for odd q by Newton iteration x = x(2 - qx), doubling the correct bits each step.</summary>
    private static ulong[] InversePow2(ulong[] q, int l, ulong topMask)
    {
        var ql = new ulong[l];
        q.AsSpan(0, Math.Min(l, q.Length)).CopyTo(ql);
        var x = new ulong[l];
        x[0] = unchecked(0 - LimbArith.NegInverse64(q[0]));
        var two = new ulong[l];
        two[0] = 2;
        for (int correct = 64; correct < 64 * l; correct *= 2)
        {
            ulong[] qx = MulLow(ql, x, l, ulong.MaxValue);
            var t = new ulong[l];
            LimbArith.Sub(t, two, qx);
            x = MulLow(x, t, l, ulong.MaxValue);
        }
        x[l - 1] &= topMask;
        return x;
    }

    /// <summary>a * b mod 2^(64(l-1)) * (topMask+1): the low l limbs of the product, top limb masked.</summary>
    private static ulong[] MulLow(ulong[] a, ulong[] b, int l, ulong topMask)
    {
        var r = new ulong[l];
        for (int i = 0; i < l; i++)
        {
            if (b[i] == 0) continue;
            ulong carry = 0;
            for (int j = 0; i + j < l; j++) carry = LimbArith.MulAdd(a[j], b[i], r[i + j], carry, out r[i + j]);
        }
        r[l - 1] &= topMask;
        return r;
    }

    /// <summary>r = a * b (r has at least a.Length + b.Length limbs, zeroed).</summary>
    private static void MulFull(ulong[] a, ulong[] b, ulong[] r)
    {
        for (int i = 0; i < b.Length; i++)
        {
            ulong carry = 0;
            for (int j = 0; j < a.Length; j++) carry = LimbArith.MulAdd(a[j], b[i], r[i + j], carry, out r[i + j]);
            r[i + a.Length] = carry;
        }
    }

    private static int SignificantLimbs(ulong[] x)
    {
        int n = x.Length;
        while (n > 0 && x[n - 1] == 0) n--;
        return n;
    }

    private static int TrailingZeroBits(ulong[] x)
    {
        int k = 0;
        foreach (ulong limb in x)
        {
            if (limb != 0) return k + BitOperations.TrailingZeroCount(limb);
            k += 64;
        }
        return k;
    }

    private static ulong[] ShiftRight(ulong[] x, int k)
    {
        int limbShift = k / 64, bitShift = k % 64;
        var r = new ulong[Math.Max(1, x.Length - limbShift)];
        for (int i = 0; i + limbShift < x.Length; i++)
        {
            ulong lo = x[i + limbShift] >> bitShift;
            ulong hi = bitShift != 0 && i + limbShift + 1 < x.Length ? x[i + limbShift + 1] << (64 - bitShift) : 0;
            r[i] = lo | hi;
        }
        return r;
    }

    /// <summary>Big-endian bytes to little-endian limbs (at least one limb).</summary>
    public static ulong[] ToLimbs(ReadOnlySpan<byte> be)
    {
        var r = new ulong[Math.Max(1, (be.Length + 7) / 8)];
        for (int i = 0; i < be.Length; i++)
        {
            int bytePos = be.Length - 1 - i; // significance of be[bytePos] is i bytes
            r[i / 8] |= (ulong)be[bytePos] << (8 * (i % 8));
        }
        return r;
    }

    /// <summary>Writes x right-aligned into dest, dropping limbs beyond dest (they are zero for results below m).</summary>
    private static void WriteBigEndian(ulong[] x, Span<byte> dest)
    {
        for (int i = 0; i < dest.Length; i++)
        {
            int limb = i / 8;
            if (limb >= x.Length) break;
            dest[dest.Length - 1 - i] = (byte)(x[limb] >> (8 * (i % 8)));
        }
    }
}
