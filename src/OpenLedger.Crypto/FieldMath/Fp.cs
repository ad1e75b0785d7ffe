using System.Numerics;
using System.Runtime.CompilerServices;

namespace OpenLedger.Crypto.FieldMath;

[InlineArray(6)]
internal struct Limbs6
{
    private ulong _e0;
}

/// <summary>A double-width product of two field elements (up to 2*6 limbs), before Montgomery reduction.</summary>
[InlineArray(12)]
internal struct Limbs12
{
    private ulong _e0;
}

/// <summary>Constants of one prime field, derived once from the modulus.</summary>
internal sealed class FpConstants
{
    public readonly int N;
    public readonly ulong[] Modulus;
    public readonly ulong N0;
    public readonly ulong[] R2;
    public readonly ulong[] OneMont;
    public readonly BigInteger P;
    public readonly byte[] SqrtExp; // (p+1)/4 big-endian: a square root exponent for p = 3 mod 4
    public readonly ulong[] HalfP; // (p-1)/2: canonical values above it are the "larger" of a +- pair

    public FpConstants(BigInteger p, int limbs)
    {
        P = p;
        N = limbs;
        Modulus = ToLimbs(p, limbs);
        N0 = LimbArith.NegInverse64(Modulus[0]);
        BigInteger r = BigInteger.One << (64 * limbs);
        R2 = ToLimbs(r * r % p, limbs);
        OneMont = ToLimbs(r % p, limbs);
        SqrtExp = ((p + 1) / 4).ToByteArray(isUnsigned: true, isBigEndian: true);
        HalfP = ToLimbs((p - 1) / 2, limbs);
    }

    public static ulong[] ToLimbs(BigInteger v, int n)
    {
        var l = new ulong[n];
        for (int i = 0; i < n; i++)
        {
            l[i] = (ulong)(v & ulong.MaxValue);
            v >>= 64;
        }
        return l;
    }
}

/// <summary>Supplies a prime field's constants to <see cref="Fp{P}"/>.</summary>
internal interface IFpParams
{
    static abstract FpConstants C { get; }
    static abstract int XiReal { get; }
    /// <summary>r = a*b/R mod p.</summary>
    static abstract void MontMul(ref Limbs6 r, in Limbs6 a, in Limbs6 b);
    /// <summary>r = a^2/R mod p (dedicated squaring); a below p.</summary>
    static abstract void MontSquare(ref Limbs6 r, in Limbs6 a);
    static abstract void ModAdd(ref Limbs6 r, in Limbs6 a, in Limbs6 b);
    /// <summary>r = a^-1 mod p for a plain (not Montgomery) integer 0 &lt; a &lt; p.</summary>
    static abstract void InversePlain(ref Limbs6 r, in Limbs6 a);
    static abstract void ModSub(ref Limbs6 r, in Limbs6 a, in Limbs6 b);
    /// <summary>(r0 + r1 u) = (a0 + a1 u)(b0 + b1 u) in Fp[u]/(u^2 + 1), Montgomery form, with lazy reduction.</summary>
    static abstract void Fp2Mul(ref Limbs6 r0, ref Limbs6 r1, in Limbs6 a0, in Limbs6 a1, in Limbs6 b0, in Limbs6 b1);
    /// <summary>(r0 + r1 u) = (a0 + a1 u)^2 in Fp[u]/(u^2 + 1), Montgomery form.</summary>
    static abstract void Fp2Square(ref Limbs6 r0, ref Limbs6 r1, in Limbs6 a0, in Limbs6 a1);
    /// <summary>
    /// Optional fused square in Fp4 = Fp2[t]/(t^2 - xi): (c00 + c01 u) + (c10 + c11 u) t = ((a0 + a1 u) + (b0 + b1 u) t)^2.
    /// False (the default) where a field has none; the generic Fp2 formula is used then.
    /// </summary>
    static virtual bool Fp4Square(ref Limbs6 c00, ref Limbs6 c01, ref Limbs6 c10, ref Limbs6 c11, in Limbs6 a0, in Limbs6 a1, in Limbs6 b0, in Limbs6 b1) => false;
    /// <summary>Optional tower kernels (see <see cref="IPrimeField{T}.TryFp12Mul"/>): the refs are the first limbs of contiguous elements.</summary>
    static virtual bool Fp12Mul(ref Limbs6 r, in Limbs6 a, in Limbs6 b) => false;
    static virtual bool Fp12Square(ref Limbs6 r, in Limbs6 a) => false;
    static virtual bool CyclotomicSquareCompressed(ref Limbs6 g) => false;
}

/// <summary>An element of a prime field in Montgomery form, up to 6 limbs (BN254 uses 4, BLS12-381 6).</summary>
internal struct Fp<P> : IPrimeField<Fp<P>> where P : IFpParams
{
    internal Limbs6 L;

    public static Fp<P> Zero => default;

    public static Fp<P> One
    {
        get
        {
            Fp<P> r = default;
            P.C.OneMont.CopyTo((Span<ulong>)r.L);
            return r;
        }
    }

    public static BigInteger Modulus => P.C.P;
    public static int XiReal => P.XiReal;

    // Limbs at and above N are always zero (every constructor starts from default and writes only N limbs), so
    // zero tests and comparisons can look at all six without knowing N.
    public readonly bool IsZero
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => (L[0] | L[1] | L[2] | L[3] | L[4] | L[5]) == 0;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Fp<P> Add(in Fp<P> a, in Fp<P> b)
    {
        Fp<P> r = default;
        P.ModAdd(ref r.L, a.L, b.L);
        return r;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Fp<P> Sub(in Fp<P> a, in Fp<P> b)
    {
        Fp<P> r = default;
        P.ModSub(ref r.L, a.L, b.L);
        return r;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Fp<P> Neg(in Fp<P> a) => Sub(Zero, a);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Fp<P> Double(in Fp<P> a) => Add(a, a);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Fp<P> Mul(in Fp<P> a, in Fp<P> b)
    {
        Fp<P> r = default;
        P.MontMul(ref r.L, a.L, b.L);
        return r;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void MulFp2(in Fp<P> a0, in Fp<P> a1, in Fp<P> b0, in Fp<P> b1, out Fp<P> r0, out Fp<P> r1)
    {
        r0 = default;
        r1 = default;
        P.Fp2Mul(ref r0.L, ref r1.L, a0.L, a1.L, b0.L, b1.L);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void SquareFp2(in Fp<P> a0, in Fp<P> a1, out Fp<P> r0, out Fp<P> r1)
    {
        r0 = default;
        r1 = default;
        P.Fp2Square(ref r0.L, ref r1.L, a0.L, a1.L);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool TryFp12Mul(ref Fp<P> r, in Fp<P> a, in Fp<P> b) => P.Fp12Mul(ref r.L, a.L, b.L);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool TryFp12Square(ref Fp<P> r, in Fp<P> a) => P.Fp12Square(ref r.L, a.L);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool TryCyclotomicSquareCompressed(ref Fp<P> g) => P.CyclotomicSquareCompressed(ref g.L);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool TrySquareFp4(in Fp<P> a0, in Fp<P> a1, in Fp<P> b0, in Fp<P> b1, out Fp<P> c00, out Fp<P> c01, out Fp<P> c10, out Fp<P> c11)
    {
        c00 = default;
        c01 = default;
        c10 = default;
        c11 = default;
        return P.Fp4Square(ref c00.L, ref c01.L, ref c10.L, ref c11.L, a0.L, a1.L, b0.L, b1.L);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Fp<P> Square(in Fp<P> a)
    {
        Fp<P> r = default;
        P.MontSquare(ref r.L, a.L);
        return r;
    }

    /// <summary>
    /// Inverse by the field's InversePlain (binary extended Euclid or Bernstein-Yang divsteps) on the Montgomery
    /// representative aR, then two multiplications by R^2 turn (aR)^-1 into a^-1 R. Several times faster than a^(p-2).
    /// </summary>
    public static Fp<P> Inverse(in Fp<P> a)
    {
        if (a.IsZero) return Zero;
        Fp<P> r = default;
        P.InversePlain(ref r.L, a.L);
        Fp<P> r2 = default;
        P.C.R2.CopyTo((Span<ulong>)r2.L);
        return Mul(Mul(r, r2), r2);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool Equal(in Fp<P> a, in Fp<P> b) =>
        ((a.L[0] ^ b.L[0]) | (a.L[1] ^ b.L[1]) | (a.L[2] ^ b.L[2]) | (a.L[3] ^ b.L[3]) | (a.L[4] ^ b.L[4]) | (a.L[5] ^ b.L[5])) == 0;

    /// <summary>From a canonical integer (limbs &lt; p) to Montgomery form.</summary>
    private static Fp<P> FromCanonicalLimbs(ReadOnlySpan<ulong> limbs)
    {
        var c = P.C;
        Fp<P> r = default;
        Span<ulong> t = stackalloc ulong[8];
        LimbArith.MontMul(((Span<ulong>)r.L)[..c.N], limbs, c.R2, c.Modulus, c.N0, t);
        return r;
    }

    public static Fp<P> FromBig(BigInteger v)
    {
        v %= P.C.P;
        if (v.Sign < 0) v += P.C.P;
        return FromCanonicalLimbs(FpConstants.ToLimbs(v, P.C.N));
    }

    /// <summary>Parses a big-endian integer of exactly 8*N bytes; false if it is not below p.</summary>
    public static bool TryFromBytes(ReadOnlySpan<byte> be, out Fp<P> value)
    {
        var c = P.C;
        Span<ulong> limbs = stackalloc ulong[6];
        limbs = limbs[..c.N];
        for (int i = 0; i < c.N; i++)
            limbs[i] = System.Buffers.Binary.BinaryPrimitives.ReadUInt64BigEndian(be.Slice(be.Length - 8 * (i + 1), 8));
        if (LimbArith.Compare(limbs, c.Modulus) >= 0)
        {
            value = default;
            return false;
        }
        value = FromCanonicalLimbs(limbs);
        return true;
    }

    /// <summary>The canonical integer's limbs (out of Montgomery form).</summary>
    public readonly void ToCanonicalLimbs(Span<ulong> dest)
    {
        var c = P.C;
        Span<ulong> one = stackalloc ulong[6];
        one.Clear();
        one[0] = 1;
        Span<ulong> t = stackalloc ulong[8];
        LimbArith.MontMul(dest[..c.N], ((ReadOnlySpan<ulong>)L)[..c.N], one[..c.N], c.Modulus, c.N0, t);
    }

    /// <summary>Writes the canonical value big-endian into exactly 8*N bytes.</summary>
    public readonly void WriteBytes(Span<byte> be)
    {
        int n = P.C.N;
        Span<ulong> limbs = stackalloc ulong[6];
        ToCanonicalLimbs(limbs);
        for (int i = 0; i < n; i++)
            System.Buffers.Binary.BinaryPrimitives.WriteUInt64BigEndian(be.Slice(be.Length - 8 * (i + 1), 8), limbs[i]);
    }

    public readonly BigInteger ToBig()
    {
        Span<byte> b = stackalloc byte[48];
        b = b[..(8 * P.C.N)];
        WriteBytes(b);
        return new BigInteger(b, isUnsigned: true, isBigEndian: true);
    }

    /// <summary>True if the canonical value exceeds (p-1)/2 (the "larger" of a ± pair).</summary>
    public readonly bool IsLexLarger()
    {
        int n = P.C.N;
        Span<ulong> limbs = stackalloc ulong[6];
        ToCanonicalLimbs(limbs);
        return LimbArith.Compare(limbs[..n], P.C.HalfP) > 0;
    }

    /// <summary>
    /// Square root for p = 3 mod 4, a^((p+1)/4) with a fixed 4-bit window (about 96 products instead of about 190 for
    /// the bitwise ladder); false if a is not a square.
    /// </summary>
    public static bool TrySqrt(in Fp<P> a, out Fp<P> root)
    {
        Span<Fp<P>> table = stackalloc Fp<P>[16];
        table[0] = One;
        table[1] = a;
        for (int i = 2; i < 16; i++) table[i] = (i & 1) == 0 ? Square(table[i / 2]) : Mul(table[i - 1], a);
        Fp<P> r = One;
        bool started = false;
        foreach (byte b in P.C.SqrtExp)
        {
            for (int shift = 4; shift >= 0; shift -= 4)
            {
                if (started) r = Square(Square(Square(Square(r))));
                int d = (b >> shift) & 15;
                if (d == 0) continue;
                r = started ? Mul(r, table[d]) : table[d];
                started = true;
            }
        }
        root = r;
        return Equal(Square(root), a);
    }

    public override readonly string ToString() => ToBig().ToString("x");
}
