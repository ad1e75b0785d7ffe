using System.Runtime.CompilerServices;
using OpenLedger.Crypto.FieldMath;

namespace OpenLedger.Crypto.Bn254;

/// <summary>Montgomery arithmetic modulo the alt_bn128 base field prime, 4 limbs.</summary>
/// <remarks>Unrolled for this one modulus (constant limbs, no loops or bounds checks): the hot path of every pairing.</remarks>
[SkipLocalsInit]
internal static partial class Bn254FqArith
{
    private const ulong M0 = 0x3c208c16d87cfd47UL;
    private const ulong M1 = 0x97816a916871ca8dUL;
    private const ulong M2 = 0xb85045b68181585dUL;
    private const ulong M3 = 0x30644e72e131a029UL;
    private const ulong N0 = 0x87d20782e4866389UL;

    /// <summary>
    /// r = a*b/R mod p for inputs below 2p (output below p, as ab/R + p &lt; 2p for 4p &lt; R). CIOS Montgomery
    /// multiplication in the "no-carry" form: the top limb of p is below 2^62, so each row's running total (below 3p)
    /// fits in four limbs and the multiply and reduce passes of a row interleave without a fifth carry limb.
    /// </summary>
    public static void Mul(ref Limbs6 r, in Limbs6 a, in Limbs6 b)
    {
        ulong a0 = a[0]; ulong a1 = a[1]; ulong a2 = a[2]; ulong a3 = a[3];
        ulong t0 = 0, t1 = 0, t2 = 0, t3 = 0;
        MulRow(a0, a1, a2, a3, b[0], ref t0, ref t1, ref t2, ref t3);
        MulRow(a0, a1, a2, a3, b[1], ref t0, ref t1, ref t2, ref t3);
        MulRow(a0, a1, a2, a3, b[2], ref t0, ref t1, ref t2, ref t3);
        MulRow(a0, a1, a2, a3, b[3], ref t0, ref t1, ref t2, ref t3);
        Reduce(ref r, t0, t1, t2, t3, 0);
    }

    /// <summary>t = (t + a*bi + m*p) / 2^64 with m = (t0 + a0*bi)(-p^-1) mod 2^64.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void MulRow(ulong a0, ulong a1, ulong a2, ulong a3, ulong bi, ref ulong t0, ref ulong t1, ref ulong t2, ref ulong t3)
    {
        ulong ca = LimbArith.MulAdd(a0, bi, t0, 0, out t0);
        ulong m = t0 * N0;
        ulong cm = LimbArith.MulAdd(m, M0, t0, 0, out _);
        ca = LimbArith.MulAdd(a1, bi, t1, ca, out t1);
        cm = LimbArith.MulAdd(m, M1, t1, cm, out t0);
        ca = LimbArith.MulAdd(a2, bi, t2, ca, out t2);
        cm = LimbArith.MulAdd(m, M2, t2, cm, out t1);
        ca = LimbArith.MulAdd(a3, bi, t3, ca, out t3);
        cm = LimbArith.MulAdd(m, M3, t3, cm, out t2);
        t3 = cm + ca;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Reduce(ref Limbs6 r, ulong x0, ulong x1, ulong x2, ulong x3, ulong carry)
    {
        ulong borrow = 0;
        ulong d0 = Sbb(x0, M0, ref borrow);
        ulong d1 = Sbb(x1, M1, ref borrow);
        ulong d2 = Sbb(x2, M2, ref borrow);
        ulong d3 = Sbb(x3, M3, ref borrow);
        if (carry != 0 || borrow == 0)
        {
            r[0] = d0;
            r[1] = d1;
            r[2] = d2;
            r[3] = d3;
        }
        else
        {
            r[0] = x0;
            r[1] = x1;
            r[2] = x2;
            r[3] = x3;
        }
    }

    /// <summary>As <see cref="Reduce"/>, but with masks instead of a branch: after an addition the subtraction is needed
    /// about half the time, which a branch predictor cannot learn.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void ReduceNoBranch(ref Limbs6 r, ulong x0, ulong x1, ulong x2, ulong x3, ulong carry)
    {
        ulong borrow = 0;
        ulong d0 = Sbb(x0, M0, ref borrow);
        ulong d1 = Sbb(x1, M1, ref borrow);
        ulong d2 = Sbb(x2, M2, ref borrow);
        ulong d3 = Sbb(x3, M3, ref borrow);
        ulong keep = 0 - (borrow & (carry ^ 1)); // all ones: x < p, keep x
        r[0] = (x0 & keep) | (d0 & ~keep);
        r[1] = (x1 & keep) | (d1 & ~keep);
        r[2] = (x2 & keep) | (d2 & ~keep);
        r[3] = (x3 & keep) | (d3 & ~keep);
    }

    /// <summary>r = a + b mod p.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Add(ref Limbs6 r, in Limbs6 a, in Limbs6 b)
    {
        ulong carry = 0;
        ulong s0 = Adc(a[0], b[0], ref carry);
        ulong s1 = Adc(a[1], b[1], ref carry);
        ulong s2 = Adc(a[2], b[2], ref carry);
        ulong s3 = Adc(a[3], b[3], ref carry);
        ReduceNoBranch(ref r, s0, s1, s2, s3, carry);
    }

    /// <summary>r = a - b mod p.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Sub(ref Limbs6 r, in Limbs6 a, in Limbs6 b)
    {
        ulong borrow = 0;
        ulong d0 = Sbb(a[0], b[0], ref borrow);
        ulong d1 = Sbb(a[1], b[1], ref borrow);
        ulong d2 = Sbb(a[2], b[2], ref borrow);
        ulong d3 = Sbb(a[3], b[3], ref borrow);
        ulong mask = 0 - borrow;
        ulong carry = 0;
        r[0] = Adc(d0, M0 & mask, ref carry);
        r[1] = Adc(d1, M1 & mask, ref carry);
        r[2] = Adc(d2, M2 & mask, ref carry);
        r[3] = Adc(d3, M3 & mask, ref carry);
    }

    /// <summary>r = a/2 mod p for a below p: (a + p)/2 when a is odd (a + p &lt; 2^255, no carry out).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Half(ref Limbs6 r, in Limbs6 a)
    {
        ulong mask = 0 - (a[0] & 1);
        ulong carry = 0;
        ulong s0 = Adc(a[0], M0 & mask, ref carry);
        ulong s1 = Adc(a[1], M1 & mask, ref carry);
        ulong s2 = Adc(a[2], M2 & mask, ref carry);
        ulong s3 = Adc(a[3], M3 & mask, ref carry);
        r[0] = (s0 >> 1) | (s1 << 63);
        r[1] = (s1 >> 1) | (s2 << 63);
        r[2] = (s2 >> 1) | (s3 << 63);
        r[3] = s3 >> 1;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong Adc(ulong a, ulong b, ref ulong carry)
    {
        ulong s = a + carry;
        ulong c1 = s < carry ? 1UL : 0UL;
        ulong t = s + b;
        carry = c1 + (t < s ? 1UL : 0UL);
        return t;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong Sbb(ulong a, ulong b, ref ulong borrow)
    {
        ulong d = a - b;
        ulong b1 = a < b ? 1UL : 0UL;
        ulong t = d - borrow;
        borrow = b1 + (d < borrow ? 1UL : 0UL);
        return t;
    }
}
