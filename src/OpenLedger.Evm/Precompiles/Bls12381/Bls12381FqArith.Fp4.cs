using System.Runtime.CompilerServices;
using OpenLedger.Evm.Precompiles.FieldMath;

namespace OpenLedger.Evm.Precompiles.Bls12381;

// The Fp4 = Fp2[t]/(t^2 - xi) square behind the cyclotomic squarings, lazily reduced: seven double-width products and
// four reductions instead of six full Montgomery products (three Fp2 squares).
internal static partial class Bls12381FqArith
{
    /// <summary>
    /// (c0 + c1 t) = (a + b t)^2 with t^2 = xi = 1 + u, a = a0 + a1 u, b = b0 + b1 u (all below p):
    /// c0 = a^2 + xi b^2, c1 = 2ab. With w1 = (a0 + a1)(a0 - a1), w2 = a0 a1, w3 = (b0 + b1)(b0 - b1), w4 = b0 b1,
    /// w5 = a0 b0, w6 = a1 b1, w7 = (a0 + a1)(b0 + b1), and differences lifted by p^2 (zero mod p):
    /// c0.re = w1 + w3 + 2(p^2 - w4), c0.im = 2 w2 + w3 + 2 w4, c1.re = 2(w5 + p^2 - w6), c1.im = 2(w7 - w5 - w6).
    /// Bounds: w1, w3 &lt; 2p^2 (one factor below 2p, one below p), w2, w4, w5, w6 &lt; p^2, w7 - w5 - w6 = a0 b1 + a1 b0 &lt; 2p^2,
    /// so every sum is in [0, 6p^2) and 6p^2 &lt; pR (6p &lt; 2^384): each reduces once to a canonical value.
    /// </summary>
    public static void Fp4Square(ref Limbs6 c00, ref Limbs6 c01, ref Limbs6 c10, ref Limbs6 c11, in Limbs6 a0, in Limbs6 a1, in Limbs6 b0, in Limbs6 b1)
    {
        AddNoReduce(out Limbs6 sa, a0, a1);
        AddNoReduce(out Limbs6 sb, b0, b1);
        Limbs6 da = default, db = default;
        Sub(ref da, a0, a1);
        Sub(ref db, b0, b1);
        MulWide(out Limbs12 w1, sa, da);
        MulWide(out Limbs12 w2, a0, a1);
        MulWide(out Limbs12 w3, sb, db);
        MulWide(out Limbs12 w4, b0, b1);
        MulWide(out Limbs12 w5, a0, b0);
        MulWide(out Limbs12 w6, a1, b1);
        MulWide(out Limbs12 w7, sa, sb);
        SubWide(ref w7, w5);
        SubWide(ref w7, w6);
        AddWide(ref w7, w7);
        PSquared(out Limbs12 u);
        AddWide(ref w5, u);
        SubWide(ref w5, w6);
        AddWide(ref w5, w5);
        SubWide(ref u, w4);
        AddWide(ref u, u);
        AddWide(ref u, w3);
        AddWide(ref u, w1);
        AddWide(ref w2, w4);
        AddWide(ref w2, w2);
        AddWide(ref w2, w3);
        Redc(ref c00, u);
        Redc(ref c01, w2);
        Redc(ref c10, w5);
        Redc(ref c11, w7);
    }

    /// <summary>a += b over double width (callers keep the sum below 2^768).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void AddWide(ref Limbs12 a, in Limbs12 b)
    {
        ulong carry = 0;
        a[0] = Adc(a[0], b[0], ref carry);
        a[1] = Adc(a[1], b[1], ref carry);
        a[2] = Adc(a[2], b[2], ref carry);
        a[3] = Adc(a[3], b[3], ref carry);
        a[4] = Adc(a[4], b[4], ref carry);
        a[5] = Adc(a[5], b[5], ref carry);
        a[6] = Adc(a[6], b[6], ref carry);
        a[7] = Adc(a[7], b[7], ref carry);
        a[8] = Adc(a[8], b[8], ref carry);
        a[9] = Adc(a[9], b[9], ref carry);
        a[10] = Adc(a[10], b[10], ref carry);
        a[11] = Adc(a[11], b[11], ref carry);
    }

    /// <summary>p^2 as a double-width integer.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void PSquared(out Limbs12 r)
    {
        Unsafe.SkipInit(out r);
        r[0] = 0x26aa00001c718e39UL;
        r[1] = 0x7ced6b1d76382eabUL;
        r[2] = 0x162c338362113cfdUL;
        r[3] = 0x66bf91ed3e71b743UL;
        r[4] = 0x292e85a87091a049UL;
        r[5] = 0x1d68619c86185c7bUL;
        r[6] = 0xf53149330978ef01UL;
        r[7] = 0x50a62cfd16ddca6eUL;
        r[8] = 0x66e59e49349e8bd0UL;
        r[9] = 0xe2dc90e50e7046b4UL;
        r[10] = 0x4bd278eaa22f25e9UL;
        r[11] = 0x02a437a4b8c35fc7UL;
    }
}
