using System.Runtime.CompilerServices;
using OpenLedger.Crypto.FieldMath;

namespace OpenLedger.Crypto.Bls12381;

/// <summary>Montgomery arithmetic modulo the BLS12-381 base field prime, 6 limbs.</summary>
/// <remarks>Unrolled for this one modulus (constant limbs, no loops or bounds checks): the hot path of every pairing.</remarks>
[SkipLocalsInit]
internal static partial class Bls12381FqArith
{
    private const ulong M0 = 0xb9feffffffffaaabUL;
    private const ulong M1 = 0x1eabfffeb153ffffUL;
    private const ulong M2 = 0x6730d2a0f6b0f624UL;
    private const ulong M3 = 0x64774b84f38512bfUL;
    private const ulong M4 = 0x4b1ba7b6434bacd7UL;
    private const ulong M5 = 0x1a0111ea397fe69aUL;
    private const ulong N0 = 0x89f3fffcfffcfffdUL;

    /// <summary>
    /// r = a*b/R mod p: CIOS Montgomery multiplication without the two extra carry words (the "no-carry" variant).
    /// Each outer step computes t' = (t + a*b_i + m*p)/2^64 with t kept in six limbs; by induction t &lt; a + p, so the
    /// top word C + A never overflows while a + p &lt; R (a &lt; 2p suffices: 3p &lt; 2^383). The result is below 2p, and below p
    /// after the one conditional subtraction, when a*b &lt; pR (inputs below p, or both below 2p as 4p &lt; R).
    /// a's limbs are read through the reference at each use (memory operands): copied to locals they only added spills.
    /// r is written last, so it may alias a or b.
    /// </summary>
    internal static void MulManaged(ref Limbs6 r, in Limbs6 a, in Limbs6 b)
    {
        ulong t0, t1, t2, t3, t4, t5;
        ulong A, C, m, bi;
        bi = b[0];
        A = LimbArith.MulAdd(a[0], bi, 0, 0, out t0);
        m = t0 * N0;
        C = LimbArith.MulHigh(m, M0) + (t0 != 0 ? 1UL : 0UL); // low word of m*M0 + t0 is zero: a carry iff t0 != 0
        A = LimbArith.MulAdd(a[1], bi, A, 0, out t1);
        C = LimbArith.MulAdd(m, M1, t1, C, out t0);
        A = LimbArith.MulAdd(a[2], bi, A, 0, out t2);
        C = LimbArith.MulAdd(m, M2, t2, C, out t1);
        A = LimbArith.MulAdd(a[3], bi, A, 0, out t3);
        C = LimbArith.MulAdd(m, M3, t3, C, out t2);
        A = LimbArith.MulAdd(a[4], bi, A, 0, out t4);
        C = LimbArith.MulAdd(m, M4, t4, C, out t3);
        A = LimbArith.MulAdd(a[5], bi, A, 0, out t5);
        C = LimbArith.MulAdd(m, M5, t5, C, out t4);
        t5 = C + A;
        bi = b[1];
        A = LimbArith.MulAdd(a[0], bi, t0, 0, out t0);
        m = t0 * N0;
        C = LimbArith.MulHigh(m, M0) + (t0 != 0 ? 1UL : 0UL); // low word of m*M0 + t0 is zero: a carry iff t0 != 0
        A = LimbArith.MulAdd(a[1], bi, t1, A, out t1);
        C = LimbArith.MulAdd(m, M1, t1, C, out t0);
        A = LimbArith.MulAdd(a[2], bi, t2, A, out t2);
        C = LimbArith.MulAdd(m, M2, t2, C, out t1);
        A = LimbArith.MulAdd(a[3], bi, t3, A, out t3);
        C = LimbArith.MulAdd(m, M3, t3, C, out t2);
        A = LimbArith.MulAdd(a[4], bi, t4, A, out t4);
        C = LimbArith.MulAdd(m, M4, t4, C, out t3);
        A = LimbArith.MulAdd(a[5], bi, t5, A, out t5);
        C = LimbArith.MulAdd(m, M5, t5, C, out t4);
        t5 = C + A;
        bi = b[2];
        A = LimbArith.MulAdd(a[0], bi, t0, 0, out t0);
        m = t0 * N0;
        C = LimbArith.MulHigh(m, M0) + (t0 != 0 ? 1UL : 0UL); // low word of m*M0 + t0 is zero: a carry iff t0 != 0
        A = LimbArith.MulAdd(a[1], bi, t1, A, out t1);
        C = LimbArith.MulAdd(m, M1, t1, C, out t0);
        A = LimbArith.MulAdd(a[2], bi, t2, A, out t2);
        C = LimbArith.MulAdd(m, M2, t2, C, out t1);
        A = LimbArith.MulAdd(a[3], bi, t3, A, out t3);
        C = LimbArith.MulAdd(m, M3, t3, C, out t2);
        A = LimbArith.MulAdd(a[4], bi, t4, A, out t4);
        C = LimbArith.MulAdd(m, M4, t4, C, out t3);
        A = LimbArith.MulAdd(a[5], bi, t5, A, out t5);
        C = LimbArith.MulAdd(m, M5, t5, C, out t4);
        t5 = C + A;
        bi = b[3];
        A = LimbArith.MulAdd(a[0], bi, t0, 0, out t0);
        m = t0 * N0;
        C = LimbArith.MulHigh(m, M0) + (t0 != 0 ? 1UL : 0UL); // low word of m*M0 + t0 is zero: a carry iff t0 != 0
        A = LimbArith.MulAdd(a[1], bi, t1, A, out t1);
        C = LimbArith.MulAdd(m, M1, t1, C, out t0);
        A = LimbArith.MulAdd(a[2], bi, t2, A, out t2);
        C = LimbArith.MulAdd(m, M2, t2, C, out t1);
        A = LimbArith.MulAdd(a[3], bi, t3, A, out t3);
        C = LimbArith.MulAdd(m, M3, t3, C, out t2);
        A = LimbArith.MulAdd(a[4], bi, t4, A, out t4);
        C = LimbArith.MulAdd(m, M4, t4, C, out t3);
        A = LimbArith.MulAdd(a[5], bi, t5, A, out t5);
        C = LimbArith.MulAdd(m, M5, t5, C, out t4);
        t5 = C + A;
        bi = b[4];
        A = LimbArith.MulAdd(a[0], bi, t0, 0, out t0);
        m = t0 * N0;
        C = LimbArith.MulHigh(m, M0) + (t0 != 0 ? 1UL : 0UL); // low word of m*M0 + t0 is zero: a carry iff t0 != 0
        A = LimbArith.MulAdd(a[1], bi, t1, A, out t1);
        C = LimbArith.MulAdd(m, M1, t1, C, out t0);
        A = LimbArith.MulAdd(a[2], bi, t2, A, out t2);
        C = LimbArith.MulAdd(m, M2, t2, C, out t1);
        A = LimbArith.MulAdd(a[3], bi, t3, A, out t3);
        C = LimbArith.MulAdd(m, M3, t3, C, out t2);
        A = LimbArith.MulAdd(a[4], bi, t4, A, out t4);
        C = LimbArith.MulAdd(m, M4, t4, C, out t3);
        A = LimbArith.MulAdd(a[5], bi, t5, A, out t5);
        C = LimbArith.MulAdd(m, M5, t5, C, out t4);
        t5 = C + A;
        bi = b[5];
        A = LimbArith.MulAdd(a[0], bi, t0, 0, out t0);
        m = t0 * N0;
        C = LimbArith.MulHigh(m, M0) + (t0 != 0 ? 1UL : 0UL); // low word of m*M0 + t0 is zero: a carry iff t0 != 0
        A = LimbArith.MulAdd(a[1], bi, t1, A, out t1);
        C = LimbArith.MulAdd(m, M1, t1, C, out t0);
        A = LimbArith.MulAdd(a[2], bi, t2, A, out t2);
        C = LimbArith.MulAdd(m, M2, t2, C, out t1);
        A = LimbArith.MulAdd(a[3], bi, t3, A, out t3);
        C = LimbArith.MulAdd(m, M3, t3, C, out t2);
        A = LimbArith.MulAdd(a[4], bi, t4, A, out t4);
        C = LimbArith.MulAdd(m, M4, t4, C, out t3);
        A = LimbArith.MulAdd(a[5], bi, t5, A, out t5);
        C = LimbArith.MulAdd(m, M5, t5, C, out t4);
        t5 = C + A;
        Reduce(ref r, t0, t1, t2, t3, t4, t5, 0);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Reduce(ref Limbs6 r, ulong x0, ulong x1, ulong x2, ulong x3, ulong x4, ulong x5, ulong carry)
    {
        ulong borrow = 0;
        ulong d0 = Sbb(x0, M0, ref borrow);
        ulong d1 = Sbb(x1, M1, ref borrow);
        ulong d2 = Sbb(x2, M2, ref borrow);
        ulong d3 = Sbb(x3, M3, ref borrow);
        ulong d4 = Sbb(x4, M4, ref borrow);
        ulong d5 = Sbb(x5, M5, ref borrow);
        if (carry != 0 || borrow == 0)
        {
            r[0] = d0;
            r[1] = d1;
            r[2] = d2;
            r[3] = d3;
            r[4] = d4;
            r[5] = d5;
        }
        else
        {
            r[0] = x0;
            r[1] = x1;
            r[2] = x2;
            r[3] = x3;
            r[4] = x4;
            r[5] = x5;
        }
    }

    /// <summary>As <see cref="Reduce"/>, but with masks instead of a branch: after an addition the subtraction is needed
    /// about half the time, which a branch predictor cannot learn.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void ReduceNoBranch(ref Limbs6 r, ulong x0, ulong x1, ulong x2, ulong x3, ulong x4, ulong x5, ulong carry)
    {
        ulong borrow = 0;
        ulong d0 = Sbb(x0, M0, ref borrow);
        ulong d1 = Sbb(x1, M1, ref borrow);
        ulong d2 = Sbb(x2, M2, ref borrow);
        ulong d3 = Sbb(x3, M3, ref borrow);
        ulong d4 = Sbb(x4, M4, ref borrow);
        ulong d5 = Sbb(x5, M5, ref borrow);
        ulong keep = 0 - (borrow & (carry ^ 1)); // all ones: x < p, keep x
        r[0] = (x0 & keep) | (d0 & ~keep);
        r[1] = (x1 & keep) | (d1 & ~keep);
        r[2] = (x2 & keep) | (d2 & ~keep);
        r[3] = (x3 & keep) | (d3 & ~keep);
        r[4] = (x4 & keep) | (d4 & ~keep);
        r[5] = (x5 & keep) | (d5 & ~keep);
    }

    /// <summary>r = a + b mod p.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static void AddManaged(ref Limbs6 r, in Limbs6 a, in Limbs6 b)
    {
        ulong carry = 0;
        ulong s0 = Adc(a[0], b[0], ref carry);
        ulong s1 = Adc(a[1], b[1], ref carry);
        ulong s2 = Adc(a[2], b[2], ref carry);
        ulong s3 = Adc(a[3], b[3], ref carry);
        ulong s4 = Adc(a[4], b[4], ref carry);
        ulong s5 = Adc(a[5], b[5], ref carry);
        ReduceNoBranch(ref r, s0, s1, s2, s3, s4, s5, carry);
    }

    /// <summary>r = a - b mod p.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static void SubManaged(ref Limbs6 r, in Limbs6 a, in Limbs6 b)
    {
        ulong borrow = 0;
        ulong d0 = Sbb(a[0], b[0], ref borrow);
        ulong d1 = Sbb(a[1], b[1], ref borrow);
        ulong d2 = Sbb(a[2], b[2], ref borrow);
        ulong d3 = Sbb(a[3], b[3], ref borrow);
        ulong d4 = Sbb(a[4], b[4], ref borrow);
        ulong d5 = Sbb(a[5], b[5], ref borrow);
        ulong mask = 0 - borrow;
        ulong carry = 0;
        r[0] = Adc(d0, M0 & mask, ref carry);
        r[1] = Adc(d1, M1 & mask, ref carry);
        r[2] = Adc(d2, M2 & mask, ref carry);
        r[3] = Adc(d3, M3 & mask, ref carry);
        r[4] = Adc(d4, M4 & mask, ref carry);
        r[5] = Adc(d5, M5 & mask, ref carry);
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
