namespace OpenLedger.Crypto.FieldMath;

/// <summary>Field operations shared by Fp and its extensions, so points, powers and pairings are written once.</summary>
internal interface IField<T> where T : struct, IField<T>
{
    static abstract T Zero { get; }
    static abstract T One { get; }
    static abstract T Add(in T a, in T b);
    static abstract T Sub(in T a, in T b);
    static abstract T Neg(in T a);
    static abstract T Double(in T a);
    static abstract T Mul(in T a, in T b);
    static abstract T Square(in T a);
    /// <summary>Multiplicative inverse; the inverse of zero is zero.</summary>
    static abstract T Inverse(in T a);
    static abstract bool Equal(in T a, in T b);
    bool IsZero { get; }
}

/// <summary>A prime field that can carry the quadratic/sextic tower: knows its modulus and the tower's non-residue.</summary>
internal interface IPrimeField<T> : IField<T> where T : struct, IPrimeField<T>
{
    static abstract System.Numerics.BigInteger Modulus { get; }
    /// <summary>The sextic non-residue is xi = XiReal + u.</summary>
    static abstract int XiReal { get; }
    static abstract T FromBig(System.Numerics.BigInteger v);
    /// <summary>(r0 + r1 u) = (a0 + a1 u)(b0 + b1 u) with u^2 = -1 (the quadratic extension's product, done in one go).</summary>
    static abstract void MulFp2(in T a0, in T a1, in T b0, in T b1, out T r0, out T r1);
    /// <summary>(r0 + r1 u) = (a0 + a1 u)^2 with u^2 = -1.</summary>
    static abstract void SquareFp2(in T a0, in T a1, out T r0, out T r1);
    /// <summary>(c00 + c01 u) + (c10 + c11 u) t = ((a0 + a1 u) + (b0 + b1 u) t)^2 in Fp4 = Fp2[t]/(t^2 - xi) where the
    /// field has a fused version; false (outputs unspecified) where it has none.</summary>
    static abstract bool TrySquareFp4(in T a0, in T a1, in T b0, in T b1, out T c00, out T c01, out T c10, out T c11);
    /// <summary>
    /// Optional whole-element kernels for the tower above Fp2 (false where the field has none; outputs untouched then).
    /// Each ref is the first coefficient of an element whose coefficients are contiguous in tower order, as the Fp2,
    /// Fp6 and Fp12 structs lay them out: 12 for an Fp12 element, 8 for the four Fp2 of a compressed cyclotomic one.
    /// </summary>
    static abstract bool TryFp12Mul(ref T r, in T a, in T b);
    static abstract bool TryFp12Square(ref T r, in T a);
    static abstract bool TryCyclotomicSquareCompressed(ref T g);
    System.Numerics.BigInteger ToBig();
}

internal static class FieldOps
{
    /// <summary>a^e by left-to-right square-and-multiply; e &gt;= 0.</summary>
    public static T Pow<T>(in T a, System.Numerics.BigInteger e) where T : struct, IField<T> =>
        Pow(a, e.ToByteArray(isUnsigned: true, isBigEndian: true));

    /// <summary>a^e for a big-endian exponent.</summary>
    public static T Pow<T>(in T a, ReadOnlySpan<byte> exponentBe) where T : struct, IField<T>
    {
        T r = T.One;
        bool started = false;
        foreach (byte b in exponentBe)
        {
            for (int bit = 7; bit >= 0; bit--)
            {
                if (started) r = T.Square(r);
                if (((b >> bit) & 1) == 0) continue;
                r = started ? T.Mul(r, a) : a;
                started = true;
            }
        }
        return r;
    }

    public static T MulSmall<T>(in T a, int k) where T : struct, IField<T>
    {
        T r = T.Zero, b = a;
        while (k > 0)
        {
            if ((k & 1) != 0) r = T.Add(r, b);
            b = T.Double(b);
            k >>= 1;
        }
        return r;
    }
}
