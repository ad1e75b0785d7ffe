using System.Runtime.InteropServices;
using System.Security.Cryptography;

namespace OpenLedger.Primitives.Crypto;

/// <summary>
/// libsecp256k1 (with its recovery module) through unmanaged function pointers resolved at load time, so a missing
/// library or symbol is detected once, up front, and the caller falls back to <see cref="ManagedSecp256k1"/>.
/// One context is created and randomized once; after that libsecp256k1 only reads it, so concurrent use is safe.
/// Arguments are validated before every call: libsecp256k1 aborts the process on illegal arguments.
/// </summary>
internal sealed unsafe class NativeSecp256k1 : Secp256k1Backend
{
    /// <summary>Set to "managed" to never load the native library (e.g. to test the fallback in production).</summary>
    public const string ModeVariable = "OPENLEDGER_SECP256K1";

    private static readonly string[] LibraryNames =
        ["libsecp256k1.so.1", "libsecp256k1.so.2", "libsecp256k1.so", "libsecp256k1.dylib", "libsecp256k1", "secp256k1"];

    // SECP256K1_CONTEXT_SIGN | SECP256K1_CONTEXT_VERIFY: required before 0.2, accepted (and ignored) since.
    private const uint ContextFlags = (1u << 0) | (1u << 8) | (1u << 9);
    private const uint EcUncompressed = 1u << 1;

    private readonly IntPtr _ctx;
    private readonly delegate* unmanaged[Cdecl]<IntPtr, byte*, int> _seckeyVerify;
    private readonly delegate* unmanaged[Cdecl]<IntPtr, byte*, byte*, int> _pubkeyCreate;
    private readonly delegate* unmanaged[Cdecl]<IntPtr, byte*, nuint*, byte*, uint, int> _pubkeySerialize;
    private readonly delegate* unmanaged[Cdecl]<IntPtr, byte*, byte*, nuint, int> _pubkeyParse;
    private readonly delegate* unmanaged[Cdecl]<IntPtr, byte*, byte*, byte*, IntPtr, IntPtr, int> _signRecoverable;
    private readonly delegate* unmanaged[Cdecl]<IntPtr, byte*, int*, byte*, int> _recSigSerialize;
    private readonly delegate* unmanaged[Cdecl]<IntPtr, byte*, byte*, int, int> _recSigParse;
    private readonly delegate* unmanaged[Cdecl]<IntPtr, byte*, byte*, byte*, int> _recover;
    private readonly delegate* unmanaged[Cdecl]<IntPtr, byte*, byte*, int> _sigParseCompact;
    private readonly delegate* unmanaged[Cdecl]<IntPtr, byte*, byte*, byte*, int> _verify;

    public override string Name => "libsecp256k1";

    private NativeSecp256k1(IntPtr lib)
    {
        var create = (delegate* unmanaged[Cdecl]<uint, IntPtr>)Export(lib, "secp256k1_context_create");
        _seckeyVerify = (delegate* unmanaged[Cdecl]<IntPtr, byte*, int>)Export(lib, "secp256k1_ec_seckey_verify");
        _pubkeyCreate = (delegate* unmanaged[Cdecl]<IntPtr, byte*, byte*, int>)Export(lib, "secp256k1_ec_pubkey_create");
        _pubkeySerialize = (delegate* unmanaged[Cdecl]<IntPtr, byte*, nuint*, byte*, uint, int>)Export(lib, "secp256k1_ec_pubkey_serialize");
        _pubkeyParse = (delegate* unmanaged[Cdecl]<IntPtr, byte*, byte*, nuint, int>)Export(lib, "secp256k1_ec_pubkey_parse");
        _signRecoverable = (delegate* unmanaged[Cdecl]<IntPtr, byte*, byte*, byte*, IntPtr, IntPtr, int>)Export(lib, "secp256k1_ecdsa_sign_recoverable");
        _recSigSerialize = (delegate* unmanaged[Cdecl]<IntPtr, byte*, int*, byte*, int>)Export(lib, "secp256k1_ecdsa_recoverable_signature_serialize_compact");
        _recSigParse = (delegate* unmanaged[Cdecl]<IntPtr, byte*, byte*, int, int>)Export(lib, "secp256k1_ecdsa_recoverable_signature_parse_compact");
        _recover = (delegate* unmanaged[Cdecl]<IntPtr, byte*, byte*, byte*, int>)Export(lib, "secp256k1_ecdsa_recover");
        _sigParseCompact = (delegate* unmanaged[Cdecl]<IntPtr, byte*, byte*, int>)Export(lib, "secp256k1_ecdsa_signature_parse_compact");
        _verify = (delegate* unmanaged[Cdecl]<IntPtr, byte*, byte*, byte*, int>)Export(lib, "secp256k1_ecdsa_verify");

        _ctx = create(ContextFlags);
        if (_ctx == IntPtr.Zero) throw new InvalidOperationException("secp256k1_context_create returned null");

        // Blinding against timing side channels; optional, so an old library without it is still used.
        if (NativeLibrary.TryGetExport(lib, "secp256k1_context_randomize", out var randomizePtr))
        {
            var randomize = (delegate* unmanaged[Cdecl]<IntPtr, byte*, int>)randomizePtr;
            byte* seed = stackalloc byte[32];
            RandomNumberGenerator.Fill(new Span<byte>(seed, 32));
            randomize(_ctx, seed);
        }
    }

    /// <summary>Loads the library and every symbol, or returns null (the reason is not needed: the fallback is complete).</summary>
    public static NativeSecp256k1? TryLoad()
    {
        if (string.Equals(Environment.GetEnvironmentVariable(ModeVariable), "managed", StringComparison.OrdinalIgnoreCase))
            return null;
        foreach (var name in LibraryNames)
        {
            if (!NativeLibrary.TryLoad(name, typeof(NativeSecp256k1).Assembly, DllImportSearchPath.SafeDirectories | DllImportSearchPath.AssemblyDirectory, out var lib))
                continue;
            try
            {
                return new NativeSecp256k1(lib);
            }
            catch (EntryPointNotFoundException)
            {
                // A build without the recovery module: useless for Ethereum, try the next name.
            }
            catch (InvalidOperationException)
            {
                // No context could be created: treat this copy as unusable.
            }
        }
        return null;
    }

    private static IntPtr Export(IntPtr lib, string name) =>
        NativeLibrary.TryGetExport(lib, name, out var p) ? p : throw new EntryPointNotFoundException(name);

    public override bool IsValidPrivateKey(ReadOnlySpan<byte> privateKey32)
    {
        CheckLength(privateKey32, 32, nameof(privateKey32));
        fixed (byte* k = privateKey32)
            return _seckeyVerify(_ctx, k) == 1;
    }

    public override bool TryCreatePublicKey(ReadOnlySpan<byte> privateKey32, Span<byte> pub64)
    {
        CheckLength(privateKey32, 32, nameof(privateKey32));
        CheckLength(pub64, 64, nameof(pub64));
        byte* pubkey = stackalloc byte[64];
        fixed (byte* k = privateKey32)
        {
            if (_pubkeyCreate(_ctx, pubkey, k) != 1) return false;
        }
        SerializeUncompressed(pubkey, pub64);
        return true;
    }

    public override bool TrySign(ReadOnlySpan<byte> hash32, ReadOnlySpan<byte> privateKey32, Span<byte> rs64, out int recoveryId)
    {
        CheckLength(hash32, 32, nameof(hash32));
        CheckLength(privateKey32, 32, nameof(privateKey32));
        CheckLength(rs64, 64, nameof(rs64));
        byte* sig = stackalloc byte[65];
        int recid = 0;
        fixed (byte* h = hash32)
        fixed (byte* k = privateKey32)
        {
            // Null nonce function = secp256k1_nonce_function_default (RFC 6979 with HMAC-SHA256); s comes out low.
            if (_signRecoverable(_ctx, sig, h, k, IntPtr.Zero, IntPtr.Zero) != 1)
            {
                recoveryId = 0;
                return false;
            }
        }
        fixed (byte* o = rs64)
            _recSigSerialize(_ctx, o, &recid, sig);
        recoveryId = recid;
        return true;
    }

    public override bool TryRecover(ReadOnlySpan<byte> hash32, ReadOnlySpan<byte> rs64, int recoveryId, Span<byte> pub64)
    {
        CheckLength(hash32, 32, nameof(hash32));
        CheckLength(rs64, 64, nameof(rs64));
        CheckLength(pub64, 64, nameof(pub64));
        if ((uint)recoveryId > 3) return false; // parse_compact would abort on this
        byte* sig = stackalloc byte[65];
        byte* pubkey = stackalloc byte[64];
        fixed (byte* rs = rs64)
        fixed (byte* h = hash32)
        {
            // parse rejects r or s >= n; recover rejects zero r or s and points off the curve.
            if (_recSigParse(_ctx, sig, rs, recoveryId) != 1) return false;
            if (_recover(_ctx, pubkey, sig, h) != 1) return false;
        }
        SerializeUncompressed(pubkey, pub64);
        return true;
    }

    public override bool Verify(ReadOnlySpan<byte> hash32, ReadOnlySpan<byte> rs64, ReadOnlySpan<byte> pub64)
    {
        CheckLength(hash32, 32, nameof(hash32));
        CheckLength(rs64, 64, nameof(rs64));
        CheckLength(pub64, 64, nameof(pub64));
        byte* sig = stackalloc byte[64];
        byte* pubkey = stackalloc byte[64];
        byte* encoded = stackalloc byte[65];
        encoded[0] = 0x04;
        pub64.CopyTo(new Span<byte>(encoded + 1, 64));
        fixed (byte* rs = rs64)
        fixed (byte* h = hash32)
        {
            if (_sigParseCompact(_ctx, sig, rs) != 1) return false;
            if (_pubkeyParse(_ctx, pubkey, encoded, 65) != 1) return false;
            return _verify(_ctx, sig, h, pubkey) == 1; // 0 for high s, as documented upstream
        }
    }

    private void SerializeUncompressed(byte* pubkey, Span<byte> pub64)
    {
        byte* output = stackalloc byte[65];
        nuint len = 65;
        _pubkeySerialize(_ctx, output, &len, pubkey, EcUncompressed);
        new ReadOnlySpan<byte>(output + 1, 64).CopyTo(pub64);
    }
}
