namespace OpenLedger.Crypto.FieldMath;

/// <summary>Fp6 = Fp2[v]/(v^3 - xi): C0 + C1*v + C2*v^2.</summary>
internal readonly struct Fp6<F> : IField<Fp6<F>> where F : struct, IPrimeField<F>
{
    public readonly Fp2<F> C0, C1, C2;

    public Fp6(in Fp2<F> c0, in Fp2<F> c1, in Fp2<F> c2)
    {
        C0 = c0;
        C1 = c1;
        C2 = c2;
    }

    public static Fp6<F> Zero => default;
    public static Fp6<F> One => new(Fp2<F>.One, Fp2<F>.Zero, Fp2<F>.Zero);
    public bool IsZero => C0.IsZero && C1.IsZero && C2.IsZero;

    public static Fp6<F> Add(in Fp6<F> a, in Fp6<F> b) => new(Fp2<F>.Add(a.C0, b.C0), Fp2<F>.Add(a.C1, b.C1), Fp2<F>.Add(a.C2, b.C2));
    public static Fp6<F> Sub(in Fp6<F> a, in Fp6<F> b) => new(Fp2<F>.Sub(a.C0, b.C0), Fp2<F>.Sub(a.C1, b.C1), Fp2<F>.Sub(a.C2, b.C2));
    public static Fp6<F> Neg(in Fp6<F> a) => new(Fp2<F>.Neg(a.C0), Fp2<F>.Neg(a.C1), Fp2<F>.Neg(a.C2));
    public static Fp6<F> Double(in Fp6<F> a) => Add(a, a);
    public static bool Equal(in Fp6<F> a, in Fp6<F> b) => Fp2<F>.Equal(a.C0, b.C0) && Fp2<F>.Equal(a.C1, b.C1) && Fp2<F>.Equal(a.C2, b.C2);

    /// <summary>Multiplication by v: (c0, c1, c2) -> (xi*c2, c0, c1).</summary>
    public static Fp6<F> MulByV(in Fp6<F> a) => new(Fp2<F>.MulByXi(a.C2), a.C0, a.C1);

    public static Fp6<F> Mul(in Fp6<F> a, in Fp6<F> b)
    {
        Fp2<F> t0 = Fp2<F>.Mul(a.C0, b.C0), t1 = Fp2<F>.Mul(a.C1, b.C1), t2 = Fp2<F>.Mul(a.C2, b.C2);
        Fp2<F> c0 = Fp2<F>.Add(Fp2<F>.MulByXi(Fp2<F>.Sub(Fp2<F>.Sub(Fp2<F>.Mul(Fp2<F>.Add(a.C1, a.C2), Fp2<F>.Add(b.C1, b.C2)), t1), t2)), t0);
        Fp2<F> c1 = Fp2<F>.Add(Fp2<F>.Sub(Fp2<F>.Sub(Fp2<F>.Mul(Fp2<F>.Add(a.C0, a.C1), Fp2<F>.Add(b.C0, b.C1)), t0), t1), Fp2<F>.MulByXi(t2));
        Fp2<F> c2 = Fp2<F>.Add(Fp2<F>.Sub(Fp2<F>.Sub(Fp2<F>.Mul(Fp2<F>.Add(a.C0, a.C2), Fp2<F>.Add(b.C0, b.C2)), t0), t2), t1);
        return new(c0, c1, c2);
    }

    public static Fp6<F> Square(in Fp6<F> a)
    {
        // CH-SQR2 (Chung-Hasan).
        Fp2<F> s0 = Fp2<F>.Square(a.C0);
        Fp2<F> s1 = Fp2<F>.Double(Fp2<F>.Mul(a.C0, a.C1));
        Fp2<F> s2 = Fp2<F>.Square(Fp2<F>.Add(Fp2<F>.Sub(a.C0, a.C1), a.C2));
        Fp2<F> s3 = Fp2<F>.Double(Fp2<F>.Mul(a.C1, a.C2));
        Fp2<F> s4 = Fp2<F>.Square(a.C2);
        Fp2<F> c0 = Fp2<F>.Add(Fp2<F>.MulByXi(s3), s0);
        Fp2<F> c1 = Fp2<F>.Add(Fp2<F>.MulByXi(s4), s1);
        Fp2<F> c2 = Fp2<F>.Sub(Fp2<F>.Sub(Fp2<F>.Add(Fp2<F>.Add(s1, s2), s3), s0), s4);
        return new(c0, c1, c2);
    }

    public static Fp6<F> Inverse(in Fp6<F> a)
    {
        Fp2<F> t0 = Fp2<F>.Sub(Fp2<F>.Square(a.C0), Fp2<F>.MulByXi(Fp2<F>.Mul(a.C1, a.C2)));
        Fp2<F> t1 = Fp2<F>.Sub(Fp2<F>.MulByXi(Fp2<F>.Square(a.C2)), Fp2<F>.Mul(a.C0, a.C1));
        Fp2<F> t2 = Fp2<F>.Sub(Fp2<F>.Square(a.C1), Fp2<F>.Mul(a.C0, a.C2));
        Fp2<F> norm = Fp2<F>.Add(Fp2<F>.Mul(a.C0, t0), Fp2<F>.MulByXi(Fp2<F>.Add(Fp2<F>.Mul(a.C2, t1), Fp2<F>.Mul(a.C1, t2))));
        Fp2<F> inv = Fp2<F>.Inverse(norm);
        return new(Fp2<F>.Mul(t0, inv), Fp2<F>.Mul(t1, inv), Fp2<F>.Mul(t2, inv));
    }
}
