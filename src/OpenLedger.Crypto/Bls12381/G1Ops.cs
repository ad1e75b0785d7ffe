using System.Runtime.CompilerServices;
using OpenLedger.Crypto.FieldMath;
using Fq = OpenLedger.Crypto.FieldMath.Fp<OpenLedger.Crypto.Bls12381.Bls12381FqParams>;

namespace OpenLedger.Crypto.Bls12381;

/// <summary>G1 doubling and double-and-add specialized to BLS12-381's field (the subgroup test and the GLV loop).</summary>
internal static class G1Ops
{
    /// <summary>
    /// [2]P in Jacobian coordinates for y^2 = x^3 + b: with B = Y^2, S = 4XB, M = 3X^2: X3 = M^2 - 2S,
    /// Y3 = M(S - X3) - 8B^2, Z3 = 2YZ. Y3 is one fused sum of products M(S - X3) + B(p - 8B) (multiplicands M + B + p
    /// &lt; 3p, products below 2p^2: in the bounds of <see cref="Bls12381FqArith.SumOfProducts"/>), so three squarings
    /// and two products instead of five and two.
    /// </summary>
    public static JacobianPoint<Fq> Double(in JacobianPoint<Fq> p)
    {
        if (p.IsIdentity || p.Y.IsZero) return JacobianPoint<Fq>.Identity;
        if (NativeFq.Enabled)
        {
            JacobianPoint<Fq> r = default;
            NativeFq.G1Double(ref Unsafe.AsRef(in r.X.L), p.X.L);
            return r;
        }
        Fq a = Fq.Square(p.X), b = Fq.Square(p.Y);
        Fq b4 = Fq.Double(Fq.Double(b));
        Fq s = Fq.Mul(p.X, b4);
        Fq m = Fq.Add(Fq.Double(a), a);
        Fq x3 = Fq.Sub(Fq.Square(m), Fq.Double(s));
        Fq negB8 = Fq.Neg(Fq.Double(b4));
        Fq y3 = default;
        Bls12381FqArith.SumOfProducts(out y3.L, m.L, Fq.Sub(s, x3).L, b.L, negB8.L);
        Fq z3 = Fq.Double(Fq.Mul(p.Y, p.Z));
        return new(x3, y3, z3);
    }

    /// <summary>p + q: the assembly kernel where it is in use, else <see cref="JacobianPoint{T}.Add"/>.</summary>
    public static JacobianPoint<Fq> Add(in JacobianPoint<Fq> p, in JacobianPoint<Fq> q)
    {
        if (!NativeFq.Enabled) return p.Add(q);
        if (p.IsIdentity) return q;
        if (q.IsIdentity) return p;
        JacobianPoint<Fq> r = default;
        return NativeFq.G1Add(ref Unsafe.AsRef(in r.X.L), p.X.L, q.X.L) switch
        {
            0 => r,
            1 => Double(p),
            _ => JacobianPoint<Fq>.Identity,
        };
    }

    /// <summary>p + q for an affine q: the assembly kernel where it is in use, else <see cref="JacobianPoint{T}.AddAffine"/>.</summary>
    public static JacobianPoint<Fq> AddAffine(in JacobianPoint<Fq> p, in AffinePoint<Fq> q)
    {
        if (!NativeFq.Enabled) return p.AddAffine(q);
        if (q.Infinity) return p;
        if (p.IsIdentity) return q.ToJacobian();
        JacobianPoint<Fq> r = default;
        return NativeFq.G1AddAffine(ref Unsafe.AsRef(in r.X.L), p.X.L, q.X.L) switch
        {
            0 => r,
            1 => Double(p),
            _ => JacobianPoint<Fq>.Identity,
        };
    }

    /// <summary>[k]q for an affine q by double-and-add with mixed additions.</summary>
    public static JacobianPoint<Fq> MultiplyBinary(in AffinePoint<Fq> q, ulong k)
    {
        JacobianPoint<Fq> r = JacobianPoint<Fq>.Identity;
        for (int i = 63 - System.Numerics.BitOperations.LeadingZeroCount(k); i >= 0; i--)
        {
            r = Double(r);
            if (((k >> i) & 1) != 0) r = AddAffine(r, q);
        }
        return r;
    }

    /// <summary>[k]p for a Jacobian p by double-and-add.</summary>
    public static JacobianPoint<Fq> MultiplyBinary(in JacobianPoint<Fq> p, ulong k)
    {
        JacobianPoint<Fq> r = JacobianPoint<Fq>.Identity;
        for (int i = 63 - System.Numerics.BitOperations.LeadingZeroCount(k); i >= 0; i--)
        {
            r = Double(r);
            if (((k >> i) & 1) != 0) r = Add(r, p);
        }
        return r;
    }
}
