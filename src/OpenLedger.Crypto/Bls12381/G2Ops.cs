using System.Numerics;
using OpenLedger.Crypto.FieldMath;
using OpenLedger.Primitives;
using Fq = OpenLedger.Crypto.FieldMath.Fp<OpenLedger.Crypto.Bls12381.Bls12381FqParams>;
using Fq2 = OpenLedger.Crypto.FieldMath.Fp2<OpenLedger.Crypto.FieldMath.Fp<OpenLedger.Crypto.Bls12381.Bls12381FqParams>>;

namespace OpenLedger.Crypto.Bls12381;

/// <summary>
/// G2 through the untwist-Frobenius-twist endomorphism psi (EIP-2537's fast_subgroup_checks.md, RFC 9380 G.4):
/// psi(x, y) = (conj(x) r, conj(y) s). On the order-r subgroup psi acts as multiplication by the curve parameter x,
/// which gives the subgroup test, a four-way split of scalars (base |x| digits, 64 bits each) and cofactor clearing.
/// </summary>
internal static class G2Ops
{
    private static readonly Fq2 PsiX = new(Fq.Zero, Fq.FromBig(BigInteger.Parse(
        "4002409555221667392624310435006688643935503118305586438271171395842971157480381377015405980053539358417135540939437")));
    private static readonly Fq2 PsiY = new(
        Fq.FromBig(BigInteger.Parse("2973677408986561043442465346520108879172042883009249989176415018091420807192182638567116318576472649347015917690530")),
        Fq.FromBig(BigInteger.Parse("1028732146235106349975324479215795277384839936929757896155643118032610843298655225875571310552543014690878354869257")));

    private static readonly UInt256 OrderWord = (UInt256)Bls12381Curve.R;

    /// <summary>psi in Jacobian coordinates: conjugation is a field automorphism, so it commutes with the division by Z.</summary>
    public static JacobianPoint<Fq2> Psi(in JacobianPoint<Fq2> p) =>
        new(Fq2.Mul(Fq2.Conjugate(p.X), PsiX), Fq2.Mul(Fq2.Conjugate(p.Y), PsiY), Fq2.Conjugate(p.Z));

    /// <summary>[-x]P = [|x|]P for the BLS parameter x = -|x|.</summary>
    public static JacobianPoint<Fq2> MulByMinusX(in JacobianPoint<Fq2> p) => p.MultiplyBinary(Bls12381Curve.AbsX);

    /// <summary>Subgroup membership (Scott, eprint 2021/1130 sec. 4): P is in G2 iff psi(P) = [x]P, i.e. psi(P) + [|x|]P = O.</summary>
    public static bool InSubgroup(in AffinePoint<Fq2> p)
    {
        if (p.Infinity) return true;
        return Psi(p.ToJacobian()).Add(JacobianPoint<Fq2>.MultiplyBinary(p, Bls12381Curve.AbsX)).IsIdentity;
    }

    /// <summary>The plain test [r]P = O, kept as the reference for <see cref="InSubgroup"/>.</summary>
    internal static bool InSubgroupByOrder(in AffinePoint<Fq2> p) => p.ToJacobian().Multiply(Bls12381Curve.OrderBytes).IsIdentity;

    /// <summary>
    /// [k]P for P in G2 and any 256-bit k: with k mod r = d0 + d1 |x| + d2 |x|^2 + d3 |x|^3 (digits below |x| &lt; 2^64,
    /// as r &lt; |x|^4) and [|x|]P = -psi(P), the four 64-bit products share one run of 64 doublings (Straus with a
    /// 16-entry table of subset sums).
    /// </summary>
    public static JacobianPoint<Fq2> MultiplySubgroup(in AffinePoint<Fq2> p, ReadOnlySpan<byte> scalarBe)
    {
        if (p.Infinity) return JacobianPoint<Fq2>.Identity;
        Span<ulong> d = stackalloc ulong[4];
        SplitScalar(scalarBe, d);
        var bases = new JacobianPoint<Fq2>[4];
        bases[0] = p.ToJacobian();
        for (int i = 1; i < 4; i++) bases[i] = Psi(bases[i - 1]).Negate(); // [|x|^i]P
        var table = new JacobianPoint<Fq2>[16];
        table[0] = JacobianPoint<Fq2>.Identity;
        for (int m = 1; m < 16; m++)
        {
            int low = BitOperations.TrailingZeroCount(m);
            table[m] = table[m & (m - 1)].Add(bases[low]);
        }
        JacobianPoint<Fq2> r = JacobianPoint<Fq2>.Identity;
        for (int bit = 63; bit >= 0; bit--)
        {
            r = r.Double();
            int m = (int)((d[0] >> bit) & 1) | (int)(((d[1] >> bit) & 1) << 1) | (int)(((d[2] >> bit) & 1) << 2) | (int)(((d[3] >> bit) & 1) << 3);
            if (m != 0) r = r.Add(table[m]);
        }
        return r;
    }

    /// <summary>k mod r as four base-|x| digits, least significant first (r &lt; |x|^4, so four suffice).</summary>
    public static void SplitScalar(ReadOnlySpan<byte> scalarBe, Span<ulong> digits)
    {
        UInt256 k = UInt256.FromBigEndian(scalarBe);
        if (k >= OrderWord) k %= OrderWord;
        UInt256 absX = Bls12381Curve.AbsX;
        for (int i = 0; i < 4; i++)
        {
            UInt256 q = k / absX;
            digits[i] = (k - q * absX).u0;
            k = q;
        }
    }

    /// <summary>-psi(P) on an affine point: [|x|]P for P in G2.</summary>
    public static AffinePoint<Fq2> MinusPsi(in AffinePoint<Fq2> p) =>
        p.Infinity ? p : new(Fq2.Mul(Fq2.Conjugate(p.X), PsiX), Fq2.Neg(Fq2.Mul(Fq2.Conjugate(p.Y), PsiY)));

    /// <summary>
    /// Cofactor clearing by h_eff (RFC 9380 G.4, Budroni-Pintore): [x^2 - x - 1]P + [x - 1]psi(P) + psi^2([2]P).
    /// </summary>
    public static JacobianPoint<Fq2> ClearCofactor(in JacobianPoint<Fq2> p)
    {
        JacobianPoint<Fq2> t1 = MulByMinusX(p).Negate(); // [x]P
        JacobianPoint<Fq2> t2 = Psi(p);
        JacobianPoint<Fq2> t3 = Psi(Psi(p.Double()));
        t3 = t3.Add(t2.Negate());
        t2 = t1.Add(t2);
        t2 = MulByMinusX(t2).Negate();
        t3 = t3.Add(t2);
        t3 = t3.Add(t1.Negate());
        return t3.Add(p.Negate());
    }
}
