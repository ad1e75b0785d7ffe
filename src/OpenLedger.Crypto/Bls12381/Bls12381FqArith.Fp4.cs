using OpenLedger.Crypto.FieldMath;

namespace OpenLedger.Crypto.Bls12381;

// The Fp4 = Fp2[t]/(t^2 - xi) square behind the cyclotomic squarings, as four fused sums of products.
internal static partial class Bls12381FqArith
{
    /// <summary>
    /// (c0 + c1 t) = (a + b t)^2 with t^2 = xi = 1 + u, a = a0 + a1 u, b = b0 + b1 u (all below p): c0 = a^2 + xi b^2,
    /// c1 = 2ab, i.e. with s = x0 + x1, d = x0 - x1 mod p:
    /// c0.re = sa da + sb db + b0 (2p - 2 b1), c0.im = a0 (2 a1) + sb db + b0 (2 b1),
    /// c1.re = (2 a0) b0 + a1 (2p - 2 b1), c1.im = (2 a0) b1 + (2 a1) b0.
    /// Each is one <see cref="SumOfProducts"/> pass; the multiplicands (first factors) sum to at most 5p, so t stays
    /// below 6p &lt; R, and each sum of products is below 6p^2, so the result is below 6p^2/R + p &lt; 2p before the one
    /// conditional subtraction (6p &lt; R = 2^384). Ten product rows and four reductions instead of six Montgomery
    /// products plus the Fp2 additions of three Fp2 squares.
    /// </summary>
    internal static void Fp4SquareManaged(ref Limbs6 c00, ref Limbs6 c01, ref Limbs6 c10, ref Limbs6 c11, in Limbs6 a0, in Limbs6 a1, in Limbs6 b0, in Limbs6 b1)
    {
        AddNoReduce(out Limbs6 sa, a0, a1);
        AddNoReduce(out Limbs6 sb, b0, b1);
        Limbs6 da = default, db = default, nb1 = default;
        SubManaged(ref da, a0, a1);
        SubManaged(ref db, b0, b1);
        ulong borrow = 0;
        nb1[0] = Sbb(M0, b1[0], ref borrow);
        nb1[1] = Sbb(M1, b1[1], ref borrow);
        nb1[2] = Sbb(M2, b1[2], ref borrow);
        nb1[3] = Sbb(M3, b1[3], ref borrow);
        nb1[4] = Sbb(M4, b1[4], ref borrow);
        nb1[5] = Sbb(M5, b1[5], ref borrow);
        AddNoReduce(out Limbs6 nb12, nb1, nb1); // 2p - 2 b1, at most 2p
        AddNoReduce(out Limbs6 a02, a0, a0);
        AddNoReduce(out Limbs6 a12, a1, a1);
        AddNoReduce(out Limbs6 b12, b1, b1);
        SumOfProducts(out Limbs6 x00, sa, da, sb, db, b0, nb12);
        SumOfProducts(out Limbs6 x01, a0, a12, sb, db, b0, b12);
        SumOfProductsManaged(out Limbs6 x10, a02, b0, a1, nb12);
        SumOfProductsManaged(out Limbs6 x11, a02, b1, a12, b0);
        c00 = x00;
        c01 = x01;
        c10 = x10;
        c11 = x11;
    }

    /// <summary>r = (a*b + c*d + e*f)/R mod p in one pass, as the two-product form; bounds as stated by the caller.</summary>
    private static void SumOfProducts(out Limbs6 r, in Limbs6 a, in Limbs6 b, in Limbs6 c, in Limbs6 d, in Limbs6 e, in Limbs6 f)
    {
        ulong t0, t1, t2, t3, t4, t5;
        ulong A, B, D, C, m, x, y, z;
        x = b[0];
        y = d[0];
        z = f[0];
        A = LimbArith.MulAdd(a[0], x, 0, 0, out t0);
        B = LimbArith.MulAdd(c[0], y, t0, 0, out t0);
        D = LimbArith.MulAdd(e[0], z, t0, 0, out t0);
        m = t0 * N0;
        C = LimbArith.MulHigh(m, M0) + (t0 != 0 ? 1UL : 0UL);
        A = LimbArith.MulAdd(a[1], x, A, 0, out t1);
        B = LimbArith.MulAdd(c[1], y, t1, B, out t1);
        D = LimbArith.MulAdd(e[1], z, t1, D, out t1);
        C = LimbArith.MulAdd(m, M1, t1, C, out t0);
        A = LimbArith.MulAdd(a[2], x, A, 0, out t2);
        B = LimbArith.MulAdd(c[2], y, t2, B, out t2);
        D = LimbArith.MulAdd(e[2], z, t2, D, out t2);
        C = LimbArith.MulAdd(m, M2, t2, C, out t1);
        A = LimbArith.MulAdd(a[3], x, A, 0, out t3);
        B = LimbArith.MulAdd(c[3], y, t3, B, out t3);
        D = LimbArith.MulAdd(e[3], z, t3, D, out t3);
        C = LimbArith.MulAdd(m, M3, t3, C, out t2);
        A = LimbArith.MulAdd(a[4], x, A, 0, out t4);
        B = LimbArith.MulAdd(c[4], y, t4, B, out t4);
        D = LimbArith.MulAdd(e[4], z, t4, D, out t4);
        C = LimbArith.MulAdd(m, M4, t4, C, out t3);
        A = LimbArith.MulAdd(a[5], x, A, 0, out t5);
        B = LimbArith.MulAdd(c[5], y, t5, B, out t5);
        D = LimbArith.MulAdd(e[5], z, t5, D, out t5);
        C = LimbArith.MulAdd(m, M5, t5, C, out t4);
        t5 = C + A + B + D;
        x = b[1];
        y = d[1];
        z = f[1];
        A = LimbArith.MulAdd(a[0], x, t0, 0, out t0);
        B = LimbArith.MulAdd(c[0], y, t0, 0, out t0);
        D = LimbArith.MulAdd(e[0], z, t0, 0, out t0);
        m = t0 * N0;
        C = LimbArith.MulHigh(m, M0) + (t0 != 0 ? 1UL : 0UL);
        A = LimbArith.MulAdd(a[1], x, t1, A, out t1);
        B = LimbArith.MulAdd(c[1], y, t1, B, out t1);
        D = LimbArith.MulAdd(e[1], z, t1, D, out t1);
        C = LimbArith.MulAdd(m, M1, t1, C, out t0);
        A = LimbArith.MulAdd(a[2], x, t2, A, out t2);
        B = LimbArith.MulAdd(c[2], y, t2, B, out t2);
        D = LimbArith.MulAdd(e[2], z, t2, D, out t2);
        C = LimbArith.MulAdd(m, M2, t2, C, out t1);
        A = LimbArith.MulAdd(a[3], x, t3, A, out t3);
        B = LimbArith.MulAdd(c[3], y, t3, B, out t3);
        D = LimbArith.MulAdd(e[3], z, t3, D, out t3);
        C = LimbArith.MulAdd(m, M3, t3, C, out t2);
        A = LimbArith.MulAdd(a[4], x, t4, A, out t4);
        B = LimbArith.MulAdd(c[4], y, t4, B, out t4);
        D = LimbArith.MulAdd(e[4], z, t4, D, out t4);
        C = LimbArith.MulAdd(m, M4, t4, C, out t3);
        A = LimbArith.MulAdd(a[5], x, t5, A, out t5);
        B = LimbArith.MulAdd(c[5], y, t5, B, out t5);
        D = LimbArith.MulAdd(e[5], z, t5, D, out t5);
        C = LimbArith.MulAdd(m, M5, t5, C, out t4);
        t5 = C + A + B + D;
        x = b[2];
        y = d[2];
        z = f[2];
        A = LimbArith.MulAdd(a[0], x, t0, 0, out t0);
        B = LimbArith.MulAdd(c[0], y, t0, 0, out t0);
        D = LimbArith.MulAdd(e[0], z, t0, 0, out t0);
        m = t0 * N0;
        C = LimbArith.MulHigh(m, M0) + (t0 != 0 ? 1UL : 0UL);
        A = LimbArith.MulAdd(a[1], x, t1, A, out t1);
        B = LimbArith.MulAdd(c[1], y, t1, B, out t1);
        D = LimbArith.MulAdd(e[1], z, t1, D, out t1);
        C = LimbArith.MulAdd(m, M1, t1, C, out t0);
        A = LimbArith.MulAdd(a[2], x, t2, A, out t2);
        B = LimbArith.MulAdd(c[2], y, t2, B, out t2);
        D = LimbArith.MulAdd(e[2], z, t2, D, out t2);
        C = LimbArith.MulAdd(m, M2, t2, C, out t1);
        A = LimbArith.MulAdd(a[3], x, t3, A, out t3);
        B = LimbArith.MulAdd(c[3], y, t3, B, out t3);
        D = LimbArith.MulAdd(e[3], z, t3, D, out t3);
        C = LimbArith.MulAdd(m, M3, t3, C, out t2);
        A = LimbArith.MulAdd(a[4], x, t4, A, out t4);
        B = LimbArith.MulAdd(c[4], y, t4, B, out t4);
        D = LimbArith.MulAdd(e[4], z, t4, D, out t4);
        C = LimbArith.MulAdd(m, M4, t4, C, out t3);
        A = LimbArith.MulAdd(a[5], x, t5, A, out t5);
        B = LimbArith.MulAdd(c[5], y, t5, B, out t5);
        D = LimbArith.MulAdd(e[5], z, t5, D, out t5);
        C = LimbArith.MulAdd(m, M5, t5, C, out t4);
        t5 = C + A + B + D;
        x = b[3];
        y = d[3];
        z = f[3];
        A = LimbArith.MulAdd(a[0], x, t0, 0, out t0);
        B = LimbArith.MulAdd(c[0], y, t0, 0, out t0);
        D = LimbArith.MulAdd(e[0], z, t0, 0, out t0);
        m = t0 * N0;
        C = LimbArith.MulHigh(m, M0) + (t0 != 0 ? 1UL : 0UL);
        A = LimbArith.MulAdd(a[1], x, t1, A, out t1);
        B = LimbArith.MulAdd(c[1], y, t1, B, out t1);
        D = LimbArith.MulAdd(e[1], z, t1, D, out t1);
        C = LimbArith.MulAdd(m, M1, t1, C, out t0);
        A = LimbArith.MulAdd(a[2], x, t2, A, out t2);
        B = LimbArith.MulAdd(c[2], y, t2, B, out t2);
        D = LimbArith.MulAdd(e[2], z, t2, D, out t2);
        C = LimbArith.MulAdd(m, M2, t2, C, out t1);
        A = LimbArith.MulAdd(a[3], x, t3, A, out t3);
        B = LimbArith.MulAdd(c[3], y, t3, B, out t3);
        D = LimbArith.MulAdd(e[3], z, t3, D, out t3);
        C = LimbArith.MulAdd(m, M3, t3, C, out t2);
        A = LimbArith.MulAdd(a[4], x, t4, A, out t4);
        B = LimbArith.MulAdd(c[4], y, t4, B, out t4);
        D = LimbArith.MulAdd(e[4], z, t4, D, out t4);
        C = LimbArith.MulAdd(m, M4, t4, C, out t3);
        A = LimbArith.MulAdd(a[5], x, t5, A, out t5);
        B = LimbArith.MulAdd(c[5], y, t5, B, out t5);
        D = LimbArith.MulAdd(e[5], z, t5, D, out t5);
        C = LimbArith.MulAdd(m, M5, t5, C, out t4);
        t5 = C + A + B + D;
        x = b[4];
        y = d[4];
        z = f[4];
        A = LimbArith.MulAdd(a[0], x, t0, 0, out t0);
        B = LimbArith.MulAdd(c[0], y, t0, 0, out t0);
        D = LimbArith.MulAdd(e[0], z, t0, 0, out t0);
        m = t0 * N0;
        C = LimbArith.MulHigh(m, M0) + (t0 != 0 ? 1UL : 0UL);
        A = LimbArith.MulAdd(a[1], x, t1, A, out t1);
        B = LimbArith.MulAdd(c[1], y, t1, B, out t1);
        D = LimbArith.MulAdd(e[1], z, t1, D, out t1);
        C = LimbArith.MulAdd(m, M1, t1, C, out t0);
        A = LimbArith.MulAdd(a[2], x, t2, A, out t2);
        B = LimbArith.MulAdd(c[2], y, t2, B, out t2);
        D = LimbArith.MulAdd(e[2], z, t2, D, out t2);
        C = LimbArith.MulAdd(m, M2, t2, C, out t1);
        A = LimbArith.MulAdd(a[3], x, t3, A, out t3);
        B = LimbArith.MulAdd(c[3], y, t3, B, out t3);
        D = LimbArith.MulAdd(e[3], z, t3, D, out t3);
        C = LimbArith.MulAdd(m, M3, t3, C, out t2);
        A = LimbArith.MulAdd(a[4], x, t4, A, out t4);
        B = LimbArith.MulAdd(c[4], y, t4, B, out t4);
        D = LimbArith.MulAdd(e[4], z, t4, D, out t4);
        C = LimbArith.MulAdd(m, M4, t4, C, out t3);
        A = LimbArith.MulAdd(a[5], x, t5, A, out t5);
        B = LimbArith.MulAdd(c[5], y, t5, B, out t5);
        D = LimbArith.MulAdd(e[5], z, t5, D, out t5);
        C = LimbArith.MulAdd(m, M5, t5, C, out t4);
        t5 = C + A + B + D;
        x = b[5];
        y = d[5];
        z = f[5];
        A = LimbArith.MulAdd(a[0], x, t0, 0, out t0);
        B = LimbArith.MulAdd(c[0], y, t0, 0, out t0);
        D = LimbArith.MulAdd(e[0], z, t0, 0, out t0);
        m = t0 * N0;
        C = LimbArith.MulHigh(m, M0) + (t0 != 0 ? 1UL : 0UL);
        A = LimbArith.MulAdd(a[1], x, t1, A, out t1);
        B = LimbArith.MulAdd(c[1], y, t1, B, out t1);
        D = LimbArith.MulAdd(e[1], z, t1, D, out t1);
        C = LimbArith.MulAdd(m, M1, t1, C, out t0);
        A = LimbArith.MulAdd(a[2], x, t2, A, out t2);
        B = LimbArith.MulAdd(c[2], y, t2, B, out t2);
        D = LimbArith.MulAdd(e[2], z, t2, D, out t2);
        C = LimbArith.MulAdd(m, M2, t2, C, out t1);
        A = LimbArith.MulAdd(a[3], x, t3, A, out t3);
        B = LimbArith.MulAdd(c[3], y, t3, B, out t3);
        D = LimbArith.MulAdd(e[3], z, t3, D, out t3);
        C = LimbArith.MulAdd(m, M3, t3, C, out t2);
        A = LimbArith.MulAdd(a[4], x, t4, A, out t4);
        B = LimbArith.MulAdd(c[4], y, t4, B, out t4);
        D = LimbArith.MulAdd(e[4], z, t4, D, out t4);
        C = LimbArith.MulAdd(m, M4, t4, C, out t3);
        A = LimbArith.MulAdd(a[5], x, t5, A, out t5);
        B = LimbArith.MulAdd(c[5], y, t5, B, out t5);
        D = LimbArith.MulAdd(e[5], z, t5, D, out t5);
        C = LimbArith.MulAdd(m, M5, t5, C, out t4);
        t5 = C + A + B + D;
        r = default;
        Reduce(ref r, t0, t1, t2, t3, t4, t5, 0);
    }

}
