using System.Runtime.InteropServices;

namespace OpenLedger.Crypto.Secp256r1;

/// <summary>
/// P-256 ECDSA verification straight through OpenSSL's libcrypto (Debian's libssl3, which .NET itself needs on Linux):
/// the public key goes in as a bare point, without the key check that importing it through
/// System.Security.Cryptography runs (a full scalar multiplication, ~60% of the time per call). The caller has
/// checked the point is on the curve and r, s are in range. Unavailable (a missing library) means the caller falls
/// back to System.Security.Cryptography.
/// </summary>
internal static unsafe partial class OpenSslP256
{
    private const string Lib = "libcrypto.so.3";
    private const int NidPrime256v1 = 415;

    public static readonly bool Available = Probe();

    /// <summary>1 when the signature verifies, 0 when it does not, -1 when OpenSSL reports an error.</summary>
    public static int Verify(ReadOnlySpan<byte> hash, ReadOnlySpan<byte> r, ReadOnlySpan<byte> s, ReadOnlySpan<byte> qx, ReadOnlySpan<byte> qy)
    {
        nint key = EC_KEY_new_by_curve_name(NidPrime256v1), point = 0, x = 0, y = 0, sig = 0, rb = 0, sb = 0;
        try
        {
            if (key == 0) return -1;
            nint group = EC_KEY_get0_group(key);
            point = EC_POINT_new(group);
            fixed (byte* px = qx, py = qy, pr = r, ps = s, ph = hash)
            {
                x = BN_bin2bn(px, qx.Length, 0);
                y = BN_bin2bn(py, qy.Length, 0);
                rb = BN_bin2bn(pr, r.Length, 0);
                sb = BN_bin2bn(ps, s.Length, 0);
                if (point == 0 || x == 0 || y == 0 || rb == 0 || sb == 0) return -1;
                if (EC_POINT_set_affine_coordinates(group, point, x, y, 0) != 1 || EC_KEY_set_public_key(key, point) != 1) return -1;
                sig = ECDSA_SIG_new();
                if (sig == 0 || ECDSA_SIG_set0(sig, rb, sb) != 1) return -1;
                rb = sb = 0; // owned by sig now
                return ECDSA_do_verify(ph, hash.Length, sig, key);
            }
        }
        finally
        {
            if (sig != 0) ECDSA_SIG_free(sig);
            if (rb != 0) BN_free(rb);
            if (sb != 0) BN_free(sb);
            if (x != 0) BN_free(x);
            if (y != 0) BN_free(y);
            if (point != 0) EC_POINT_free(point);
            if (key != 0) EC_KEY_free(key);
            ERR_clear_error(); // leave no failure behind on this thread's error queue
        }
    }

    private static bool Probe()
    {
        if (Environment.GetEnvironmentVariable("OPENLEDGER_P256") == "dotnet") return false;
        try
        {
            nint key = EC_KEY_new_by_curve_name(NidPrime256v1);
            if (key == 0) return false;
            EC_KEY_free(key);
            return true;
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return false;
        }
    }

    [LibraryImport(Lib)] private static partial nint EC_KEY_new_by_curve_name(int nid);
    [LibraryImport(Lib)] private static partial void EC_KEY_free(nint key);
    [LibraryImport(Lib)] private static partial nint EC_KEY_get0_group(nint key);
    [LibraryImport(Lib)] private static partial int EC_KEY_set_public_key(nint key, nint point);
    [LibraryImport(Lib)] private static partial nint EC_POINT_new(nint group);
    [LibraryImport(Lib)] private static partial void EC_POINT_free(nint point);
    [LibraryImport(Lib)] private static partial int EC_POINT_set_affine_coordinates(nint group, nint point, nint x, nint y, nint ctx);
    [LibraryImport(Lib)] private static partial nint BN_bin2bn(byte* s, int len, nint ret);
    [LibraryImport(Lib)] private static partial void BN_free(nint bn);
    [LibraryImport(Lib)] private static partial nint ECDSA_SIG_new();
    [LibraryImport(Lib)] private static partial void ECDSA_SIG_free(nint sig);
    [LibraryImport(Lib)] private static partial int ECDSA_SIG_set0(nint sig, nint r, nint s);
    [LibraryImport(Lib)] private static partial int ECDSA_do_verify(byte* dgst, int len, nint sig, nint key);
    [LibraryImport(Lib)] private static partial void ERR_clear_error();
}
