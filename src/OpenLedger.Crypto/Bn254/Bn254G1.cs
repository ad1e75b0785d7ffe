using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using OpenLedger.Crypto.FieldMath;
using F = OpenLedger.Crypto.Bn254.Bn254FqArith;

namespace OpenLedger.Crypto.Bn254;

/// <summary>A G1 point in Jacobian coordinates (X/Z^2, Y/Z^3), Montgomery form; Z = 0 is the identity.</summary>
internal struct G1Jacobian
{
    public Limbs6 X, Y, Z;
}

/// <summary>An affine G1 point, Montgomery form (the identity is tracked by the caller).</summary>
internal struct G1Affine
{
    public Limbs6 X, Y;
}

/// <summary>
/// alt_bn128 G1 for the 0x06/0x07 precompiles: 32-byte parsing and encoding, affine addition, and the Jacobian
/// formulas for y^2 = x^3 + 3 (a = 0) that scalar multiplication uses, all on the unrolled 4-limb field code
/// with results written in place (no generic struct copies).
/// </summary>
[SkipLocalsInit]
internal static class Bn254G1
{
    // R mod p, 3R mod p, R^2 mod p and R^3 mod p (R = 2^256): one, the curve constant b, into and out of inversion.
    private static readonly Limbs6 OneMont = Make(0xd35d438dc58f0d9dUL, 0x0a78eb28f5c70b3dUL, 0x666ea36f7879462cUL, 0x0e0a77c19a07df2fUL);
    private static readonly Limbs6 ThreeMont = Make(0x7a17caa950ad28d7UL, 0x1f6ac17ae15521b9UL, 0x334bea4e696bd284UL, 0x2a1f6744ce179d8eUL);
    private static readonly Limbs6 R2 = Make(0xf32cfc5b538afa89UL, 0xb5e71911d44501fbUL, 0x47ab1eff0a417ff6UL, 0x06d89f71cab8351fUL);
    private static readonly Limbs6 R3 = Make(0xb1cd6dafda1530dfUL, 0x62f210e6a7283db6UL, 0xef7f0b0c0ada0afbUL, 0x20fd6e902d592544UL);
    private const ulong P0 = 0x3c208c16d87cfd47UL, P1 = 0x97816a916871ca8dUL, P2 = 0xb85045b68181585dUL, P3 = 0x30644e72e131a029UL;

    internal static Limbs6 Make(ulong l0, ulong l1, ulong l2, ulong l3)
    {
        Limbs6 r = default;
        r[0] = l0;
        r[1] = l1;
        r[2] = l2;
        r[3] = l3;
        return r;
    }

    public static ref readonly Limbs6 One => ref OneMont;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool IsZero(in Limbs6 a) => (a[0] | a[1] | a[2] | a[3]) == 0;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool Equal(in Limbs6 a, in Limbs6 b) => ((a[0] ^ b[0]) | (a[1] ^ b[1]) | (a[2] ^ b[2]) | (a[3] ^ b[3])) == 0;

    /// <summary>r = a^-1 in Montgomery form: the plain inverse of aR is a^-1 R^-1, and one product with R^3 fixes it.</summary>
    public static void Inverse(ref Limbs6 r, in Limbs6 a)
    {
        Limbs6 t = default;
        Bn254Inversion.Invert(ref t, a);
        F.Mul(ref r, t, R3);
    }

    /// <summary>Reads a big-endian 32-byte coordinate into Montgomery form; false if it is not below p.</summary>
    public static bool TryReadFq(ReadOnlySpan<byte> be, out Limbs6 r)
    {
        Limbs6 t = default;
        ulong t3 = BinaryPrimitives.ReadUInt64BigEndian(be);
        ulong t2 = BinaryPrimitives.ReadUInt64BigEndian(be[8..]);
        ulong t1 = BinaryPrimitives.ReadUInt64BigEndian(be[16..]);
        ulong t0 = BinaryPrimitives.ReadUInt64BigEndian(be[24..]);
        r = default;
        // t < p, compared from the top limb.
        bool below = t3 != P3 ? t3 < P3 : t2 != P2 ? t2 < P2 : t1 != P1 ? t1 < P1 : t0 < P0;
        if (!below) return false;
        t[0] = t0;
        t[1] = t1;
        t[2] = t2;
        t[3] = t3;
        F.Mul(ref r, t, R2);
        return true;
    }

    /// <summary>Writes a Montgomery-form element as its canonical big-endian 32 bytes.</summary>
    public static void WriteFq(in Limbs6 a, Span<byte> be)
    {
        Limbs6 one = default, t = default;
        one[0] = 1;
        F.Mul(ref t, a, one);
        BinaryPrimitives.WriteUInt64BigEndian(be, t[3]);
        BinaryPrimitives.WriteUInt64BigEndian(be[8..], t[2]);
        BinaryPrimitives.WriteUInt64BigEndian(be[16..], t[1]);
        BinaryPrimitives.WriteUInt64BigEndian(be[24..], t[0]);
    }

    /// <summary>
    /// Parses a 64-byte point; (0, 0) is the identity (infinity = true). False if a coordinate is not below p or
    /// the point is off the curve. The group has prime order, so every curve point is a valid G1 element.
    /// </summary>
    public static bool TryRead(ReadOnlySpan<byte> b, out G1Affine p, out bool infinity)
    {
        p = default;
        infinity = false;
        if (!TryReadFq(b[..32], out p.X) || !TryReadFq(b.Slice(32, 32), out p.Y)) return false;
        if (IsZero(p.X) && IsZero(p.Y))
        {
            infinity = true;
            return true;
        }
        Limbs6 y2 = default, x3 = default;
        F.Square(ref y2, p.Y);
        F.Square(ref x3, p.X);
        F.Mul(ref x3, x3, p.X);
        F.Add(ref x3, x3, ThreeMont);
        return Equal(y2, x3);
    }

    public static void Write(in G1Affine p, Span<byte> dest)
    {
        WriteFq(p.X, dest[..32]);
        WriteFq(p.Y, dest.Slice(32, 32));
    }

    /// <summary>
    /// r = a + b for affine points that are not the identity; false if the sum is the identity (b = -a).
    /// One inversion: lambda = (y2 - y1)/(x2 - x1), or 3x^2/(2y) when a = b (y is never 0: no point has order 2).
    /// </summary>
    public static bool AddAffine(in G1Affine a, in G1Affine b, out G1Affine r)
    {
        r = default;
        Limbs6 num = default, den = default, lambda = default, t = default;
        if (Equal(a.X, b.X))
        {
            if (!Equal(a.Y, b.Y)) return false;
            F.Square(ref t, a.X);
            F.Add(ref num, t, t);
            F.Add(ref num, num, t);
            F.Add(ref den, a.Y, a.Y);
        }
        else
        {
            F.Sub(ref num, b.Y, a.Y);
            F.Sub(ref den, b.X, a.X);
        }
        Inverse(ref t, den);
        F.Mul(ref lambda, num, t);
        // x3 = lambda^2 - x1 - x2, y3 = lambda (x1 - x3) - y1
        F.Square(ref t, lambda);
        F.Sub(ref t, t, a.X);
        F.Sub(ref r.X, t, b.X);
        F.Sub(ref t, a.X, r.X);
        F.Mul(ref t, t, lambda);
        F.Sub(ref r.Y, t, a.Y);
        return true;
    }

    /// <summary>
    /// p = 2p for a = 0: with B = (2Y)^2, D = X B = 4XY^2, E = 3X^2: X3 = E^2 - 2D, Y3 = E (D - X3) - B^2/2,
    /// Z3 = 2YZ. 3M + 4S and 8 additions (dbl-2009-l is 2M + 5S with 13; here a product costs what a square does).
    /// The identity maps to itself (and no point has y = 0).
    /// </summary>
    public static void Double(ref G1Jacobian p)
    {
        if (IsZero(p.Z)) return;
        Limbs6 y2 = default, b = default, d = default, e = default, t = default;
        F.Add(ref y2, p.Y, p.Y);
        F.Square(ref b, y2);
        F.Mul(ref d, p.X, b);
        F.Square(ref t, p.X);
        F.Add(ref e, t, t);
        F.Add(ref e, e, t);
        F.Mul(ref p.Z, y2, p.Z);
        // X3 = E^2 - 2D
        F.Square(ref t, e);
        F.Sub(ref t, t, d);
        F.Sub(ref p.X, t, d);
        // Y3 = E (D - X3) - B^2/2
        F.Sub(ref t, d, p.X);
        F.Mul(ref t, e, t);
        F.Square(ref b, b);
        F.Half(ref b, b);
        F.Sub(ref p.Y, t, b);
    }

    /// <summary>
    /// p = p + q for affine q that is not the identity (madd-2004-hmv: 8M + 3S, fewer additions than madd-2007-bl),
    /// with the exceptional cases done exactly: p the identity, p = q (doubling) and p = -q (identity).
    /// </summary>
    public static void AddMixed(ref G1Jacobian p, in G1Affine q)
    {
        if (IsZero(p.Z))
        {
            p.X = q.X;
            p.Y = q.Y;
            p.Z = OneMont;
            return;
        }
        Limbs6 z1z1 = default, u2 = default, s2 = default, h = default, hh = default, hhh = default, r = default, v = default, t = default;
        F.Square(ref z1z1, p.Z);
        F.Mul(ref u2, q.X, z1z1);
        F.Mul(ref s2, q.Y, p.Z);
        F.Mul(ref s2, s2, z1z1);
        F.Sub(ref h, u2, p.X);
        F.Sub(ref r, s2, p.Y);
        if (IsZero(h))
        {
            if (IsZero(r)) Double(ref p);
            else p.Z = default;
            return;
        }
        F.Square(ref hh, h);
        F.Mul(ref hhh, h, hh);
        F.Mul(ref v, p.X, hh);
        // X3 = r^2 - HHH - 2V
        F.Square(ref t, r);
        F.Sub(ref t, t, hhh);
        F.Sub(ref t, t, v);
        F.Sub(ref p.X, t, v);
        // Y3 = r (V - X3) - Y1 HHH
        F.Sub(ref t, v, p.X);
        F.Mul(ref t, r, t);
        F.Mul(ref hhh, p.Y, hhh);
        F.Sub(ref p.Y, t, hhh);
        // Z3 = Z1 H
        F.Mul(ref p.Z, p.Z, h);
    }

    /// <summary>p = p + q, both Jacobian (add-2007-bl: 11M + 5S), exceptional cases exact.</summary>
    public static void Add(ref G1Jacobian p, in G1Jacobian q)
    {
        if (IsZero(q.Z)) return;
        if (IsZero(p.Z))
        {
            p = q;
            return;
        }
        Limbs6 z1z1 = default, z2z2 = default, u1 = default, u2 = default, s1 = default, s2 = default, h = default, i = default, j = default, r = default, v = default, t = default;
        F.Square(ref z1z1, p.Z);
        F.Square(ref z2z2, q.Z);
        F.Mul(ref u1, p.X, z2z2);
        F.Mul(ref u2, q.X, z1z1);
        F.Mul(ref s1, p.Y, q.Z);
        F.Mul(ref s1, s1, z2z2);
        F.Mul(ref s2, q.Y, p.Z);
        F.Mul(ref s2, s2, z1z1);
        F.Sub(ref h, u2, u1);
        F.Sub(ref r, s2, s1);
        if (IsZero(h))
        {
            if (IsZero(r)) Double(ref p);
            else p.Z = default;
            return;
        }
        F.Add(ref i, h, h);
        F.Square(ref i, i);
        F.Mul(ref j, h, i);
        F.Add(ref r, r, r);
        F.Mul(ref v, u1, i);
        // X3 = r^2 - J - 2V
        F.Square(ref t, r);
        F.Sub(ref t, t, j);
        F.Sub(ref t, t, v);
        F.Sub(ref p.X, t, v);
        // Y3 = r (V - X3) - 2 S1 J
        F.Sub(ref t, v, p.X);
        F.Mul(ref t, r, t);
        F.Mul(ref j, s1, j);
        F.Add(ref j, j, j);
        F.Sub(ref p.Y, t, j);
        // Z3 = ((Z1 + Z2)^2 - Z1Z1 - Z2Z2) H
        F.Add(ref t, p.Z, q.Z);
        F.Square(ref t, t);
        F.Sub(ref t, t, z1z1);
        F.Sub(ref t, t, z2z2);
        F.Mul(ref p.Z, t, h);
    }

    /// <summary>The affine point of p; false if p is the identity.</summary>
    public static bool ToAffine(in G1Jacobian p, out G1Affine r)
    {
        r = default;
        if (IsZero(p.Z)) return false;
        Limbs6 zi = default, zi2 = default;
        Inverse(ref zi, p.Z);
        F.Square(ref zi2, zi);
        F.Mul(ref r.X, p.X, zi2);
        F.Mul(ref zi2, zi2, zi);
        F.Mul(ref r.Y, p.Y, zi2);
        return true;
    }

    /// <summary>
    /// Affine forms of points none of which is the identity, with one inversion (Montgomery's trick): prefix
    /// products of the Z, one inverse, then the individual inverses walking back.
    /// </summary>
    public static void ToAffineBatch(ReadOnlySpan<G1Jacobian> points, Span<G1Affine> result, Span<Limbs6> scratch)
    {
        int n = points.Length;
        scratch[0] = points[0].Z;
        for (int k = 1; k < n; k++) F.Mul(ref scratch[k], scratch[k - 1], points[k].Z);
        Limbs6 inv = default, zi = default, zi2 = default;
        Inverse(ref inv, scratch[n - 1]);
        for (int k = n - 1; k >= 0; k--)
        {
            if (k > 0)
            {
                F.Mul(ref zi, inv, scratch[k - 1]);
                F.Mul(ref inv, inv, points[k].Z);
            }
            else zi = inv;
            F.Square(ref zi2, zi);
            F.Mul(ref result[k].X, points[k].X, zi2);
            F.Mul(ref zi2, zi2, zi);
            F.Mul(ref result[k].Y, points[k].Y, zi2);
        }
    }

    /// <summary>r = -a.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Negate(ref Limbs6 r, in Limbs6 a)
    {
        Limbs6 zero = default;
        F.Sub(ref r, zero, a);
    }
}
