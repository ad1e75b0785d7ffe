using System.Numerics;
using System.Security.Cryptography;

namespace OpenLedger.Crypto.Secp256r1;

/// <summary>
/// ECDSA verification over secp256r1 (NIST P-256) with EIP-7951's input rules. The rules are checked here, in full,
/// before OpenSSL runs the verification itself (<see cref="OpenSslP256"/>; System.Security.Cryptography where
/// libcrypto cannot be loaded directly): 0 &lt; r, s &lt; n; qx, qy &lt; p; Q on the curve and not (0, 0). The hash is used as a 256-bit integer.
/// </summary>
internal static class P256Verifier
{
    private static readonly BigInteger P = Hex("ffffffff00000001000000000000000000000000ffffffffffffffffffffffff");
    private static readonly BigInteger A = Hex("ffffffff00000001000000000000000000000000fffffffffffffffffffffffc");
    private static readonly BigInteger B = Hex("5ac635d8aa3a93e7b3ebbd55769886bc651d06b0cc53b0f63bce3c3e27d2604b");
    private static readonly BigInteger N = Hex("ffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551");

    /// <summary>EIP-7951's input rules: lengths, 0 &lt; r, s &lt; n, qx, qy &lt; p, Q on the curve and not (0, 0).</summary>
    internal static bool InputsValid(ReadOnlySpan<byte> hash, ReadOnlySpan<byte> r, ReadOnlySpan<byte> s, ReadOnlySpan<byte> qx, ReadOnlySpan<byte> qy)
    {
        if (hash.Length != 32 || r.Length != 32 || s.Length != 32 || qx.Length != 32 || qy.Length != 32) return false;
        BigInteger rv = U(r), sv = U(s), x = U(qx), y = U(qy);
        if (rv.IsZero || rv >= N || sv.IsZero || sv >= N) return false;
        if (x >= P || y >= P || (x.IsZero && y.IsZero)) return false;
        return (y * y - (x * x * x + A * x + B)) % P == 0;
    }

    /// <summary>hash(32) r(32) s(32) qx(32) qy(32); true when the signature verifies and every input rule holds.</summary>
    public static bool Verify(ReadOnlySpan<byte> hash, ReadOnlySpan<byte> r, ReadOnlySpan<byte> s, ReadOnlySpan<byte> qx, ReadOnlySpan<byte> qy)
    {
        if (!InputsValid(hash, r, s, qx, qy)) return false;

        return OpenSslP256.Available ? OpenSslP256.Verify(hash, r, s, qx, qy) == 1 : VerifyThroughDotNet(hash, r, s, qx, qy);
    }

    /// <summary>The fallback: System.Security.Cryptography (which checks the key again on import); inputs already checked.</summary>
    internal static bool VerifyThroughDotNet(ReadOnlySpan<byte> hash, ReadOnlySpan<byte> r, ReadOnlySpan<byte> s, ReadOnlySpan<byte> qx, ReadOnlySpan<byte> qy)
    {
        Span<byte> signature = stackalloc byte[64];
        r.CopyTo(signature);
        s.CopyTo(signature[32..]);
        try
        {
            using var key = ECDsa.Create(new ECParameters
            {
                Curve = ECCurve.NamedCurves.nistP256,
                Q = new ECPoint { X = qx.ToArray(), Y = qy.ToArray() },
            });
            return key.VerifyHash(hash, signature, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
        }
        catch (CryptographicException)
        {
            return false; // the platform refused the key: it was checked above, so this is a platform limit, not a valid signature
        }
    }

    private static BigInteger U(ReadOnlySpan<byte> be) => new(be, isUnsigned: true, isBigEndian: true);

    private static BigInteger Hex(string h) => BigInteger.Parse("0" + h, System.Globalization.NumberStyles.HexNumber);
}
