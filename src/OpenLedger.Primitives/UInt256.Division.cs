using System.Numerics;
using System.Runtime.CompilerServices;

namespace OpenLedger.Primitives;

// Unsigned/signed division, modular add/mul. Knuth's algorithm D (TAOCP 4.3.1) with 64-bit limbs;
// each quotient limb is estimated by a 128/64 division done with a precomputed reciprocal
// (Möller & Granlund, "Improved division by invariant integers", 2011) instead of a hardware divide.
public readonly partial struct UInt256
{
    // 11-bit seeds for the reciprocal: floor((2^19 - 3*2^8) / d9) for the top nine bits d9 in 256..511.
    private static readonly ushort[] ReciprocalSeeds = BuildReciprocalSeeds();

    private static ushort[] BuildReciprocalSeeds()
    {
        var t = new ushort[256];
        for (int i = 0; i < t.Length; i++) t[i] = (ushort)(0x7FD00 / (i + 256));
        return t;
    }

    /// <summary>
    /// floor((2^128 - 1) / d) - 2^64 for a normalized d (top bit set): Möller &amp; Granlund's Algorithm 3,
    /// a table seed refined by Newton steps with multiplications only (cheaper than a 128/64 divide).
    /// </summary>
    internal static ulong Reciprocal2By1(ulong d)
    {
        ulong v0 = ReciprocalSeeds[(int)(d >> 55) - 256];
        ulong d40 = (d >> 24) + 1;
        ulong v1 = (v0 << 11) - (uint)((v0 * v0 * d40) >> 40) - 1;
        ulong v2 = (v1 << 13) + ((v1 * (0x1000000000000000UL - v1 * d40)) >> 47);
        ulong d0 = d & 1;
        ulong d63 = (d >> 1) + d0; // ceil(d / 2)
        ulong e = ((v2 >> 1) & (0 - d0)) - v2 * d63;
        ulong v3 = (Math.BigMul(v2, e, out _) >> 1) + (v2 << 31);
        ulong hi = Math.BigMul(v3, d, out ulong lo);
        lo += d;
        hi += lo < d ? 1UL : 0UL;
        return v3 - hi - d;
    }

    /// <summary>(hi:lo) / d for normalized d with hi &lt; d, given v = Reciprocal2By1(d). Returns the quotient.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static ulong DivRem2By1(ulong hi, ulong lo, ulong d, ulong v, out ulong rem)
    {
        ulong qh = Math.BigMul(v, hi, out ulong ql);
        ql += lo;
        qh += hi + (ql < lo ? 1UL : 0UL) + 1;
        ulong r = lo - qh * d;
        if (r > ql) { qh--; r += d; }
        if (r >= d) { qh++; r -= d; }
        rem = r;
        return qh;
    }

    // Fixed-size scratch limbs on the stack: no spans, no stackalloc (which would add GS-cookie checks).
    [InlineArray(4)] private struct Limbs4 { private ulong _e; }
    [InlineArray(8)] private struct Limbs8 { private ulong _e; }
    [InlineArray(9)] private struct Limbs9 { private ulong _e; }

    private static int SignificantLimbs(ref ulong x, int length)
    {
        while (length > 0 && Unsafe.Add(ref x, length - 1) == 0) length--;
        return length;
    }

    /// <summary>
    /// Divides u (len limbs, len &lt;= 8) by v (n limbs, 1 &lt;= n &lt;= 4, top limb non-zero): the quotient goes to
    /// q (room for len limbs; only written when wantQuotient) and the remainder to rem (n limbs).
    /// </summary>
    // AggressiveOptimization: straight to optimized code, so short runs never execute the loop-heavy tier-0 version.
    [SkipLocalsInit, MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void DivRem(ref ulong u, int len, ref ulong v, int n, ref ulong q, bool wantQuotient, ref ulong rem)
    {
        int m = SignificantLimbs(ref u, len);
        if (wantQuotient)
            for (int i = 0; i < len; i++) Unsafe.Add(ref q, i) = 0;
        if (m < n)
        {
            for (int i = 0; i < n; i++) Unsafe.Add(ref rem, i) = i < m ? Unsafe.Add(ref u, i) : 0;
            return;
        }
        Unsafe.SkipInit(out Limbs9 unBuf);
        Unsafe.SkipInit(out Limbs4 vnBuf);
        ref ulong un = ref unBuf[0];
        ref ulong vn = ref vnBuf[0];
        int s = BitOperations.LeadingZeroCount(Unsafe.Add(ref v, n - 1));
        // Normalize so the divisor's top bit is set (the quotient is unchanged; the remainder comes out shifted).
        if (s == 0)
        {
            for (int i = 0; i < n; i++) Unsafe.Add(ref vn, i) = Unsafe.Add(ref v, i);
            for (int i = 0; i < m; i++) Unsafe.Add(ref un, i) = Unsafe.Add(ref u, i);
            Unsafe.Add(ref un, m) = 0;
        }
        else
        {
            for (int i = n - 1; i > 0; i--) Unsafe.Add(ref vn, i) = (Unsafe.Add(ref v, i) << s) | (Unsafe.Add(ref v, i - 1) >> (64 - s));
            vn = v << s;
            Unsafe.Add(ref un, m) = Unsafe.Add(ref u, m - 1) >> (64 - s);
            for (int i = m - 1; i > 0; i--) Unsafe.Add(ref un, i) = (Unsafe.Add(ref u, i) << s) | (Unsafe.Add(ref u, i - 1) >> (64 - s));
            un = u << s;
        }

        Unsafe.SkipInit(out Limbs8 qBuf);
        ref ulong qs = ref qBuf[0];
        if (n == 1)
        {
            ulong d = vn, recip = Reciprocal2By1(d);
            ulong r = Unsafe.Add(ref un, m);
            for (int i = m - 1; i >= 0; i--) Unsafe.Add(ref qs, i) = DivRem2By1(r, Unsafe.Add(ref un, i), d, recip, out r);
            un = r;
        }
        else
            DivRemKnuth(ref un, m, ref vn, n, ref qs);

        if (wantQuotient)
            for (int i = 0; i <= m - n; i++) Unsafe.Add(ref q, i) = Unsafe.Add(ref qs, i);
        if (s == 0)
            for (int i = 0; i < n; i++) Unsafe.Add(ref rem, i) = Unsafe.Add(ref un, i);
        else
        {
            for (int i = 0; i < n - 1; i++) Unsafe.Add(ref rem, i) = (Unsafe.Add(ref un, i) >> s) | (Unsafe.Add(ref un, i + 1) << (64 - s));
            Unsafe.Add(ref rem, n - 1) = Unsafe.Add(ref un, n - 1) >> s;
        }
    }

    // Algorithm D proper. un: m+1 normalized limbs, vn: n >= 2 normalized limbs. Quotient limbs 0..m-n go
    // to q; the normalized remainder is left in un[0..n-1].
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void DivRemKnuth(ref ulong un, int m, ref ulong vn, int n, ref ulong q)
    {
        ulong dTop = Unsafe.Add(ref vn, n - 1), dNext = Unsafe.Add(ref vn, n - 2);
        ulong reciprocal = Reciprocal2By1(dTop);
        for (int j = m - n; j >= 0; j--)
        {
            ref ulong uj = ref Unsafe.Add(ref un, j);
            ulong uh = Unsafe.Add(ref uj, n), ul = Unsafe.Add(ref uj, n - 1);
            ulong qhat, rhat;
            bool rhatOverflow;
            if (uh >= dTop)
            {
                // Only uh == dTop is possible here; the estimate saturates at 2^64 - 1.
                qhat = ulong.MaxValue;
                rhat = ul + dTop;
                rhatOverflow = rhat < ul;
            }
            else
            {
                qhat = DivRem2By1(uh, ul, dTop, reciprocal, out rhat);
                rhatOverflow = false;
            }
            // Refine with the second divisor limb: while qhat*dNext > rhat:u[j+n-2], decrement (at most twice).
            ulong u2 = Unsafe.Add(ref uj, n - 2);
            while (!rhatOverflow)
            {
                ulong ph = Math.BigMul(qhat, dNext, out ulong pl);
                if (ph < rhat || (ph == rhat && pl <= u2)) break;
                qhat--;
                ulong prev = rhat;
                rhat += dTop;
                rhatOverflow = rhat < prev;
            }

            // u[j .. j+n] -= qhat * vn
            ulong mulCarry = 0, borrow = 0;
            for (int i = 0; i < n; i++)
            {
                ulong p = MulAdd(qhat, Unsafe.Add(ref vn, i), 0, ref mulCarry);
                Unsafe.Add(ref uj, i) = SubBorrow(Unsafe.Add(ref uj, i), p, ref borrow);
            }
            Unsafe.Add(ref uj, n) = SubBorrow(Unsafe.Add(ref uj, n), mulCarry, ref borrow);

            if (borrow != 0)
            {
                // qhat was one too large (probability ~2/2^64): add the divisor back.
                qhat--;
                ulong carry = 0;
                for (int i = 0; i < n; i++) Unsafe.Add(ref uj, i) = AddCarry(Unsafe.Add(ref uj, i), Unsafe.Add(ref vn, i), ref carry);
                Unsafe.Add(ref uj, n) += carry;
            }
            Unsafe.Add(ref q, j) = qhat;
        }
    }

    private static ref ulong LimbRef(in UInt256 x) => ref Unsafe.AsRef(in x.u0);

    private static int SignificantLimbs(in UInt256 x) => x.u3 != 0 ? 4 : x.u2 != 0 ? 3 : x.u1 != 0 ? 2 : x.u0 != 0 ? 1 : 0;

    [SkipLocalsInit]
    private static void DivRem256(in UInt256 a, in UInt256 b, out UInt256 quotient, out UInt256 remainder)
    {
        Unsafe.SkipInit(out Limbs4 q);
        Unsafe.SkipInit(out Limbs4 r);
        int n = SignificantLimbs(b);
        DivRem(ref LimbRef(a), 4, ref LimbRef(b), n, ref q[0], true, ref r[0]);
        for (int i = n; i < 4; i++) r[i] = 0;
        quotient = new UInt256(q[0], q[1], q[2], q[3]);
        remainder = new UInt256(r[0], r[1], r[2], r[3]);
    }

    /// <summary>Quotient and remainder; both zero when b is zero (EVM convention).</summary>
    public static void DivRem(in UInt256 a, in UInt256 b, out UInt256 quotient, out UInt256 remainder)
    {
        if (b.IsZero) { quotient = Zero; remainder = Zero; return; }
        if (LessThan(a, b)) { quotient = Zero; remainder = a; return; }
        if (a.IsUlong)
        {
            // Both fit in one limb (b <= a).
            quotient = new UInt256(a.u0 / b.u0);
            remainder = new UInt256(a.u0 % b.u0);
            return;
        }
        DivRem256(a, b, out quotient, out remainder);
    }

    /// <summary>a / b, 0 when b is 0 (EVM DIV).</summary>
    public static void Divide(in UInt256 a, in UInt256 b, out UInt256 res) => DivRem(a, b, out res, out _);

    /// <summary>a mod b, 0 when b is 0 (EVM MOD).</summary>
    public static void Mod(in UInt256 a, in UInt256 b, out UInt256 res) => DivRem(a, b, out _, out res);

    /// <summary>Quotient by a single limb; returns the remainder. Throws on a zero divisor.</summary>
    [SkipLocalsInit]
    public static ulong DivRem(in UInt256 a, ulong divisor, out UInt256 quotient)
    {
        if (divisor == 0) throw new DivideByZeroException();
        Unsafe.SkipInit(out Limbs4 q);
        ulong r = 0;
        DivRem(ref LimbRef(a), 4, ref divisor, 1, ref q[0], true, ref r);
        quotient = new UInt256(q[0], q[1], q[2], q[3]);
        return r;
    }

    /// <summary>Two's complement division truncating toward zero (EVM SDIV); x/0 = 0 and -2^255 / -1 = -2^255.</summary>
    public static void SDivide(in UInt256 a, in UInt256 b, out UInt256 res)
    {
        bool an = a.IsNegative, bn = b.IsNegative;
        UInt256 ua = an ? Negate(a) : a;
        UInt256 ub = bn ? Negate(b) : b;
        Divide(ua, ub, out var q);
        res = an != bn ? Negate(q) : q;
    }

    /// <summary>Two's complement remainder, sign of the dividend (EVM SMOD); x mod 0 = 0.</summary>
    public static void SMod(in UInt256 a, in UInt256 b, out UInt256 res)
    {
        bool an = a.IsNegative;
        UInt256 ua = an ? Negate(a) : a;
        UInt256 ub = b.IsNegative ? Negate(b) : b;
        Mod(ua, ub, out var r);
        res = an ? Negate(r) : r;
    }

    /// <summary>(a + b) mod m over the exact 257-bit sum (EVM ADDMOD); 0 when m is 0.</summary>
    [SkipLocalsInit]
    public static void AddMod(in UInt256 a, in UInt256 b, in UInt256 m, out UInt256 res)
    {
        if (m.IsZero) { res = Zero; return; }
        bool carry = AddOverflow(a, b, out var sum);
        if (!carry) { Mod(sum, m, out res); return; }
        Unsafe.SkipInit(out Limbs8 u);
        u[0] = sum.u0; u[1] = sum.u1; u[2] = sum.u2; u[3] = sum.u3; u[4] = 1;
        ModuloWide(ref u[0], 5, m, out res);
    }

    /// <summary>(a * b) mod m over the exact 512-bit product (EVM MULMOD); 0 when m is 0.</summary>
    [SkipLocalsInit]
    public static void MulMod(in UInt256 a, in UInt256 b, in UInt256 m, out UInt256 res)
    {
        if (m.IsZero) { res = Zero; return; }
        Unsafe.SkipInit(out Limbs8 p);
        MultiplyFull(a, b, ref p[0]);
        ModuloWide(ref p[0], 8, m, out res);
    }

    [SkipLocalsInit]
    private static void ModuloWide(ref ulong u, int len, in UInt256 m, out UInt256 res)
    {
        Unsafe.SkipInit(out Limbs4 r);
        int n = SignificantLimbs(m);
        ulong unused = 0;
        DivRem(ref u, len, ref LimbRef(m), n, ref unused, false, ref r[0]);
        for (int i = n; i < 4; i++) r[i] = 0;
        res = new UInt256(r[0], r[1], r[2], r[3]);
    }

    public static UInt256 Divide(in UInt256 a, in UInt256 b) { Divide(a, b, out var r); return r; }
    public static UInt256 Mod(in UInt256 a, in UInt256 b) { Mod(a, b, out var r); return r; }
    public static UInt256 SDivide(in UInt256 a, in UInt256 b) { SDivide(a, b, out var r); return r; }
    public static UInt256 SMod(in UInt256 a, in UInt256 b) { SMod(a, b, out var r); return r; }
    public static UInt256 AddMod(in UInt256 a, in UInt256 b, in UInt256 m) { AddMod(a, b, m, out var r); return r; }
    public static UInt256 MulMod(in UInt256 a, in UInt256 b, in UInt256 m) { MulMod(a, b, m, out var r); return r; }

    public static UInt256 operator /(in UInt256 a, in UInt256 b) { Divide(a, b, out var r); return r; }
    public static UInt256 operator %(in UInt256 a, in UInt256 b) { Mod(a, b, out var r); return r; }
}
