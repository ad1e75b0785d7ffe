using System.Numerics;
using System.Runtime.CompilerServices;
using OpenLedger.Crypto.FieldMath;

namespace OpenLedger.Crypto.Bn254;

// Written by a limb-code generator (never committed; this file is now maintained by hand), 4 limbs: Fp2 multiplication with lazy reduction (Karatsuba on double-width products and two
// Montgomery reductions instead of three full Montgomery products), Fp2 squaring, a dedicated Fp squaring and
// the inversion, all with the limbs in locals.
internal static partial class Bn254FqArith
{
    /// <summary>t = a*b as a double-width integer (inputs below R, not necessarily reduced).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void MulWide(out Limbs12 t, in Limbs6 a, in Limbs6 b)
    {
        Unsafe.SkipInit(out t);
        ulong a0 = a[0]; ulong a1 = a[1]; ulong a2 = a[2]; ulong a3 = a[3];
        ulong t0 = 0, t1 = 0, t2 = 0, t3 = 0, t4 = 0, t5 = 0, t6 = 0, t7 = 0;
        ulong c, bi;
        bi = b[0];
        c = LimbArith.MulAdd(a0, bi, 0, 0, out t0);
        c = LimbArith.MulAdd(a1, bi, c, 0, out t1);
        c = LimbArith.MulAdd(a2, bi, c, 0, out t2);
        c = LimbArith.MulAdd(a3, bi, c, 0, out t3);
        t4 = c;
        bi = b[1];
        c = LimbArith.MulAdd(a0, bi, t1, 0, out t1);
        c = LimbArith.MulAdd(a1, bi, t2, c, out t2);
        c = LimbArith.MulAdd(a2, bi, t3, c, out t3);
        c = LimbArith.MulAdd(a3, bi, t4, c, out t4);
        t5 = c;
        bi = b[2];
        c = LimbArith.MulAdd(a0, bi, t2, 0, out t2);
        c = LimbArith.MulAdd(a1, bi, t3, c, out t3);
        c = LimbArith.MulAdd(a2, bi, t4, c, out t4);
        c = LimbArith.MulAdd(a3, bi, t5, c, out t5);
        t6 = c;
        bi = b[3];
        c = LimbArith.MulAdd(a0, bi, t3, 0, out t3);
        c = LimbArith.MulAdd(a1, bi, t4, c, out t4);
        c = LimbArith.MulAdd(a2, bi, t5, c, out t5);
        c = LimbArith.MulAdd(a3, bi, t6, c, out t6);
        t7 = c;
        t[0] = t0;
        t[1] = t1;
        t[2] = t2;
        t[3] = t3;
        t[4] = t4;
        t[5] = t5;
        t[6] = t6;
        t[7] = t7;
    }

    /// <summary>r = t/R mod p (Montgomery reduction) for t &lt; pR.</summary>
    private static void Redc(ref Limbs6 r, in Limbs12 t)
    {
        ulong t0 = t[0]; ulong t1 = t[1]; ulong t2 = t[2]; ulong t3 = t[3]; ulong t4 = t[4]; ulong t5 = t[5]; ulong t6 = t[6]; ulong t7 = t[7];
        ulong c, q, s, hc = 0, c1;
        q = t0 * N0;
        c = LimbArith.MulAdd(q, M0, t0, 0, out _);
        c = LimbArith.MulAdd(q, M1, t1, c, out t1);
        c = LimbArith.MulAdd(q, M2, t2, c, out t2);
        c = LimbArith.MulAdd(q, M3, t3, c, out t3);
        s = t4 + c; c1 = s < c ? 1UL : 0UL; t4 = s + hc; hc = c1 + (t4 < hc ? 1UL : 0UL);
        q = t1 * N0;
        c = LimbArith.MulAdd(q, M0, t1, 0, out _);
        c = LimbArith.MulAdd(q, M1, t2, c, out t2);
        c = LimbArith.MulAdd(q, M2, t3, c, out t3);
        c = LimbArith.MulAdd(q, M3, t4, c, out t4);
        s = t5 + c; c1 = s < c ? 1UL : 0UL; t5 = s + hc; hc = c1 + (t5 < hc ? 1UL : 0UL);
        q = t2 * N0;
        c = LimbArith.MulAdd(q, M0, t2, 0, out _);
        c = LimbArith.MulAdd(q, M1, t3, c, out t3);
        c = LimbArith.MulAdd(q, M2, t4, c, out t4);
        c = LimbArith.MulAdd(q, M3, t5, c, out t5);
        s = t6 + c; c1 = s < c ? 1UL : 0UL; t6 = s + hc; hc = c1 + (t6 < hc ? 1UL : 0UL);
        q = t3 * N0;
        c = LimbArith.MulAdd(q, M0, t3, 0, out _);
        c = LimbArith.MulAdd(q, M1, t4, c, out t4);
        c = LimbArith.MulAdd(q, M2, t5, c, out t5);
        c = LimbArith.MulAdd(q, M3, t6, c, out t6);
        s = t7 + c; c1 = s < c ? 1UL : 0UL; t7 = s + hc; hc = c1 + (t7 < hc ? 1UL : 0UL);
        // t < pR and p < R/2: the result is below 2p < R, so hc is zero; one conditional subtraction.
        Reduce(ref r, t4, t5, t6, t7, 0);
    }

    /// <summary>a -= b over double width; returns the borrow.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong SubWide(ref Limbs12 a, in Limbs12 b)
    {
        ulong borrow = 0;
        a[0] = Sbb(a[0], b[0], ref borrow);
        a[1] = Sbb(a[1], b[1], ref borrow);
        a[2] = Sbb(a[2], b[2], ref borrow);
        a[3] = Sbb(a[3], b[3], ref borrow);
        a[4] = Sbb(a[4], b[4], ref borrow);
        a[5] = Sbb(a[5], b[5], ref borrow);
        a[6] = Sbb(a[6], b[6], ref borrow);
        a[7] = Sbb(a[7], b[7], ref borrow);
        return borrow;
    }

    /// <summary>a += p*R (p added to the high half), dropping the carry out (used after a borrow).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void AddPR(ref Limbs12 a)
    {
        ulong carry = 0;
        a[4] = Adc(a[4], M0, ref carry);
        a[5] = Adc(a[5], M1, ref carry);
        a[6] = Adc(a[6], M2, ref carry);
        a[7] = Adc(a[7], M3, ref carry);
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
    }

    /// <summary>
    /// (r0 + r1 u) = (a0 + a1 u)(b0 + b1 u) with u^2 = -1: r0 = a0b0 - a1b1, r1 = (a0 + a1)(b0 + b1) - a0b0 - a1b1,
    /// each reduced once. Bounds: every double-width value stays below pR (4p^2 &lt; pR as 4p &lt; R). r may alias inputs.
    /// </summary>
    public static void Fp2Mul(ref Limbs6 r0, ref Limbs6 r1, in Limbs6 a0, in Limbs6 a1, in Limbs6 b0, in Limbs6 b1)
    {
        MulWide(out Limbs12 aa, a0, b0);
        MulWide(out Limbs12 bb, a1, b1);
        AddNoReduce(out Limbs6 sa, a0, a1);
        AddNoReduce(out Limbs6 sb, b0, b1);
        MulWide(out Limbs12 s, sa, sb);
        SubWide(ref s, aa); // a0b1 + a1b0 + a1b1 >= 0
        SubWide(ref s, bb); // a0b1 + a1b0 >= 0
        if (SubWide(ref aa, bb) != 0) AddPR(ref aa); // a0b0 - a1b1 mod pR, in [0, pR)
        Redc(ref r0, aa);
        Redc(ref r1, s);
    }
}

internal static partial class Bn254FqArith
{
    /// <summary>
    /// (r0 + r1 u) = (a0 + a1 u)^2: r0 = (a0 + a1)(a0 - a1), r1 = 2 a0 a1, with the three sums left unreduced
    /// (each below 2p, so every product is below 4p^2 &lt; pR and one Montgomery multiplication reduces it). r may alias a.
    /// </summary>
    public static void Fp2Square(ref Limbs6 r0, ref Limbs6 r1, in Limbs6 a0, in Limbs6 a1)
    {
        Limbs6 s = default, d = default, tw = default, b = a1;
        ulong carry = 0, borrow = 0;
        s[0] = Adc(a0[0], a1[0], ref carry);
        s[1] = Adc(a0[1], a1[1], ref carry);
        s[2] = Adc(a0[2], a1[2], ref carry);
        s[3] = Adc(a0[3], a1[3], ref carry);
        carry = 0;
        tw[0] = Adc(a0[0], a0[0], ref carry);
        tw[1] = Adc(a0[1], a0[1], ref carry);
        tw[2] = Adc(a0[2], a0[2], ref carry);
        tw[3] = Adc(a0[3], a0[3], ref carry);
        carry = 0;
        d[0] = Sbb(Adc(a0[0], M0, ref carry), a1[0], ref borrow); // a0 + p - a1, in (0, 2p)
        d[1] = Sbb(Adc(a0[1], M1, ref carry), a1[1], ref borrow); // a0 + p - a1, in (0, 2p)
        d[2] = Sbb(Adc(a0[2], M2, ref carry), a1[2], ref borrow); // a0 + p - a1, in (0, 2p)
        d[3] = Sbb(Adc(a0[3], M3, ref carry), a1[3], ref borrow); // a0 + p - a1, in (0, 2p)
        Mul(ref r0, s, d);
        Mul(ref r1, tw, b);
    }
}

internal static partial class Bn254FqArith
{
    /// <summary>r = a^2/R mod p: the double-width square (each cross product once, then doubled) and one reduction.</summary>
    public static void Square(ref Limbs6 r, in Limbs6 a)
    {
        ulong a0 = a[0]; ulong a1 = a[1]; ulong a2 = a[2]; ulong a3 = a[3];
        ulong t0 = 0, t1 = 0, t2 = 0, t3 = 0, t4 = 0, t5 = 0, t6 = 0, t7 = 0;
        ulong c, hi, lo, carry;
        c = LimbArith.MulAdd(a0, a1, 0, 0, out t1);
        c = LimbArith.MulAdd(a0, a2, 0, c, out t2);
        c = LimbArith.MulAdd(a0, a3, 0, c, out t3);
        t4 = c;
        c = LimbArith.MulAdd(a1, a2, t3, 0, out t3);
        c = LimbArith.MulAdd(a1, a3, t4, c, out t4);
        t5 = c;
        c = LimbArith.MulAdd(a2, a3, t5, 0, out t5);
        t6 = c;
        t7 = t6 >> 63;
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
        Redc(ref r, t);
    }
}

internal static partial class Bn254FqArith
{
    /// <summary>r = a^-1 mod p for the plain integer 0 &lt; a &lt; p (variable-time safegcd, see Bn254Inversion).</summary>
    public static void InversePlain(ref Limbs6 r, in Limbs6 a) => Bn254Inversion.Invert(ref r, a);
}
