namespace OpenLedger.Crypto.FieldMath;

/// <summary>A G2 point on the sextic twist in homogeneous projective coordinates (X/Z, Y/Z), as the Miller loop walks it.</summary>
internal struct TwistPoint<F> where F : struct, IPrimeField<F>
{
    public Fp2<F> X, Y, Z;
}

/// <summary>
/// Line functions of the optimal ate Miller loop (Costello-Lange-Naehrig projective formulas), for both twist types:
/// a D-type twist (BN254) puts the line at w-positions 0, 1, 3 (C0.C0, C1.C0, C1.C1);
/// an M-type twist (BLS12-381) at 0, 2, 3 (C0.C0, C0.C1, C1.C1).
/// </summary>
internal static class PairingLines<F> where F : struct, IPrimeField<F>
{
    private static readonly F TwoInv = F.Inverse(F.Double(F.One));

    /// <summary>Doubles r in place; returns the tangent line's three coefficients (scaled by the twist's convention).</summary>
    public static (Fp2<F>, Fp2<F>, Fp2<F>) Double(ref TwistPoint<F> r, in Fp2<F> twistB, bool mType)
    {
        Fp2<F> a = Fp2<F>.MulByFp(Fp2<F>.Mul(r.X, r.Y), TwoInv);
        Fp2<F> b = Fp2<F>.Square(r.Y);
        Fp2<F> c = Fp2<F>.Square(r.Z);
        Fp2<F> e = Fp2<F>.Mul(twistB, Fp2<F>.Add(Fp2<F>.Double(c), c));
        Fp2<F> f = Fp2<F>.Add(Fp2<F>.Double(e), e);
        Fp2<F> g = Fp2<F>.MulByFp(Fp2<F>.Add(b, f), TwoInv);
        Fp2<F> h = Fp2<F>.Sub(Fp2<F>.Square(Fp2<F>.Add(r.Y, r.Z)), Fp2<F>.Add(b, c));
        Fp2<F> i = Fp2<F>.Sub(e, b);
        Fp2<F> j = Fp2<F>.Square(r.X);
        Fp2<F> e2 = Fp2<F>.Square(e);
        r.X = Fp2<F>.Mul(a, Fp2<F>.Sub(b, f));
        r.Y = Fp2<F>.Sub(Fp2<F>.Square(g), Fp2<F>.Add(Fp2<F>.Double(e2), e2));
        r.Z = Fp2<F>.Mul(b, h);
        Fp2<F> j3 = Fp2<F>.Add(Fp2<F>.Double(j), j);
        return mType ? (i, j3, Fp2<F>.Neg(h)) : (Fp2<F>.Neg(h), j3, i);
    }

    /// <summary>Adds the affine point q to r in place; returns the chord's coefficients.</summary>
    public static (Fp2<F>, Fp2<F>, Fp2<F>) Add(ref TwistPoint<F> r, in AffinePoint<Fp2<F>> q, bool mType)
    {
        Fp2<F> theta = Fp2<F>.Sub(r.Y, Fp2<F>.Mul(q.Y, r.Z));
        Fp2<F> lambda = Fp2<F>.Sub(r.X, Fp2<F>.Mul(q.X, r.Z));
        Fp2<F> c = Fp2<F>.Square(theta);
        Fp2<F> d = Fp2<F>.Square(lambda);
        Fp2<F> e = Fp2<F>.Mul(lambda, d);
        Fp2<F> f = Fp2<F>.Mul(r.Z, c);
        Fp2<F> g = Fp2<F>.Mul(r.X, d);
        Fp2<F> h = Fp2<F>.Sub(Fp2<F>.Add(e, f), Fp2<F>.Double(g));
        r.X = Fp2<F>.Mul(lambda, h);
        r.Y = Fp2<F>.Sub(Fp2<F>.Mul(theta, Fp2<F>.Sub(g, h)), Fp2<F>.Mul(e, r.Y));
        r.Z = Fp2<F>.Mul(r.Z, e);
        Fp2<F> j = Fp2<F>.Sub(Fp2<F>.Mul(theta, q.X), Fp2<F>.Mul(lambda, q.Y));
        return mType ? (j, Fp2<F>.Neg(theta), lambda) : (lambda, Fp2<F>.Neg(theta), j);
    }

    /// <summary>f * line(P): evaluates the line at the G1 point p and multiplies it into f (sparse product).</summary>
    public static Fp12<F> MulLine(in Fp12<F> f, (Fp2<F> C0, Fp2<F> C1, Fp2<F> C2) line, in AffinePoint<F> p, bool mType)
    {
        if (mType)
        {
            // line = (c0 + c1*px v) + (c2*py v) w
            Fp2<F> c1 = Fp2<F>.MulByFp(line.C1, p.X), c2 = Fp2<F>.MulByFp(line.C2, p.Y);
            return MulBy014(f, line.C0, c1, c2);
        }
        else
        {
            // line = c0*py + (c1*px + c2 v) w
            Fp2<F> c0 = Fp2<F>.MulByFp(line.C0, p.Y), c1 = Fp2<F>.MulByFp(line.C1, p.X);
            return MulBy034(f, c0, c1, line.C2);
        }
    }

    /// <summary>f * ((c0 + c1 v) + (c4 v) w).</summary>
    private static Fp12<F> MulBy014(in Fp12<F> f, in Fp2<F> c0, in Fp2<F> c1, in Fp2<F> c4)
    {
        Fp6<F> aa = MulBy01(f.C0, c0, c1);
        Fp6<F> bb = MulBy1(f.C1, c4);
        Fp6<F> sum = Fp6<F>.Add(f.C0, f.C1);
        Fp6<F> t = Fp6<F>.Sub(Fp6<F>.Sub(MulBy01(sum, c0, Fp2<F>.Add(c1, c4)), aa), bb);
        return new(Fp6<F>.Add(Fp6<F>.MulByV(bb), aa), t);
    }

    /// <summary>f * (c0 + (c3 + c4 v) w).</summary>
    private static Fp12<F> MulBy034(in Fp12<F> f, in Fp2<F> c0, in Fp2<F> c3, in Fp2<F> c4)
    {
        Fp6<F> aa = new(Fp2<F>.Mul(f.C0.C0, c0), Fp2<F>.Mul(f.C0.C1, c0), Fp2<F>.Mul(f.C0.C2, c0));
        Fp6<F> bb = MulBy01(f.C1, c3, c4);
        Fp6<F> sum = Fp6<F>.Add(f.C0, f.C1);
        Fp6<F> t = Fp6<F>.Sub(Fp6<F>.Sub(MulBy01(sum, Fp2<F>.Add(c0, c3), c4), aa), bb);
        return new(Fp6<F>.Add(Fp6<F>.MulByV(bb), aa), t);
    }

    /// <summary>a * (b0 + b1 v).</summary>
    private static Fp6<F> MulBy01(in Fp6<F> a, in Fp2<F> b0, in Fp2<F> b1)
    {
        Fp2<F> t0 = Fp2<F>.Mul(a.C0, b0), t1 = Fp2<F>.Mul(a.C1, b1);
        Fp2<F> c0 = Fp2<F>.Add(Fp2<F>.MulByXi(Fp2<F>.Mul(a.C2, b1)), t0);
        Fp2<F> c1 = Fp2<F>.Sub(Fp2<F>.Sub(Fp2<F>.Mul(Fp2<F>.Add(a.C0, a.C1), Fp2<F>.Add(b0, b1)), t0), t1);
        Fp2<F> c2 = Fp2<F>.Add(Fp2<F>.Mul(a.C2, b0), t1);
        return new(c0, c1, c2);
    }

    /// <summary>a * (b1 v).</summary>
    private static Fp6<F> MulBy1(in Fp6<F> a, in Fp2<F> b1) =>
        new(Fp2<F>.MulByXi(Fp2<F>.Mul(a.C2, b1)), Fp2<F>.Mul(a.C0, b1), Fp2<F>.Mul(a.C1, b1));
}
