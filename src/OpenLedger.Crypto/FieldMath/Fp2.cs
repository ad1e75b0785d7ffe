using System.Numerics;
using System.Runtime.CompilerServices;

namespace OpenLedger.Crypto.FieldMath;

/// <summary>Fp2 = Fp[u]/(u^2 + 1): A + B*u.</summary>
internal readonly struct Fp2<F> : IField<Fp2<F>> where F : struct, IPrimeField<F>
{
    public readonly F A, B;

    public Fp2(in F a, in F b)
    {
        A = a;
        B = b;
    }

    public static Fp2<F> Zero => default;
    public static Fp2<F> One => new(F.One, F.Zero);
    public bool IsZero => A.IsZero && B.IsZero;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Fp2<F> Add(in Fp2<F> x, in Fp2<F> y) => new(F.Add(x.A, y.A), F.Add(x.B, y.B));
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Fp2<F> Sub(in Fp2<F> x, in Fp2<F> y) => new(F.Sub(x.A, y.A), F.Sub(x.B, y.B));
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Fp2<F> Neg(in Fp2<F> x) => new(F.Neg(x.A), F.Neg(x.B));
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Fp2<F> Double(in Fp2<F> x) => new(F.Double(x.A), F.Double(x.B));
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Fp2<F> Conjugate(in Fp2<F> x) => new(x.A, F.Neg(x.B));
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Fp2<F> MulByFp(in Fp2<F> x, in F s) => new(F.Mul(x.A, s), F.Mul(x.B, s));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Fp2<F> Mul(in Fp2<F> x, in Fp2<F> y)
    {
        // Karatsuba with lazy reduction: three double-width products, two Montgomery reductions.
        F.MulFp2(x.A, x.B, y.A, y.B, out F r0, out F r1);
        return new(r0, r1);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Fp2<F> Square(in Fp2<F> x)
    {
        // (a+bu)^2 = (a+b)(a-b) + 2ab u, the sums unreduced.
        F.SquareFp2(x.A, x.B, out F r0, out F r1);
        return new(r0, r1);
    }

    public static Fp2<F> Inverse(in Fp2<F> x)
    {
        F norm = F.Add(F.Square(x.A), F.Square(x.B));
        F inv = F.Inverse(norm);
        return new(F.Mul(x.A, inv), F.Neg(F.Mul(x.B, inv)));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool Equal(in Fp2<F> x, in Fp2<F> y) => F.Equal(x.A, y.A) && F.Equal(x.B, y.B);

    /// <summary>Multiplication by the sextic non-residue xi = c + u: (c*a - b) + (a + c*b)u.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Fp2<F> MulByXi(in Fp2<F> x)
    {
        int c = F.XiReal; // a constant per field: the JIT keeps one branch
        if (c == 1) return new(F.Sub(x.A, x.B), F.Add(x.A, x.B));
        if (c == 9)
        {
            // 9a = 8a + a: three doublings and an addition.
            F a9 = F.Add(F.Double(F.Double(F.Double(x.A))), x.A);
            F b9 = F.Add(F.Double(F.Double(F.Double(x.B))), x.B);
            return new(F.Sub(a9, x.B), F.Add(x.A, b9));
        }
        F ca = FieldOps.MulSmall(x.A, c);
        F cb = FieldOps.MulSmall(x.B, c);
        return new(F.Sub(ca, x.B), F.Add(x.A, cb));
    }

    public static Fp2<F> Xi => new(F.FromBig(F.XiReal), F.One);

    /// <summary>Square root in Fp2 for p = 3 mod 4 (complex method); false if none exists.</summary>
    public static bool TrySqrt(in Fp2<F> x, out Fp2<F> root)
    {
        BigInteger p = F.Modulus;
        Fp2<F> a1 = FieldOps.Pow(x, (p - 3) / 4);
        Fp2<F> alpha = Mul(Square(a1), x);
        Fp2<F> x0 = Mul(a1, x);
        if (Equal(alpha, Neg(One)))
        {
            root = new(F.Neg(x0.B), x0.A); // u * x0
        }
        else
        {
            Fp2<F> b = FieldOps.Pow(Add(One, alpha), (p - 1) / 2);
            root = Mul(b, x0);
        }
        return Equal(Square(root), x);
    }

    public override string ToString() => $"({A}, {B})";
}
