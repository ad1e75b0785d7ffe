using System.Numerics;
using OpenLedger.Crypto.FieldMath;
using Fq = OpenLedger.Crypto.FieldMath.Fp<OpenLedger.Crypto.Bn254.Bn254FqParams>;
using Fq2 = OpenLedger.Crypto.FieldMath.Fp2<OpenLedger.Crypto.FieldMath.Fp<OpenLedger.Crypto.Bn254.Bn254FqParams>>;

namespace OpenLedger.Crypto.Bn254;

/// <summary>The alt_bn128 base field: p (EIP-196), tower non-residue xi = 9 + u (EIP-197).</summary>
internal struct Bn254FqParams : IFpParams
{
    public static FpConstants C { get; } = new(BigInteger.Parse("21888242871839275222246405745257275088696311157297823662689037894645226208583"), 4);
    public static int XiReal => 9;
    public static void MontMul(ref Limbs6 r, in Limbs6 a, in Limbs6 b) => Bn254FqArith.Mul(ref r, a, b);
    public static void MontSquare(ref Limbs6 r, in Limbs6 a) => Bn254FqArith.Square(ref r, a);
    public static void ModAdd(ref Limbs6 r, in Limbs6 a, in Limbs6 b) => Bn254FqArith.Add(ref r, a, b);
    public static void InversePlain(ref Limbs6 r, in Limbs6 a) => Bn254FqArith.InversePlain(ref r, a);
    public static void ModSub(ref Limbs6 r, in Limbs6 a, in Limbs6 b) => Bn254FqArith.Sub(ref r, a, b);
    public static void Fp2Mul(ref Limbs6 r0, ref Limbs6 r1, in Limbs6 a0, in Limbs6 a1, in Limbs6 b0, in Limbs6 b1)
    {
        if (NativeBn254Fq.Enabled) NativeBn254Fq.Fp2Mul(ref r0, ref r1, a0, a1, b0, b1);
        else Bn254FqArith.Fp2Mul(ref r0, ref r1, a0, a1, b0, b1);
    }

    public static void Fp2Square(ref Limbs6 r0, ref Limbs6 r1, in Limbs6 a0, in Limbs6 a1)
    {
        if (NativeBn254Fq.Enabled) NativeBn254Fq.Fp2Square(ref r0, ref r1, a0, a1);
        else Bn254FqArith.Fp2Square(ref r0, ref r1, a0, a1);
    }

    public static bool Fp12Mul(ref Limbs6 r, in Limbs6 a, in Limbs6 b)
    {
        if (!NativeBn254Fq.Enabled) return false;
        NativeBn254Fq.Fp12Mul(ref r, a, b);
        return true;
    }

    public static bool Fp12Square(ref Limbs6 r, in Limbs6 a)
    {
        if (!NativeBn254Fq.Enabled) return false;
        NativeBn254Fq.Fp12Square(ref r, a);
        return true;
    }
}

/// <summary>alt_bn128 (EIP-196/197): y^2 = x^3 + 3 over Fp; G2 on the D-type twist y^2 = x^3 + 3/xi over Fp2.</summary>
internal static class Bn254Curve
{
    public static BigInteger P => Bn254FqParams.C.P;
    public static readonly BigInteger R = BigInteger.Parse("21888242871839275222246405745257275088548364400416034343698204186575808495617");
    /// <summary>The BN parameter x: p = 36x^4 + 36x^3 + 24x^2 + 6x + 1, r likewise with 18x^2.</summary>
    public const ulong X = 4965661367192848881UL;

    public static readonly Fq B = Fq.FromBig(3);
    public static readonly Fq2 TwistB = Fq2.Mul(new Fq2(B, Fq.Zero), Fq2.Inverse(Fq2.Xi));
    public static readonly byte[] OrderBytes = R.ToByteArray(isUnsigned: true, isBigEndian: true);

    /// <summary>6x+2 in non-adjacent form, most significant digit first.</summary>
    public static readonly sbyte[] AteLoopNaf = Naf(6 * (BigInteger)X + 2);

    /// <summary>Frobenius on the twist: (x, y) -> (conj(x) * xi^((p-1)/3), conj(y) * xi^((p-1)/2)).</summary>
    private static readonly Fq2 FrobX = FieldOps.Pow(Fq2.Xi, (P - 1) / 3);
    private static readonly Fq2 FrobY = FieldOps.Pow(Fq2.Xi, (P - 1) / 2);

    public static readonly AffinePoint<Fq> G1Generator = new(Fq.FromBig(1), Fq.FromBig(2));

    public static readonly AffinePoint<Fq2> G2Generator = new(
        new Fq2(Fq.FromBig(BigInteger.Parse("10857046999023057135944570762232829481370756359578518086990519993285655852781")),
                Fq.FromBig(BigInteger.Parse("11559732032986387107991004021392285783925812861821192530917403151452391805634"))),
        new Fq2(Fq.FromBig(BigInteger.Parse("8495653923123431417604973247489272438418190587263600148770280649306958101930")),
                Fq.FromBig(BigInteger.Parse("4082367875863433681332203403145435568316851327593401208105741076214120093531"))));

    private static sbyte[] Naf(BigInteger k)
    {
        var digits = new List<sbyte>();
        while (k > 0)
        {
            sbyte d = 0;
            if (!k.IsEven)
            {
                d = (sbyte)(2 - (int)(k % 4));
                k -= d;
            }
            digits.Add(d);
            k >>= 1;
        }
        digits.Reverse();
        return digits.ToArray();
    }

    /// <summary>Parses a 64-byte G1 point (x, y); (0, 0) is infinity. False if a coordinate is not below p or the point is off the curve.</summary>
    public static bool TryReadG1(ReadOnlySpan<byte> b, out AffinePoint<Fq> point)
    {
        point = AffinePoint<Fq>.Identity;
        if (!Fq.TryFromBytes(b[..32], out Fq x) || !Fq.TryFromBytes(b.Slice(32, 32), out Fq y)) return false;
        if (x.IsZero && y.IsZero) return true;
        point = new AffinePoint<Fq>(x, y);
        return point.IsOnCurve(B);
    }

    /// <summary>
    /// Parses a 128-byte G2 point (x_im, x_re, y_im, y_re); all zero is infinity.
    /// False if a coordinate is not below p, the point is off the twist, or it is outside the order-r subgroup.
    /// </summary>
    public static bool TryReadG2(ReadOnlySpan<byte> b, out AffinePoint<Fq2> point)
    {
        point = AffinePoint<Fq2>.Identity;
        if (!Fq.TryFromBytes(b[..32], out Fq xi) || !Fq.TryFromBytes(b.Slice(32, 32), out Fq xr)
            || !Fq.TryFromBytes(b.Slice(64, 32), out Fq yi) || !Fq.TryFromBytes(b.Slice(96, 32), out Fq yr)) return false;
        Fq2 x = new(xr, xi), y = new(yr, yi);
        if (x.IsZero && y.IsZero) return true;
        point = new AffinePoint<Fq2>(x, y);
        return point.IsOnCurve(TwistB) && InG2Subgroup(point);
    }

    private static readonly byte[] SixXSquaredBytes = (6 * (BigInteger)X * X).ToByteArray(isUnsigned: true, isBigEndian: true);

    /// <summary>
    /// G2 membership for a point on the twist: psi(Q) = [6x^2]Q, psi the twisted Frobenius (El Housni, Guillevic,
    /// Piellard, "Co-factor clearing and subgroup membership testing on pairing-friendly curves"). A 127-bit
    /// multiplication instead of the 254-bit [r]Q.
    /// </summary>
    public static bool InG2Subgroup(in AffinePoint<Fq2> q) =>
        q.Infinity || TwistFrobenius(q).ToJacobian().EqualTo(q.ToJacobian().Multiply(SixXSquaredBytes));

    /// <summary>The plain test [r]Q = O, the reference for <see cref="InG2Subgroup"/>.</summary>
    internal static bool InG2SubgroupByOrder(in AffinePoint<Fq2> q) => q.ToJacobian().Multiply(OrderBytes).IsIdentity;

    public static void WriteG1(in AffinePoint<Fq> p, Span<byte> dest)
    {
        if (p.Infinity)
        {
            dest[..64].Clear();
            return;
        }
        p.X.WriteBytes(dest[..32]);
        p.Y.WriteBytes(dest.Slice(32, 32));
    }

    private static AffinePoint<Fq2> TwistFrobenius(in AffinePoint<Fq2> q) =>
        new(Fq2.Mul(Fq2.Conjugate(q.X), FrobX), Fq2.Mul(Fq2.Conjugate(q.Y), FrobY));

    /// <summary>The product of the Miller loops f_{6x+2,Q}(P) with the two Frobenius correction lines, over all pairs.</summary>
    public static Fp12<Fq> MillerLoop(ReadOnlySpan<(AffinePoint<Fq> P, AffinePoint<Fq2> Q)> pairs)
    {
        var active = new List<(AffinePoint<Fq> P, AffinePoint<Fq2> Q)>(pairs.Length);
        foreach (var pq in pairs)
            if (!pq.P.Infinity && !pq.Q.Infinity) active.Add(pq);
        Fp12<Fq> f = Fp12<Fq>.One;
        if (active.Count == 0) return f;

        var r = new TwistPoint<Fq>[active.Count];
        var negQ = new AffinePoint<Fq2>[active.Count];
        for (int k = 0; k < active.Count; k++)
        {
            r[k] = new TwistPoint<Fq> { X = active[k].Q.X, Y = active[k].Q.Y, Z = Fq2.One };
            negQ[k] = active[k].Q.Negate();
        }

        for (int i = 1; i < AteLoopNaf.Length; i++)
        {
            f = Fp12<Fq>.Square(f);
            for (int k = 0; k < active.Count; k++)
                f = PairingLines<Fq>.MulLine(f, PairingLines<Fq>.Double(ref r[k], TwistB, mType: false), active[k].P, mType: false);
            sbyte d = AteLoopNaf[i];
            if (d == 0) continue;
            for (int k = 0; k < active.Count; k++)
            {
                var q = d > 0 ? active[k].Q : negQ[k];
                f = PairingLines<Fq>.MulLine(f, PairingLines<Fq>.Add(ref r[k], q, mType: false), active[k].P, mType: false);
            }
        }

        for (int k = 0; k < active.Count; k++)
        {
            AffinePoint<Fq2> q1 = TwistFrobenius(active[k].Q);
            AffinePoint<Fq2> q2 = TwistFrobenius(q1).Negate();
            f = PairingLines<Fq>.MulLine(f, PairingLines<Fq>.Add(ref r[k], q1, mType: false), active[k].P, mType: false);
            f = PairingLines<Fq>.MulLine(f, PairingLines<Fq>.Add(ref r[k], q2, mType: false), active[k].P, mType: false);
        }
        return f;
    }

    /// <summary>
    /// f^((p^12 - 1)/r). Easy part f^((p^6 - 1)(p^2 + 1)) by conjugation, one inversion and Frobenius; the hard part
    /// (p^4 - p^2 + 1)/r = l0 + l1 p + l2 p^2 + l3 p^3 with l3 = 1, l2 = 6x^2 + 1, l1 = -36x^3 - 18x^2 - 12x + 1,
    /// l0 = -36x^3 - 30x^2 - 18x - 2 (Devegili-Scott-Dahab), so three exponentiations by the 63-bit x do the work.
    /// Inversion is conjugation once the easy part has put f in the cyclotomic subgroup.
    /// </summary>
    public static Fp12<Fq> FinalExponentiation(in Fp12<Fq> f)
    {
        Fp12<Fq> m = EasyPart(f);
        Fp12<Fq> fx = Fp12<Fq>.CyclotomicPow(m, X), fx2 = Fp12<Fq>.CyclotomicPow(fx, X), fx3 = Fp12<Fq>.CyclotomicPow(fx2, X);
        Fp12<Fq> fx3_36 = Fp12<Fq>.CyclotomicPow(fx3, 36UL);
        Fp12<Fq> a0 = Fp12<Fq>.Conjugate(Mul(fx3_36, Fp12<Fq>.CyclotomicPow(fx2, 30UL), Fp12<Fq>.CyclotomicPow(fx, 18UL), Fp12<Fq>.CyclotomicSquare(m)));
        Fp12<Fq> a1 = Fp12<Fq>.Mul(Fp12<Fq>.Conjugate(Mul(fx3_36, Fp12<Fq>.CyclotomicPow(fx2, 18UL), Fp12<Fq>.CyclotomicPow(fx, 12UL), Fp12<Fq>.One)), m);
        Fp12<Fq> a2 = Fp12<Fq>.Mul(Fp12<Fq>.CyclotomicPow(fx2, 6UL), m);
        Fp12<Fq> a3 = m;
        Fp12<Fq> r = Fp12<Fq>.Mul(a0, Fp12<Fq>.Frobenius(a1));
        r = Fp12<Fq>.Mul(r, Fp12<Fq>.Frobenius(Fp12<Fq>.Frobenius(a2)));
        return Fp12<Fq>.Mul(r, Fp12<Fq>.Frobenius(Fp12<Fq>.Frobenius(Fp12<Fq>.Frobenius(a3))));
    }

    private static Fp12<Fq> Mul(in Fp12<Fq> a, in Fp12<Fq> b, in Fp12<Fq> c, in Fp12<Fq> d) =>
        Fp12<Fq>.Mul(Fp12<Fq>.Mul(a, b), Fp12<Fq>.Mul(c, d));

    /// <summary>f^((p^6 - 1)(p^2 + 1)).</summary>
    internal static Fp12<Fq> EasyPart(in Fp12<Fq> f)
    {
        Fp12<Fq> t = Fp12<Fq>.Mul(Fp12<Fq>.Conjugate(f), Fp12<Fq>.Inverse(f));
        return Fp12<Fq>.Mul(Fp12<Fq>.Frobenius(Fp12<Fq>.Frobenius(t)), t);
    }

    /// <summary>The hard exponent (p^4 - p^2 + 1)/r, for tests of the decomposition.</summary>
    internal static BigInteger HardExponent => (BigInteger.Pow(P, 4) - BigInteger.Pow(P, 2) + 1) / R;

    public static Fp12<Fq> Pair(in AffinePoint<Fq> p, in AffinePoint<Fq2> q) =>
        FinalExponentiation(MillerLoop([(p, q)]));
}
