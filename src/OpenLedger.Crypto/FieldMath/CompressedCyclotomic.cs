using System.Numerics;
using System.Runtime.CompilerServices;

namespace OpenLedger.Crypto.FieldMath;

/// <summary>
/// Karabina's compressed squaring in the cyclotomic subgroup (Karabina, "Squaring in cyclotomic subgroups", 2013).
/// Seen as A + B w + C w^2 over Fp4 = Fp2[t], t = w^3 (A = (C0.C0, C1.C1), B = (C1.C0, C0.C2), C = (C0.C1, C1.C2)),
/// the Granger-Scott square's B and C parts depend on B and C alone, so a run of squarings can carry only those four
/// Fp2 coefficients (g2, g3, g4, g5): 6 Fp2 squarings per step instead of 9. A = (g0, g1) is recovered afterwards from
/// the norm-one condition with one division; the kept powers share one inversion (Montgomery's trick).
/// </summary>
internal static class CompressedCyclotomic<F> where F : struct, IPrimeField<F>
{
    private const int MaxKept = 8;

    /// <summary>
    /// a^e for a in the cyclotomic subgroup: compressed squarings, keeping a^(2^i) for each set bit i &gt;= 1, then one
    /// batched decompression and the products. Falls back to <see cref="Fp12{F}.CyclotomicPow"/> as soon as a kept power
    /// has g2 = 0 (the division's denominator) or when e has more than eight set bits, so every input gets the exact
    /// result; a = 1 (g2 = 0 throughout) returns at once.
    /// </summary>
    public static Fp12<F> Pow(in Fp12<F> a, ulong e)
    {
        int count = BitOperations.PopCount(e & ~1UL);
        if (count == 0 || count > MaxKept) return Fp12<F>.CyclotomicPow(a, e);
        if (Fp12<F>.Equal(a, Fp12<F>.One)) return a; // e.g. a pairing product over points at infinity

        Kept g = default; // 4 coefficients per kept power
        Quad q = default; // g2, g3, g4, g5 contiguous, for a field's in-place kernel
        ref Fp2<F> g2 = ref q[0], g3 = ref q[1], g4 = ref q[2], g5 = ref q[3];
        g2 = a.C1.C0;
        g3 = a.C0.C2;
        g4 = a.C0.C1;
        g5 = a.C1.C2;
        int top = 63 - BitOperations.LeadingZeroCount(e), k = 0;
        for (int i = 1; i <= top; i++)
        {
            if (!F.TryCyclotomicSquareCompressed(ref Unsafe.AsRef(in g2.A))) Square(ref g2, ref g3, ref g4, ref g5);
            if (((e >> i) & 1) == 0) continue;
            if (g2.IsZero) return Fp12<F>.CyclotomicPow(a, e); // no division by 4 g2: give up early
            g[4 * k] = g2;
            g[4 * k + 1] = g3;
            g[4 * k + 2] = g4;
            g[4 * k + 3] = g5;
            k++;
        }

        // Denominators 4 g2: prefix products, one inversion, then each inverse peeled off from the back.
        Dens prefix = default;
        Fp2<F> acc = Fp2<F>.One;
        for (int j = 0; j < count; j++)
        {
            Fp2<F> d = g[4 * j];
            prefix[j] = acc;
            acc = Fp2<F>.Mul(acc, Fp2<F>.Double(Fp2<F>.Double(d)));
        }
        Fp2<F> inv = Fp2<F>.Inverse(acc);
        Fp12<F> r = (e & 1) != 0 ? a : Fp12<F>.One;
        bool started = (e & 1) != 0;
        for (int j = count - 1; j >= 0; j--)
        {
            Fp2<F> d4 = Fp2<F>.Double(Fp2<F>.Double(g[4 * j]));
            Fp2<F> dInv = Fp2<F>.Mul(inv, prefix[j]);
            inv = Fp2<F>.Mul(inv, d4);
            Fp12<F> x = Decompress(g[4 * j], g[4 * j + 1], g[4 * j + 2], g[4 * j + 3], dInv);
            r = started ? Fp12<F>.Mul(r, x) : x;
            started = true;
        }
        return r;
    }

    /// <summary>
    /// One compressed squaring (the B, C half of Granger-Scott): B' = 3t C^2 + 2 conj(B), C' = 3 B^2 - 2 conj(C), i.e.
    /// g2' = 3 xi (C^2)_1 + 2 g2, g3' = 3 (C^2)_0 - 2 g3, g4' = 3 (B^2)_0 - 2 g4, g5' = 3 (B^2)_1 + 2 g5.
    /// </summary>
    internal static void Square(ref Fp2<F> g2, ref Fp2<F> g3, ref Fp2<F> g4, ref Fp2<F> g5)
    {
        var (b0, b1) = Fp12<F>.Fp4Square(g2, g3);
        var (c0, c1) = Fp12<F>.Fp4Square(g4, g5);
        Fp2<F> xc1 = Fp2<F>.MulByXi(c1);
        g2 = Fp2<F>.Add(Fp2<F>.Double(Fp2<F>.Add(xc1, g2)), xc1);
        g3 = Fp2<F>.Add(Fp2<F>.Double(Fp2<F>.Sub(c0, g3)), c0);
        g4 = Fp2<F>.Add(Fp2<F>.Double(Fp2<F>.Sub(b0, g4)), b0);
        g5 = Fp2<F>.Add(Fp2<F>.Double(Fp2<F>.Add(b1, g5)), b1);
    }

    /// <summary>
    /// The full element from (g2, g3, g4, g5) given inv4g2 = 1/(4 g2): g1 = (xi g5^2 + 3 g4^2 - 2 g3)/(4 g2),
    /// g0 = xi (2 g1^2 + g2 g5 - 3 g3 g4) + 1 (from g^(p^6 + 1) = 1 and the Frobenius condition; Karabina, Thm 3.1).
    /// </summary>
    internal static Fp12<F> Decompress(in Fp2<F> g2, in Fp2<F> g3, in Fp2<F> g4, in Fp2<F> g5, in Fp2<F> inv4g2)
    {
        Fp2<F> s4 = Fp2<F>.Square(g4);
        Fp2<F> num = Fp2<F>.Sub(Fp2<F>.Add(Fp2<F>.MulByXi(Fp2<F>.Square(g5)), Fp2<F>.Add(Fp2<F>.Double(s4), s4)), Fp2<F>.Double(g3));
        Fp2<F> g1 = Fp2<F>.Mul(num, inv4g2);
        Fp2<F> g34 = Fp2<F>.Mul(g3, g4);
        Fp2<F> t = Fp2<F>.Sub(Fp2<F>.Add(Fp2<F>.Double(Fp2<F>.Square(g1)), Fp2<F>.Mul(g2, g5)), Fp2<F>.Add(Fp2<F>.Double(g34), g34));
        Fp2<F> g0 = Fp2<F>.Add(Fp2<F>.MulByXi(t), Fp2<F>.One);
        return new(new Fp6<F>(g0, g4, g3), new Fp6<F>(g2, g1, g5));
    }

    [InlineArray(4 * MaxKept)]
    private struct Kept
    {
        private Fp2<F> _e0;
    }

    [InlineArray(4)]
    private struct Quad
    {
        private Fp2<F> _e0;
    }

        [InlineArray(MaxKept)]
    private struct Dens
    {
        private Fp2<F> _e0;
    }
}
