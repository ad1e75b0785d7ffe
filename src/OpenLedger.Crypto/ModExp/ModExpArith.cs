using System.Numerics;
using OpenLedger.Crypto.FieldMath;

namespace OpenLedger.Crypto.ModExp;

/// <summary>
/// Exact base^exp mod m over ulong limbs for any sizes. Odd moduli use Montgomery multiplication with a fixed
/// 4-bit window; an even modulus m = 2^k * q is split by CRT into an odd part (Montgomery) and a power of two
/// (truncated multiplication), then recombined.
/// </summary>
internal static class ModExpArith
{
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
        var scratch = new ulong[NativeMontMul.ScratchLimbs(n)]; // enough for either product

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
            MontMul(acc, acc, r2, q, n0, scratch);
            MontMul(chunk, chunk, r2, q, n0, scratch);
            ModAdd(acc, chunk, q);
        }

        // Sliding-window exponentiation over odd powers, the window sized to the exponent: a short exponent does
        // not pay for a table it cannot use (the gas formula charges a 1-byte exponent for 7 products at most).
        int expBits = BitLength(expBe);
        int w = WindowBits(expBits);
        var table = new ulong[1 << (w - 1)][]; // table[i] = base^(2i + 1)
        table[0] = acc;
        if (table.Length > 1)
        {
            var sq = new ulong[n];
            MontMul(sq, acc, acc, q, n0, scratch);
            for (int i = 1; i < table.Length; i++)
            {
                table[i] = new ulong[n];
                MontMul(table[i], table[i - 1], sq, q, n0, scratch);
            }
        }
        var x = (ulong[])rModQ.Clone();
        bool started = false;
        for (int i = expBits - 1; i >= 0;)
        {
            if (!Bit(expBe, i))
            {
                if (started) MontMul(x, x, x, q, n0, scratch);
                i--;
                continue;
            }
            int j = Math.Max(i - w + 1, 0);
            while (!Bit(expBe, j)) j++; // the window ends on a set bit, so its value is odd
            int value = 0;
            for (int k = i; k >= j; k--) value = (value << 1) | (Bit(expBe, k) ? 1 : 0);
            if (started)
            {
                for (int k = i; k >= j; k--) MontMul(x, x, x, q, n0, scratch);
                MontMul(x, x, table[value >> 1], q, n0, scratch);
            }
            else
            {
                table[value >> 1].CopyTo(x, 0);
                started = true;
            }
            i = j - 1;
        }
        var one = new ulong[n];
        one[0] = 1;
        MontMul(x, x, one, q, n0, scratch);
        return x;
    }

    /// <summary>Bit i (0 = least significant) of a big-endian number.</summary>
    private static bool Bit(ReadOnlySpan<byte> be, int i) => ((be[be.Length - 1 - i / 8] >> (i % 8)) & 1) != 0;

    private static int BitLength(ReadOnlySpan<byte> be)
    {
        for (int i = 0; i < be.Length; i++)
            if (be[i] != 0) return 8 * (be.Length - i) - BitOperations.LeadingZeroCount((uint)be[i]) + 24;
        return 0;
    }

    /// <summary>The sliding-window width that minimizes table products (2^(w-1) - 1, plus one squaring) plus about
    /// bits/(w+1) window products for an exponent of the given length.</summary>
    internal static int WindowBits(int bits)
    {
        int best = 1;
        double bestCost = double.MaxValue;
        for (int w = 1; w <= 6; w++)
        {
            double cost = (w == 1 ? 0 : (1 << (w - 1))) + (double)bits / (w + 1);
            if (cost < bestCost)
            {
                bestCost = cost;
                best = w;
            }
        }
        return best;
    }

    /// <summary>The Montgomery product: the assembly kernel where it is in use, else the managed one.</summary>
    /// <remarks>One- and two-limb moduli take unrolled code: their products are a few nanoseconds, so a call into the
    /// general loop (or the kernel) would cost more than the arithmetic.</remarks>
    private static void MontMul(ulong[] r, ulong[] a, ulong[] b, ulong[] q, ulong n0, ulong[] scratch)
    {
        switch (q.Length)
        {
            case 1:
                r[0] = MontMul1(a[0], b[0], q[0], n0);
                return;
            case 2:
                MontMul2(r, a, b, q, n0);
                return;
        }
        if (NativeMontMul.Enabled) NativeMontMul.Mul(r, a, b, q, n0, scratch);
        else LimbArith.MontMul(r, a, b, q, n0, scratch);
    }

    /// <summary>a*b/2^64 mod q for one odd limb q (a, b below 2^64; the result below q when a*b &lt; q*2^64).</summary>
    internal static ulong MontMul1(ulong a, ulong b, ulong q, ulong n0)
    {
        ulong hi = LimbArith.MulAdd(a, b, 0, 0, out ulong lo);
        ulong m = lo * n0;
        ulong mh = LimbArith.MulAdd(m, q, 0, 0, out _);
        // lo + low(m*q) is 0 mod 2^64, with a carry exactly when lo != 0.
        ulong t = hi + mh;
        ulong over = t < hi ? 1UL : 0UL;
        ulong c = lo != 0 ? 1UL : 0UL;
        t += c;
        over |= t < c ? 1UL : 0UL;
        return over != 0 || t >= q ? t - q : t;
    }

    /// <summary>r = a*b/2^128 mod q for a two-limb odd q (CIOS, two rows); r may alias a or b.</summary>
    internal static void MontMul2(ulong[] r, ulong[] a, ulong[] b, ulong[] q, ulong n0)
    {
        ulong a0 = a[0], a1 = a[1], q0 = q[0], q1 = q[1];
        ulong t0, t1, t2, t3, c, m;
        // row 0: t = a*b0
        c = LimbArith.MulAdd(a0, b[0], 0, 0, out t0);
        t2 = LimbArith.MulAdd(a1, b[0], c, 0, out t1);
        m = t0 * n0;
        c = LimbArith.MulAdd(m, q0, t0, 0, out _);
        c = LimbArith.MulAdd(m, q1, t1, c, out t0);
        t1 = t2 + c;
        t2 = t1 < c ? 1UL : 0UL;
        // row 1: t += a*b1, then reduce
        c = LimbArith.MulAdd(a0, b[1], t0, 0, out t0);
        c = LimbArith.MulAdd(a1, b[1], t1, c, out t1);
        t2 += c;
        t3 = t2 < c ? 1UL : 0UL;
        m = t0 * n0;
        c = LimbArith.MulAdd(m, q0, t0, 0, out _);
        c = LimbArith.MulAdd(m, q1, t1, c, out t0);
        t1 = t2 + c;
        t2 = t3 + (t1 < c ? 1UL : 0UL);
        // t = (t0, t1, t2) < 2q: subtract q once if t >= q
        ulong d0 = t0 - q0, borrow = t0 < q0 ? 1UL : 0UL;
        ulong d1 = t1 - q1 - borrow;
        borrow = (t1 < q1 || (t1 == q1 && borrow != 0)) ? 1UL : 0UL;
        if (t2 != 0 || borrow == 0)
        {
            r[0] = d0;
            r[1] = d1;
        }
        else
        {
            r[0] = t0;
            r[1] = t1;
        }
    }

    /// <summary>a^e in the Montgomery domain for a small exponent; one is Mont(1).</summary>
    private static ulong[] MontPowSmall(ulong[] a, ulong e, ulong[] one, ulong[] q, ulong n0, ulong[] scratch)
    {
        var r = (ulong[])one.Clone();
        for (int i = 63 - BitOperations.LeadingZeroCount(e); i >= 0; i--)
        {
            MontMul(r, r, r, q, n0, scratch);
            if (((e >> i) & 1) != 0) MontMul(r, r, a, q, n0, scratch);
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
        int bits = BitLength(expBe);
        if (l == 1)
        {
            // One limb: products mod 2^64 are exact mod 2^k, so plain ulong arithmetic, masked once.
            ulong x = 1, b0 = bl[0];
            for (int i = bits - 1; i >= 0; i--)
            {
                x *= x;
                if (Bit(expBe, i)) x *= b0;
            }
            return [x & topMask];
        }
        var r = new ulong[l];
        var tmp = new ulong[l];
        r[0] = 1;
        for (int i = bits - 1; i >= 0; i--)
        {
            MulLowInto(tmp, r, r, l, topMask);
            (r, tmp) = (tmp, r);
            if (!Bit(expBe, i)) continue;
            MulLowInto(tmp, r, bl, l, topMask);
            (r, tmp) = (tmp, r);
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
        MulLowInto(r, a, b, l, topMask);
        return r;
    }

    /// <summary>As <see cref="MulLow"/> into r (which must not alias a or b).</summary>
    private static void MulLowInto(ulong[] r, ulong[] a, ulong[] b, int l, ulong topMask)
    {
        Array.Clear(r, 0, l);
        for (int i = 0; i < l; i++)
        {
            if (b[i] == 0) continue;
            ulong carry = 0;
            for (int j = 0; i + j < l; j++) carry = LimbArith.MulAdd(a[j], b[i], r[i + j], carry, out r[i + j]);
        }
        r[l - 1] &= topMask;
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
