using System.Runtime.CompilerServices;
using System.Numerics;
using OpenLedger.Crypto.FieldMath;
using Fq = OpenLedger.Crypto.FieldMath.Fp<OpenLedger.Crypto.Bls12381.Bls12381FqParams>;
using Fq2 = OpenLedger.Crypto.FieldMath.Fp2<OpenLedger.Crypto.FieldMath.Fp<OpenLedger.Crypto.Bls12381.Bls12381FqParams>>;
using Fq6 = OpenLedger.Crypto.FieldMath.Fp6<OpenLedger.Crypto.FieldMath.Fp<OpenLedger.Crypto.Bls12381.Bls12381FqParams>>;

namespace OpenLedger.Crypto.Bls12381;

/// <summary>
/// Miller-loop lines of a fixed G2 point divided by their constant coefficient: c0 + c1 px v + c4 py vw becomes
/// 1 + (c1/c0) px v + (c4/c0) py vw. Each line changes by a factor in Fp2*, which the final exponentiation maps to one
/// ((p^2 - 1) divides (p^12 - 1)/r), so the pairing product is unchanged; the known one saves four of the thirteen Fp2
/// products of the sparse multiplication.
/// </summary>
internal static class NormalizedLines
{
    /// <summary>(c1/c0, c4/c0) per line in loop order, or null if some line's c0 is zero (then use the plain lines).</summary>
    public static (Fq2 C1, Fq2 C4)[]? Prepare(in AffinePoint<Fq2> q)
    {
        var lines = Bls12381Curve.PrepareG2(q);
        var r = new (Fq2, Fq2)[lines.Length];
        for (int i = 0; i < lines.Length; i++)
        {
            var (c0, c1, c4) = lines[i];
            if (c0.IsZero) return null;
            Fq2 inv = Fq2.Inverse(c0);
            r[i] = (Fq2.Mul(c1, inv), Fq2.Mul(c4, inv));
        }
        return r;
    }

    /// <summary>The Miller loop product over pairs with normalized lines (infinite G1 points are skipped).</summary>
    public static Fp12<Fq> MillerLoop(ReadOnlySpan<(AffinePoint<Fq> P, (Fq2 C1, Fq2 C4)[] Lines)> pairs)
    {
        Fp12<Fq> f = Fp12<Fq>.One;
        int step = 0;
        for (int i = 62 - BitOperations.LeadingZeroCount(Bls12381Curve.AbsX); i >= 0; i--)
        {
            if (step > 0) f = Fp12<Fq>.Square(f); // f is still one before the first step
            foreach (var (p, lines) in pairs)
                if (!p.Infinity) f = MulByLine(f, lines[step], p);
            step++;
            if (((Bls12381Curve.AbsX >> i) & 1) == 0) continue;
            foreach (var (p, lines) in pairs)
                if (!p.Infinity) f = MulByLine(f, lines[step], p);
            step++;
        }
        return Fp12<Fq>.Conjugate(f);
    }

    private static Fp12<Fq> MulByLine(in Fp12<Fq> f, in (Fq2 C1, Fq2 C4) line, in AffinePoint<Fq> p) =>
        MulBy014One(f, Fq2.MulByFp(line.C1, p.X), Fq2.MulByFp(line.C4, p.Y));

    /// <summary>
    /// f * ((1 + e1 v) + (e4 v) w), Karatsuba over w: aa = f0 (1 + e1 v), bb = f1 (e4 v),
    /// (f0 + f1)(1 + (e1 + e4) v) - aa - bb; nine Fp2 products (a multiplication by 1 + e v is f + e (f v)).
    /// </summary>
    internal static Fp12<Fq> MulBy014One(in Fp12<Fq> f, in Fq2 e1, in Fq2 e4)
    {
        if (NativeFq.Enabled)
        {
            Fp12<Fq> r = default;
            NativeFq.Fp12MulBy014One(ref Unsafe.AsRef(in r.C0.C0.A.L), f.C0.C0.A.L, e1.A.L, e4.A.L);
            return r;
        }
        Fq6 f0 = f.C0, f1 = f.C1;
        Fq6 aa = new(Fq2.Add(f0.C0, Fq2.MulByXi(Fq2.Mul(e1, f0.C2))), Fq2.Add(f0.C1, Fq2.Mul(e1, f0.C0)), Fq2.Add(f0.C2, Fq2.Mul(e1, f0.C1)));
        Fq6 bb = new(Fq2.MulByXi(Fq2.Mul(e4, f1.C2)), Fq2.Mul(e4, f1.C0), Fq2.Mul(e4, f1.C1));
        Fq6 s = Fq6.Add(f0, f1);
        Fq2 u = Fq2.Add(e1, e4);
        Fq6 ss = new(Fq2.Add(s.C0, Fq2.MulByXi(Fq2.Mul(u, s.C2))), Fq2.Add(s.C1, Fq2.Mul(u, s.C0)), Fq2.Add(s.C2, Fq2.Mul(u, s.C1)));
        return new(Fq6.Add(aa, Fq6.MulByV(bb)), Fq6.Sub(Fq6.Sub(ss, aa), bb));
    }
}
