using System.Numerics;
using System.Runtime.CompilerServices;
using OpenLedger.Crypto.FieldMath;

namespace OpenLedger.Crypto.Bls12381;

// Written by a limb-code generator (never committed; this file is now maintained by hand), then hand-edited: the Montgomery reduction of a double-width value, Fp2 squaring, a dedicated Fp
// squaring and the inversion, all with the limbs in locals. The Fp2 product is in Bls12381FqArith.Sop.cs.
internal static partial class Bls12381FqArith
{
    /// <summary>
    /// r = t/R mod p (Montgomery reduction) for t &lt; pR. The six reduction steps run on the low half alone, in six limbs:
    /// u = (t_lo + m*p)/R with u &lt;= p (as t_lo &lt; R); then u + t_hi &lt; 2p (t_hi &lt; p), and one conditional subtraction.
    /// Adding the high half once at the end replaces the carry word the interleaved form had to track per step.
    /// </summary>
    private static void Redc(ref Limbs6 r, in Limbs12 t)
    {
        ulong t0 = t[0], t1 = t[1], t2 = t[2], t3 = t[3], t4 = t[4], t5 = t[5];
        ulong C, m;
        m = t0 * N0;
        C = LimbArith.MulHigh(m, M0) + (t0 != 0 ? 1UL : 0UL); // low word of m*M0 + t0 is zero: a carry iff t0 != 0
        C = LimbArith.MulAdd(m, M1, t1, C, out t0);
        C = LimbArith.MulAdd(m, M2, t2, C, out t1);
        C = LimbArith.MulAdd(m, M3, t3, C, out t2);
        C = LimbArith.MulAdd(m, M4, t4, C, out t3);
        C = LimbArith.MulAdd(m, M5, t5, C, out t4);
        t5 = C;
        m = t0 * N0;
        C = LimbArith.MulHigh(m, M0) + (t0 != 0 ? 1UL : 0UL); // low word of m*M0 + t0 is zero: a carry iff t0 != 0
        C = LimbArith.MulAdd(m, M1, t1, C, out t0);
        C = LimbArith.MulAdd(m, M2, t2, C, out t1);
        C = LimbArith.MulAdd(m, M3, t3, C, out t2);
        C = LimbArith.MulAdd(m, M4, t4, C, out t3);
        C = LimbArith.MulAdd(m, M5, t5, C, out t4);
        t5 = C;
        m = t0 * N0;
        C = LimbArith.MulHigh(m, M0) + (t0 != 0 ? 1UL : 0UL); // low word of m*M0 + t0 is zero: a carry iff t0 != 0
        C = LimbArith.MulAdd(m, M1, t1, C, out t0);
        C = LimbArith.MulAdd(m, M2, t2, C, out t1);
        C = LimbArith.MulAdd(m, M3, t3, C, out t2);
        C = LimbArith.MulAdd(m, M4, t4, C, out t3);
        C = LimbArith.MulAdd(m, M5, t5, C, out t4);
        t5 = C;
        m = t0 * N0;
        C = LimbArith.MulHigh(m, M0) + (t0 != 0 ? 1UL : 0UL); // low word of m*M0 + t0 is zero: a carry iff t0 != 0
        C = LimbArith.MulAdd(m, M1, t1, C, out t0);
        C = LimbArith.MulAdd(m, M2, t2, C, out t1);
        C = LimbArith.MulAdd(m, M3, t3, C, out t2);
        C = LimbArith.MulAdd(m, M4, t4, C, out t3);
        C = LimbArith.MulAdd(m, M5, t5, C, out t4);
        t5 = C;
        m = t0 * N0;
        C = LimbArith.MulHigh(m, M0) + (t0 != 0 ? 1UL : 0UL); // low word of m*M0 + t0 is zero: a carry iff t0 != 0
        C = LimbArith.MulAdd(m, M1, t1, C, out t0);
        C = LimbArith.MulAdd(m, M2, t2, C, out t1);
        C = LimbArith.MulAdd(m, M3, t3, C, out t2);
        C = LimbArith.MulAdd(m, M4, t4, C, out t3);
        C = LimbArith.MulAdd(m, M5, t5, C, out t4);
        t5 = C;
        m = t0 * N0;
        C = LimbArith.MulHigh(m, M0) + (t0 != 0 ? 1UL : 0UL); // low word of m*M0 + t0 is zero: a carry iff t0 != 0
        C = LimbArith.MulAdd(m, M1, t1, C, out t0);
        C = LimbArith.MulAdd(m, M2, t2, C, out t1);
        C = LimbArith.MulAdd(m, M3, t3, C, out t2);
        C = LimbArith.MulAdd(m, M4, t4, C, out t3);
        C = LimbArith.MulAdd(m, M5, t5, C, out t4);
        t5 = C;
        ulong carry = 0;
        t0 = Adc(t0, t[6], ref carry);
        t1 = Adc(t1, t[7], ref carry);
        t2 = Adc(t2, t[8], ref carry);
        t3 = Adc(t3, t[9], ref carry);
        t4 = Adc(t4, t[10], ref carry);
        t5 = Adc(t5, t[11], ref carry);
        Reduce(ref r, t0, t1, t2, t3, t4, t5, 0);
    }

    /// <summary>r = a + b without reduction (inputs below p, so the sum is below 2p &lt; R).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void AddNoReduce(out Limbs6 r, in Limbs6 a, in Limbs6 b)
    {
        r = default;
        ulong carry = 0;
        r[0] = Adc(a[0], b[0], ref carry);
        r[1] = Adc(a[1], b[1], ref carry);
        r[2] = Adc(a[2], b[2], ref carry);
        r[3] = Adc(a[3], b[3], ref carry);
        r[4] = Adc(a[4], b[4], ref carry);
        r[5] = Adc(a[5], b[5], ref carry);
    }
}

internal static partial class Bls12381FqArith
{
    /// <summary>
    /// (r0 + r1 u) = (a0 + a1 u)^2: r0 = (a0 + a1)(a0 - a1), r1 = 2 a0 a1, with the three sums left unreduced
    /// (each below 2p, so every product is below 4p^2 &lt; pR and one Montgomery multiplication reduces it). r may alias a.
    /// </summary>
    internal static void Fp2SquareManaged(ref Limbs6 r0, ref Limbs6 r1, in Limbs6 a0, in Limbs6 a1)
    {
        Limbs6 s = default, d = default, tw = default, b = a1;
        ulong carry = 0, borrow = 0;
        s[0] = Adc(a0[0], a1[0], ref carry);
        s[1] = Adc(a0[1], a1[1], ref carry);
        s[2] = Adc(a0[2], a1[2], ref carry);
        s[3] = Adc(a0[3], a1[3], ref carry);
        s[4] = Adc(a0[4], a1[4], ref carry);
        s[5] = Adc(a0[5], a1[5], ref carry);
        carry = 0;
        tw[0] = Adc(a0[0], a0[0], ref carry);
        tw[1] = Adc(a0[1], a0[1], ref carry);
        tw[2] = Adc(a0[2], a0[2], ref carry);
        tw[3] = Adc(a0[3], a0[3], ref carry);
        tw[4] = Adc(a0[4], a0[4], ref carry);
        tw[5] = Adc(a0[5], a0[5], ref carry);
        carry = 0;
        d[0] = Sbb(Adc(a0[0], M0, ref carry), a1[0], ref borrow); // a0 + p - a1, in (0, 2p)
        d[1] = Sbb(Adc(a0[1], M1, ref carry), a1[1], ref borrow); // a0 + p - a1, in (0, 2p)
        d[2] = Sbb(Adc(a0[2], M2, ref carry), a1[2], ref borrow); // a0 + p - a1, in (0, 2p)
        d[3] = Sbb(Adc(a0[3], M3, ref carry), a1[3], ref borrow); // a0 + p - a1, in (0, 2p)
        d[4] = Sbb(Adc(a0[4], M4, ref carry), a1[4], ref borrow); // a0 + p - a1, in (0, 2p)
        d[5] = Sbb(Adc(a0[5], M5, ref carry), a1[5], ref borrow); // a0 + p - a1, in (0, 2p)
        MulManaged(ref r0, s, d);
        MulManaged(ref r1, tw, b);
    }
}

internal static partial class Bls12381FqArith
{
    /// <summary>r = a^2/R mod p: the double-width square (each cross product once, then doubled) and one reduction.</summary>
    internal static void SquareManaged(ref Limbs6 r, in Limbs6 a)
    {
        ulong a0 = a[0]; ulong a1 = a[1]; ulong a2 = a[2]; ulong a3 = a[3]; ulong a4 = a[4]; ulong a5 = a[5];
        ulong t0 = 0, t1 = 0, t2 = 0, t3 = 0, t4 = 0, t5 = 0, t6 = 0, t7 = 0, t8 = 0, t9 = 0, t10 = 0, t11 = 0;
        ulong c, hi, lo, carry;
        c = LimbArith.MulAdd(a0, a1, 0, 0, out t1);
        c = LimbArith.MulAdd(a0, a2, 0, c, out t2);
        c = LimbArith.MulAdd(a0, a3, 0, c, out t3);
        c = LimbArith.MulAdd(a0, a4, 0, c, out t4);
        c = LimbArith.MulAdd(a0, a5, 0, c, out t5);
        t6 = c;
        c = LimbArith.MulAdd(a1, a2, t3, 0, out t3);
        c = LimbArith.MulAdd(a1, a3, t4, c, out t4);
        c = LimbArith.MulAdd(a1, a4, t5, c, out t5);
        c = LimbArith.MulAdd(a1, a5, t6, c, out t6);
        t7 = c;
        c = LimbArith.MulAdd(a2, a3, t5, 0, out t5);
        c = LimbArith.MulAdd(a2, a4, t6, c, out t6);
        c = LimbArith.MulAdd(a2, a5, t7, c, out t7);
        t8 = c;
        c = LimbArith.MulAdd(a3, a4, t7, 0, out t7);
        c = LimbArith.MulAdd(a3, a5, t8, c, out t8);
        t9 = c;
        c = LimbArith.MulAdd(a4, a5, t9, 0, out t9);
        t10 = c;
        t11 = t10 >> 63;
        t10 = (t10 << 1) | (t9 >> 63);
        t9 = (t9 << 1) | (t8 >> 63);
        t8 = (t8 << 1) | (t7 >> 63);
        t7 = (t7 << 1) | (t6 >> 63);
        t6 = (t6 << 1) | (t5 >> 63);
        t5 = (t5 << 1) | (t4 >> 63);
        t4 = (t4 << 1) | (t3 >> 63);
        t3 = (t3 << 1) | (t2 >> 63);
        t2 = (t2 << 1) | (t1 >> 63);
        t1 = (t1 << 1) | (t0 >> 63);
        t0 <<= 1;
        carry = 0;
        hi = LimbArith.MulHigh(a0, a0); lo = a0 * a0;
        t0 = Adc(t0, lo, ref carry);
        t1 = Adc(t1, hi, ref carry);
        hi = LimbArith.MulHigh(a1, a1); lo = a1 * a1;
        t2 = Adc(t2, lo, ref carry);
        t3 = Adc(t3, hi, ref carry);
        hi = LimbArith.MulHigh(a2, a2); lo = a2 * a2;
        t4 = Adc(t4, lo, ref carry);
        t5 = Adc(t5, hi, ref carry);
        hi = LimbArith.MulHigh(a3, a3); lo = a3 * a3;
        t6 = Adc(t6, lo, ref carry);
        t7 = Adc(t7, hi, ref carry);
        hi = LimbArith.MulHigh(a4, a4); lo = a4 * a4;
        t8 = Adc(t8, lo, ref carry);
        t9 = Adc(t9, hi, ref carry);
        hi = LimbArith.MulHigh(a5, a5); lo = a5 * a5;
        t10 = Adc(t10, lo, ref carry);
        t11 = Adc(t11, hi, ref carry);
        Limbs12 t;
        Unsafe.SkipInit(out t);
        t[0] = t0;
        t[1] = t1;
        t[2] = t2;
        t[3] = t3;
        t[4] = t4;
        t[5] = t5;
        t[6] = t6;
        t[7] = t7;
        t[8] = t8;
        t[9] = t9;
        t[10] = t10;
        t[11] = t11;
        Redc(ref r, t);
    }
}

internal static partial class Bls12381FqArith
{
    /// <summary>
    /// r = a^-1 mod p for the plain integer 0 &lt; a &lt; p: binary extended Euclid (Hankerson-Menezes-Vanstone alg. 2.22)
    /// on limbs held in locals, stripping all factors of two at once: u/2^k, and x/2^k mod p as (x + m p)/2^k with
    /// m = x(-p^-1) mod 2^k (below p for x &lt; p, m &lt; 2^k).
    /// </summary>
    public static void InversePlain(ref Limbs6 r, in Limbs6 a)
    {
        ulong u0 = a[0]; ulong u1 = a[1]; ulong u2 = a[2]; ulong u3 = a[3]; ulong u4 = a[4]; ulong u5 = a[5];
        ulong v0 = M0; ulong v1 = M1; ulong v2 = M2; ulong v3 = M3; ulong v4 = M4; ulong v5 = M5;
        ulong x0 = 1; ulong x1 = 0; ulong x2 = 0; ulong x3 = 0; ulong x4 = 0; ulong x5 = 0;
        ulong y0 = 0; ulong y1 = 0; ulong y2 = 0; ulong y3 = 0; ulong y4 = 0; ulong y5 = 0;
        ulong c, borrow;
        while (true)
        {
            if ((u0 == 1 && (u1 | u2 | u3 | u4 | u5) == 0) || (v0 == 1 && (v1 | v2 | v3 | v4 | v5) == 0)) break;
            while ((u0 & 1) == 0)
            {
                int k = u0 == 0 ? 63 : BitOperations.TrailingZeroCount(u0);
                int kc = 64 - k;
                u0 = (u0 >> k) | (u1 << kc);
                u1 = (u1 >> k) | (u2 << kc);
                u2 = (u2 >> k) | (u3 << kc);
                u3 = (u3 >> k) | (u4 << kc);
                u4 = (u4 >> k) | (u5 << kc);
                u5 >>= k;
                ulong m = (x0 * N0) & ((1UL << k) - 1);
                c = LimbArith.MulAdd(m, M0, x0, 0, out x0);
                c = LimbArith.MulAdd(m, M1, x1, c, out x1);
                c = LimbArith.MulAdd(m, M2, x2, c, out x2);
                c = LimbArith.MulAdd(m, M3, x3, c, out x3);
                c = LimbArith.MulAdd(m, M4, x4, c, out x4);
                c = LimbArith.MulAdd(m, M5, x5, c, out x5);
                x0 = (x0 >> k) | (x1 << kc);
                x1 = (x1 >> k) | (x2 << kc);
                x2 = (x2 >> k) | (x3 << kc);
                x3 = (x3 >> k) | (x4 << kc);
                x4 = (x4 >> k) | (x5 << kc);
                x5 = (x5 >> k) | (c << kc);
            }
            while ((v0 & 1) == 0)
            {
                int k = v0 == 0 ? 63 : BitOperations.TrailingZeroCount(v0);
                int kc = 64 - k;
                v0 = (v0 >> k) | (v1 << kc);
                v1 = (v1 >> k) | (v2 << kc);
                v2 = (v2 >> k) | (v3 << kc);
                v3 = (v3 >> k) | (v4 << kc);
                v4 = (v4 >> k) | (v5 << kc);
                v5 >>= k;
                ulong m = (y0 * N0) & ((1UL << k) - 1);
                c = LimbArith.MulAdd(m, M0, y0, 0, out y0);
                c = LimbArith.MulAdd(m, M1, y1, c, out y1);
                c = LimbArith.MulAdd(m, M2, y2, c, out y2);
                c = LimbArith.MulAdd(m, M3, y3, c, out y3);
                c = LimbArith.MulAdd(m, M4, y4, c, out y4);
                c = LimbArith.MulAdd(m, M5, y5, c, out y5);
                y0 = (y0 >> k) | (y1 << kc);
                y1 = (y1 >> k) | (y2 << kc);
                y2 = (y2 >> k) | (y3 << kc);
                y3 = (y3 >> k) | (y4 << kc);
                y4 = (y4 >> k) | (y5 << kc);
                y5 = (y5 >> k) | (c << kc);
            }
            borrow = 0;
            ulong d0 = Sbb(u0, v0, ref borrow);
            ulong d1 = Sbb(u1, v1, ref borrow);
            ulong d2 = Sbb(u2, v2, ref borrow);
            ulong d3 = Sbb(u3, v3, ref borrow);
            ulong d4 = Sbb(u4, v4, ref borrow);
            ulong d5 = Sbb(u5, v5, ref borrow);
            if (borrow == 0)
            {
                u0 = d0;
                u1 = d1;
                u2 = d2;
                u3 = d3;
                u4 = d4;
                u5 = d5;
                borrow = 0;
                x0 = Sbb(x0, y0, ref borrow);
                x1 = Sbb(x1, y1, ref borrow);
                x2 = Sbb(x2, y2, ref borrow);
                x3 = Sbb(x3, y3, ref borrow);
                x4 = Sbb(x4, y4, ref borrow);
                x5 = Sbb(x5, y5, ref borrow);
                if (borrow != 0)
                {
                    c = 0;
                    x0 = Adc(x0, M0, ref c);
                    x1 = Adc(x1, M1, ref c);
                    x2 = Adc(x2, M2, ref c);
                    x3 = Adc(x3, M3, ref c);
                    x4 = Adc(x4, M4, ref c);
                    x5 = Adc(x5, M5, ref c);
                }
            }
            else
            {
                borrow = 0;
                v0 = Sbb(v0, u0, ref borrow);
                v1 = Sbb(v1, u1, ref borrow);
                v2 = Sbb(v2, u2, ref borrow);
                v3 = Sbb(v3, u3, ref borrow);
                v4 = Sbb(v4, u4, ref borrow);
                v5 = Sbb(v5, u5, ref borrow);
                borrow = 0;
                y0 = Sbb(y0, x0, ref borrow);
                y1 = Sbb(y1, x1, ref borrow);
                y2 = Sbb(y2, x2, ref borrow);
                y3 = Sbb(y3, x3, ref borrow);
                y4 = Sbb(y4, x4, ref borrow);
                y5 = Sbb(y5, x5, ref borrow);
                if (borrow != 0)
                {
                    c = 0;
                    y0 = Adc(y0, M0, ref c);
                    y1 = Adc(y1, M1, ref c);
                    y2 = Adc(y2, M2, ref c);
                    y3 = Adc(y3, M3, ref c);
                    y4 = Adc(y4, M4, ref c);
                    y5 = Adc(y5, M5, ref c);
                }
            }
        }
        bool uIsOne = u0 == 1 && (u1 | u2 | u3 | u4 | u5) == 0;
        r[0] = uIsOne ? x0 : y0;
        r[1] = uIsOne ? x1 : y1;
        r[2] = uIsOne ? x2 : y2;
        r[3] = uIsOne ? x3 : y3;
        r[4] = uIsOne ? x4 : y4;
        r[5] = uIsOne ? x5 : y5;
    }
}
