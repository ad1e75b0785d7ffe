using System.Runtime.CompilerServices;

namespace OpenLedger.Crypto.FieldMath;

/// <summary>Fp12 = Fp6[w]/(w^2 - v): C0 + C1*w. As a vector over Fp2, coefficient (i, j) of Ci.Cj multiplies w^(2j+i).</summary>
internal readonly struct Fp12<F> : IField<Fp12<F>> where F : struct, IPrimeField<F>
{
    public readonly Fp6<F> C0, C1;

    public Fp12(in Fp6<F> c0, in Fp6<F> c1)
    {
        C0 = c0;
        C1 = c1;
    }

    public static Fp12<F> Zero => default;
    public static Fp12<F> One => new(Fp6<F>.One, Fp6<F>.Zero);
    public bool IsZero => C0.IsZero && C1.IsZero;

    public static Fp12<F> Add(in Fp12<F> a, in Fp12<F> b) => new(Fp6<F>.Add(a.C0, b.C0), Fp6<F>.Add(a.C1, b.C1));
    public static Fp12<F> Sub(in Fp12<F> a, in Fp12<F> b) => new(Fp6<F>.Sub(a.C0, b.C0), Fp6<F>.Sub(a.C1, b.C1));
    public static Fp12<F> Neg(in Fp12<F> a) => new(Fp6<F>.Neg(a.C0), Fp6<F>.Neg(a.C1));
    public static Fp12<F> Double(in Fp12<F> a) => Add(a, a);
    public static bool Equal(in Fp12<F> a, in Fp12<F> b) => Fp6<F>.Equal(a.C0, b.C0) && Fp6<F>.Equal(a.C1, b.C1);

    /// <summary>The p^6-power Frobenius: equals the inverse on the cyclotomic subgroup.</summary>
    public static Fp12<F> Conjugate(in Fp12<F> a) => new(a.C0, Fp6<F>.Neg(a.C1));

    public static Fp12<F> Mul(in Fp12<F> a, in Fp12<F> b)
    {
        Fp12<F> r = default;
        if (F.TryFp12Mul(ref Unsafe.AsRef(in r.C0.C0.A), a.C0.C0.A, b.C0.C0.A)) return r;
        Fp6<F> t0 = Fp6<F>.Mul(a.C0, b.C0), t1 = Fp6<F>.Mul(a.C1, b.C1);
        Fp6<F> c1 = Fp6<F>.Sub(Fp6<F>.Sub(Fp6<F>.Mul(Fp6<F>.Add(a.C0, a.C1), Fp6<F>.Add(b.C0, b.C1)), t0), t1);
        return new(Fp6<F>.Add(t0, Fp6<F>.MulByV(t1)), c1);
    }

    public static Fp12<F> Square(in Fp12<F> a)
    {
        Fp12<F> r = default;
        if (F.TryFp12Square(ref Unsafe.AsRef(in r.C0.C0.A), a.C0.C0.A)) return r;
        // (c0 + c1 w)^2 = (c0 + c1)(c0 + v c1) - c0c1 - v c0c1 + 2 c0c1 w
        Fp6<F> ab = Fp6<F>.Mul(a.C0, a.C1);
        Fp6<F> t = Fp6<F>.Mul(Fp6<F>.Add(a.C0, a.C1), Fp6<F>.Add(a.C0, Fp6<F>.MulByV(a.C1)));
        Fp6<F> c0 = Fp6<F>.Sub(Fp6<F>.Sub(t, ab), Fp6<F>.MulByV(ab));
        return new(c0, Fp6<F>.Double(ab));
    }

    public static Fp12<F> Inverse(in Fp12<F> a)
    {
        Fp6<F> norm = Fp6<F>.Sub(Fp6<F>.Square(a.C0), Fp6<F>.MulByV(Fp6<F>.Square(a.C1)));
        Fp6<F> inv = Fp6<F>.Inverse(norm);
        return new(Fp6<F>.Mul(a.C0, inv), Fp6<F>.Neg(Fp6<F>.Mul(a.C1, inv)));
    }

    /// <summary>
    /// Squaring in the cyclotomic subgroup (Granger-Scott): with Fp12 = Fp4[w]/(w^3 - t), t = w^3, an element
    /// A0 + A1 w + A2 w^2 squares to (3A0^2 - 2conj(A0)) + (3t A2^2 + 2conj(A1)) w + (3A1^2 - 2conj(A2)) w^2.
    /// Only valid for elements of norm one (after the final exponentiation's easy part).
    /// </summary>
    public static Fp12<F> CyclotomicSquare(in Fp12<F> a)
    {
        var (t0, t1) = Fp4Square(a.C0.C0, a.C1.C1);
        var (t2, t3) = Fp4Square(a.C1.C0, a.C0.C2);
        var (t4, t5) = Fp4Square(a.C0.C1, a.C1.C2);
        Fp2<F> z0 = Fp2<F>.Add(Fp2<F>.Double(Fp2<F>.Sub(t0, a.C0.C0)), t0);
        Fp2<F> z1 = Fp2<F>.Add(Fp2<F>.Double(Fp2<F>.Add(t1, a.C1.C1)), t1);
        Fp2<F> xt5 = Fp2<F>.MulByXi(t5);
        Fp2<F> z2 = Fp2<F>.Add(Fp2<F>.Double(Fp2<F>.Add(xt5, a.C1.C0)), xt5);
        Fp2<F> z3 = Fp2<F>.Add(Fp2<F>.Double(Fp2<F>.Sub(t4, a.C0.C2)), t4);
        Fp2<F> z4 = Fp2<F>.Add(Fp2<F>.Double(Fp2<F>.Sub(t2, a.C0.C1)), t2);
        Fp2<F> z5 = Fp2<F>.Add(Fp2<F>.Double(Fp2<F>.Add(t3, a.C1.C2)), t3);
        return new(new Fp6<F>(z0, z4, z3), new Fp6<F>(z2, z1, z5));
    }

    /// <summary>(a + b t)^2 in Fp4 = Fp2[t]/(t^2 - xi).</summary>
    internal static (Fp2<F>, Fp2<F>) Fp4Square(in Fp2<F> a, in Fp2<F> b)
    {
        if (F.TrySquareFp4(a.A, a.B, b.A, b.B, out F c00, out F c01, out F c10, out F c11))
            return (new(c00, c01), new(c10, c11));
        return Fp4SquareGeneric(a, b);
    }

    /// <summary>The generic Fp4 square (three Fp2 squares), the reference for fused per-field versions.</summary>
    internal static (Fp2<F>, Fp2<F>) Fp4SquareGeneric(in Fp2<F> a, in Fp2<F> b)
    {
        Fp2<F> aa = Fp2<F>.Square(a), bb = Fp2<F>.Square(b);
        Fp2<F> c1 = Fp2<F>.Sub(Fp2<F>.Sub(Fp2<F>.Square(Fp2<F>.Add(a, b)), aa), bb);
        return (Fp2<F>.Add(Fp2<F>.MulByXi(bb), aa), c1);
    }

    /// <summary>a^e for a in the cyclotomic subgroup, with cyclotomic squarings.</summary>
    public static Fp12<F> CyclotomicPow(in Fp12<F> a, ulong e)
    {
        Fp12<F> r = One;
        bool started = false;
        for (int i = 63 - System.Numerics.BitOperations.LeadingZeroCount(e); i >= 0; i--)
        {
            if (started) r = CyclotomicSquare(r);
            if (((e >> i) & 1) == 0) continue;
            r = started ? Mul(r, a) : a;
            started = true;
        }
        return r;
    }

    /// <summary>The p-power Frobenius: conjugate each Fp2 coefficient and scale coefficient of w^k by xi^(k(p-1)/6).</summary>
    public static Fp12<F> Frobenius(in Fp12<F> a)
    {
        Fp2<F>[] g = FrobeniusConstants<F>.Gamma;
        return new(
            new Fp6<F>(
                Fp2<F>.Conjugate(a.C0.C0),
                Fp2<F>.Mul(Fp2<F>.Conjugate(a.C0.C1), g[2]),
                Fp2<F>.Mul(Fp2<F>.Conjugate(a.C0.C2), g[4])),
            new Fp6<F>(
                Fp2<F>.Mul(Fp2<F>.Conjugate(a.C1.C0), g[1]),
                Fp2<F>.Mul(Fp2<F>.Conjugate(a.C1.C1), g[3]),
                Fp2<F>.Mul(Fp2<F>.Conjugate(a.C1.C2), g[5])));
    }
}

/// <summary>gamma_k = xi^(k(p-1)/6), computed once per field.</summary>
internal static class FrobeniusConstants<F> where F : struct, IPrimeField<F>
{
    public static readonly Fp2<F>[] Gamma = Build();

    private static Fp2<F>[] Build()
    {
        var g = new Fp2<F>[6];
        var e = (F.Modulus - 1) / 6;
        for (int k = 0; k < 6; k++) g[k] = FieldOps.Pow(Fp2<F>.Xi, e * k);
        return g;
    }
}
