using OpenLedger.Crypto.FieldMath;
using Fq = OpenLedger.Crypto.FieldMath.Fp<OpenLedger.Crypto.Bls12381.Bls12381FqParams>;
using Fq2 = OpenLedger.Crypto.FieldMath.Fp2<OpenLedger.Crypto.FieldMath.Fp<OpenLedger.Crypto.Bls12381.Bls12381FqParams>>;

namespace OpenLedger.Crypto.Bls12381;

/// <summary>
/// The uncompressed encoding of EIP-2537: an Fp element is 64 bytes big-endian (the top 16 zero, the value below p),
/// an Fp2 element c0 || c1, a point x || y, and the point at infinity all zeros. Decoding checks the encoding and that
/// the point is on the curve; subgroup membership is the caller's separate check (the additions do not require it).
/// </summary>
internal static class Eip2537Encoding
{
    public const int FpLength = 64, Fp2Length = 128, G1Length = 128, G2Length = 256, ScalarLength = 32;
    private const int Padding = 16;

    public static bool TryReadFp(ReadOnlySpan<byte> b, out Fq value)
    {
        value = default;
        if (b.Length != FpLength || b[..Padding].ContainsAnyExcept((byte)0)) return false;
        return Fq.TryFromBytes(b[Padding..], out value);
    }

    public static bool TryReadFp2(ReadOnlySpan<byte> b, out Fq2 value)
    {
        value = default;
        if (b.Length != Fp2Length || !TryReadFp(b[..FpLength], out Fq c0) || !TryReadFp(b[FpLength..], out Fq c1)) return false;
        value = new Fq2(c0, c1);
        return true;
    }

    /// <summary>A G1 point on the curve (or infinity); false for a bad field element or a point off the curve.</summary>
    public static bool TryReadG1(ReadOnlySpan<byte> b, out AffinePoint<Fq> point)
    {
        point = AffinePoint<Fq>.Identity;
        if (b.Length != G1Length) return false;
        if (!TryReadFp(b[..FpLength], out Fq x) || !TryReadFp(b[FpLength..], out Fq y)) return false;
        if (x.IsZero && y.IsZero) return true; // (0, 0) is not on the curve: it encodes infinity
        point = new AffinePoint<Fq>(x, y);
        return point.IsOnCurve(Bls12381Curve.B);
    }

    /// <summary>A G2 point on the twist (or infinity); false for a bad field element or a point off the curve.</summary>
    public static bool TryReadG2(ReadOnlySpan<byte> b, out AffinePoint<Fq2> point)
    {
        point = AffinePoint<Fq2>.Identity;
        if (b.Length != G2Length) return false;
        if (!TryReadFp2(b[..Fp2Length], out Fq2 x) || !TryReadFp2(b[Fp2Length..], out Fq2 y)) return false;
        if (x.IsZero && y.IsZero) return true;
        point = new AffinePoint<Fq2>(x, y);
        return point.IsOnCurve(Bls12381Curve.TwistB);
    }

    public static void WriteFp(in Fq v, Span<byte> dest)
    {
        dest[..Padding].Clear();
        v.WriteBytes(dest.Slice(Padding, 48));
    }

    public static byte[] EncodeG1(in JacobianPoint<Fq> p)
    {
        var o = new byte[G1Length];
        if (p.IsIdentity) return o;
        AffinePoint<Fq> a = p.ToAffine();
        WriteFp(a.X, o.AsSpan(0, FpLength));
        WriteFp(a.Y, o.AsSpan(FpLength, FpLength));
        return o;
    }

    public static byte[] EncodeG2(in JacobianPoint<Fq2> p)
    {
        var o = new byte[G2Length];
        if (p.IsIdentity) return o;
        AffinePoint<Fq2> a = p.ToAffine();
        WriteFp(a.X.A, o.AsSpan(0, FpLength));
        WriteFp(a.X.B, o.AsSpan(FpLength, FpLength));
        WriteFp(a.Y.A, o.AsSpan(2 * FpLength, FpLength));
        WriteFp(a.Y.B, o.AsSpan(3 * FpLength, FpLength));
        return o;
    }
}
