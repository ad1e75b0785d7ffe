using System.Runtime.CompilerServices;
using OpenLedger.Crypto.FieldMath;

namespace OpenLedger.Crypto.Bls12381;

// Fp2 product as two sums of products, each one fused Montgomery pass with everything in registers.
internal static partial class Bls12381FqArith
{
    /// <summary>
    /// (r0 + r1 u) = (a0 + a1 u)(b0 + b1 u): r0 = a0 b0 + a1 (p - b1), r1 = a0 b1 + a1 b0, each by <see cref="SumOfProducts"/>
    /// (216 word products against Karatsuba's 180, but no double-width values through memory and no wide subtractions:
    /// about 10% faster here).
    /// r may alias the inputs.
    /// </summary>
    internal static void Fp2MulManaged(ref Limbs6 r0, ref Limbs6 r1, in Limbs6 a0, in Limbs6 a1, in Limbs6 b0, in Limbs6 b1)
    {
        ulong borrow = 0;
        Limbs6 nb1;
        Unsafe.SkipInit(out nb1);
        nb1[0] = Sbb(M0, b1[0], ref borrow);
        nb1[1] = Sbb(M1, b1[1], ref borrow);
        nb1[2] = Sbb(M2, b1[2], ref borrow);
        nb1[3] = Sbb(M3, b1[3], ref borrow);
        nb1[4] = Sbb(M4, b1[4], ref borrow);
        nb1[5] = Sbb(M5, b1[5], ref borrow);
        SumOfProductsManaged(out Limbs6 x0, a0, b0, a1, nb1);
        SumOfProductsManaged(out Limbs6 x1, a0, b1, a1, b0);
        r0 = x0;
        r1 = x1;
    }

    /// <summary>
    /// r = (a*b + c*d)/R mod p in one pass: the no-carry CIOS of <see cref="Mul"/> with two product rows per reduction
    /// row. By induction t &lt; a + c + p &lt; 3p &lt; R, so the top word C + A + B never overflows; the result is below
    /// (ab + cd)/R + p &lt; 2p for ab + cd &lt; 2p^2 (all inputs below p; d may equal p), then one conditional subtraction.
    /// </summary>
    internal static void SumOfProductsManaged(out Limbs6 r, in Limbs6 a, in Limbs6 b, in Limbs6 c, in Limbs6 d)
    {
        ulong t0, t1, t2, t3, t4, t5;
        ulong A, B, C, m, x, y;
        x = b[0];
        y = d[0];
        A = LimbArith.MulAdd(a[0], x, 0, 0, out t0);
        B = LimbArith.MulAdd(c[0], y, t0, 0, out t0);
        m = t0 * N0;
        C = LimbArith.MulHigh(m, M0) + (t0 != 0 ? 1UL : 0UL);
        A = LimbArith.MulAdd(a[1], x, A, 0, out t1);
        B = LimbArith.MulAdd(c[1], y, t1, B, out t1);
        C = LimbArith.MulAdd(m, M1, t1, C, out t0);
        A = LimbArith.MulAdd(a[2], x, A, 0, out t2);
        B = LimbArith.MulAdd(c[2], y, t2, B, out t2);
        C = LimbArith.MulAdd(m, M2, t2, C, out t1);
        A = LimbArith.MulAdd(a[3], x, A, 0, out t3);
        B = LimbArith.MulAdd(c[3], y, t3, B, out t3);
        C = LimbArith.MulAdd(m, M3, t3, C, out t2);
        A = LimbArith.MulAdd(a[4], x, A, 0, out t4);
        B = LimbArith.MulAdd(c[4], y, t4, B, out t4);
        C = LimbArith.MulAdd(m, M4, t4, C, out t3);
        A = LimbArith.MulAdd(a[5], x, A, 0, out t5);
        B = LimbArith.MulAdd(c[5], y, t5, B, out t5);
        C = LimbArith.MulAdd(m, M5, t5, C, out t4);
        t5 = C + A + B;
        x = b[1];
        y = d[1];
        A = LimbArith.MulAdd(a[0], x, t0, 0, out t0);
        B = LimbArith.MulAdd(c[0], y, t0, 0, out t0);
        m = t0 * N0;
        C = LimbArith.MulHigh(m, M0) + (t0 != 0 ? 1UL : 0UL);
        A = LimbArith.MulAdd(a[1], x, t1, A, out t1);
        B = LimbArith.MulAdd(c[1], y, t1, B, out t1);
        C = LimbArith.MulAdd(m, M1, t1, C, out t0);
        A = LimbArith.MulAdd(a[2], x, t2, A, out t2);
        B = LimbArith.MulAdd(c[2], y, t2, B, out t2);
        C = LimbArith.MulAdd(m, M2, t2, C, out t1);
        A = LimbArith.MulAdd(a[3], x, t3, A, out t3);
        B = LimbArith.MulAdd(c[3], y, t3, B, out t3);
        C = LimbArith.MulAdd(m, M3, t3, C, out t2);
        A = LimbArith.MulAdd(a[4], x, t4, A, out t4);
        B = LimbArith.MulAdd(c[4], y, t4, B, out t4);
        C = LimbArith.MulAdd(m, M4, t4, C, out t3);
        A = LimbArith.MulAdd(a[5], x, t5, A, out t5);
        B = LimbArith.MulAdd(c[5], y, t5, B, out t5);
        C = LimbArith.MulAdd(m, M5, t5, C, out t4);
        t5 = C + A + B;
        x = b[2];
        y = d[2];
        A = LimbArith.MulAdd(a[0], x, t0, 0, out t0);
        B = LimbArith.MulAdd(c[0], y, t0, 0, out t0);
        m = t0 * N0;
        C = LimbArith.MulHigh(m, M0) + (t0 != 0 ? 1UL : 0UL);
        A = LimbArith.MulAdd(a[1], x, t1, A, out t1);
        B = LimbArith.MulAdd(c[1], y, t1, B, out t1);
        C = LimbArith.MulAdd(m, M1, t1, C, out t0);
        A = LimbArith.MulAdd(a[2], x, t2, A, out t2);
        B = LimbArith.MulAdd(c[2], y, t2, B, out t2);
        C = LimbArith.MulAdd(m, M2, t2, C, out t1);
        A = LimbArith.MulAdd(a[3], x, t3, A, out t3);
        B = LimbArith.MulAdd(c[3], y, t3, B, out t3);
        C = LimbArith.MulAdd(m, M3, t3, C, out t2);
        A = LimbArith.MulAdd(a[4], x, t4, A, out t4);
        B = LimbArith.MulAdd(c[4], y, t4, B, out t4);
        C = LimbArith.MulAdd(m, M4, t4, C, out t3);
        A = LimbArith.MulAdd(a[5], x, t5, A, out t5);
        B = LimbArith.MulAdd(c[5], y, t5, B, out t5);
        C = LimbArith.MulAdd(m, M5, t5, C, out t4);
        t5 = C + A + B;
        x = b[3];
        y = d[3];
        A = LimbArith.MulAdd(a[0], x, t0, 0, out t0);
        B = LimbArith.MulAdd(c[0], y, t0, 0, out t0);
        m = t0 * N0;
        C = LimbArith.MulHigh(m, M0) + (t0 != 0 ? 1UL : 0UL);
        A = LimbArith.MulAdd(a[1], x, t1, A, out t1);
        B = LimbArith.MulAdd(c[1], y, t1, B, out t1);
        C = LimbArith.MulAdd(m, M1, t1, C, out t0);
        A = LimbArith.MulAdd(a[2], x, t2, A, out t2);
        B = LimbArith.MulAdd(c[2], y, t2, B, out t2);
        C = LimbArith.MulAdd(m, M2, t2, C, out t1);
        A = LimbArith.MulAdd(a[3], x, t3, A, out t3);
        B = LimbArith.MulAdd(c[3], y, t3, B, out t3);
        C = LimbArith.MulAdd(m, M3, t3, C, out t2);
        A = LimbArith.MulAdd(a[4], x, t4, A, out t4);
        B = LimbArith.MulAdd(c[4], y, t4, B, out t4);
        C = LimbArith.MulAdd(m, M4, t4, C, out t3);
        A = LimbArith.MulAdd(a[5], x, t5, A, out t5);
        B = LimbArith.MulAdd(c[5], y, t5, B, out t5);
        C = LimbArith.MulAdd(m, M5, t5, C, out t4);
        t5 = C + A + B;
        x = b[4];
        y = d[4];
        A = LimbArith.MulAdd(a[0], x, t0, 0, out t0);
        B = LimbArith.MulAdd(c[0], y, t0, 0, out t0);
        m = t0 * N0;
        C = LimbArith.MulHigh(m, M0) + (t0 != 0 ? 1UL : 0UL);
        A = LimbArith.MulAdd(a[1], x, t1, A, out t1);
        B = LimbArith.MulAdd(c[1], y, t1, B, out t1);
        C = LimbArith.MulAdd(m, M1, t1, C, out t0);
        A = LimbArith.MulAdd(a[2], x, t2, A, out t2);
        B = LimbArith.MulAdd(c[2], y, t2, B, out t2);
        C = LimbArith.MulAdd(m, M2, t2, C, out t1);
        A = LimbArith.MulAdd(a[3], x, t3, A, out t3);
        B = LimbArith.MulAdd(c[3], y, t3, B, out t3);
        C = LimbArith.MulAdd(m, M3, t3, C, out t2);
        A = LimbArith.MulAdd(a[4], x, t4, A, out t4);
        B = LimbArith.MulAdd(c[4], y, t4, B, out t4);
        C = LimbArith.MulAdd(m, M4, t4, C, out t3);
        A = LimbArith.MulAdd(a[5], x, t5, A, out t5);
        B = LimbArith.MulAdd(c[5], y, t5, B, out t5);
        C = LimbArith.MulAdd(m, M5, t5, C, out t4);
        t5 = C + A + B;
        x = b[5];
        y = d[5];
        A = LimbArith.MulAdd(a[0], x, t0, 0, out t0);
        B = LimbArith.MulAdd(c[0], y, t0, 0, out t0);
        m = t0 * N0;
        C = LimbArith.MulHigh(m, M0) + (t0 != 0 ? 1UL : 0UL);
        A = LimbArith.MulAdd(a[1], x, t1, A, out t1);
        B = LimbArith.MulAdd(c[1], y, t1, B, out t1);
        C = LimbArith.MulAdd(m, M1, t1, C, out t0);
        A = LimbArith.MulAdd(a[2], x, t2, A, out t2);
        B = LimbArith.MulAdd(c[2], y, t2, B, out t2);
        C = LimbArith.MulAdd(m, M2, t2, C, out t1);
        A = LimbArith.MulAdd(a[3], x, t3, A, out t3);
        B = LimbArith.MulAdd(c[3], y, t3, B, out t3);
        C = LimbArith.MulAdd(m, M3, t3, C, out t2);
        A = LimbArith.MulAdd(a[4], x, t4, A, out t4);
        B = LimbArith.MulAdd(c[4], y, t4, B, out t4);
        C = LimbArith.MulAdd(m, M4, t4, C, out t3);
        A = LimbArith.MulAdd(a[5], x, t5, A, out t5);
        B = LimbArith.MulAdd(c[5], y, t5, B, out t5);
        C = LimbArith.MulAdd(m, M5, t5, C, out t4);
        t5 = C + A + B;
        r = default;
        Reduce(ref r, t0, t1, t2, t3, t4, t5, 0);
    }

}
