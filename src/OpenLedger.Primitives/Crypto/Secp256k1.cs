namespace OpenLedger.Primitives.Crypto;

/// <summary>
/// secp256k1 as Ethereum uses it: libsecp256k1 when the shared library loads, BouncyCastle otherwise
/// (both give identical results; see <see cref="Secp256k1Backend"/>). All members are thread-safe.
/// </summary>
public static class Secp256k1
{
    /// <summary>The group order n.</summary>
    public static readonly UInt256 N = new(0xBFD25E8CD0364141, 0xBAAEDCE6AF48A03B, 0xFFFFFFFFFFFFFFFE, 0xFFFFFFFFFFFFFFFF);

    /// <summary>n / 2 (rounded down): the largest s EIP-2 accepts in a transaction.</summary>
    public static readonly UInt256 HalfN = new(0xDFE92F46681B20A0, 0x5D576E7357A4501D, 0xFFFFFFFFFFFFFFFF, 0x7FFFFFFFFFFFFFFF);

    /// <summary>The backend in use.</summary>
    public static Secp256k1Backend Backend { get; } = Secp256k1Backend.Native ?? Secp256k1Backend.Managed;

    /// <summary>Whether libsecp256k1 was loaded (set OPENLEDGER_SECP256K1=managed to force the managed path).</summary>
    public static bool IsNativeAvailable => Secp256k1Backend.Native is not null;

    public static bool IsValidPrivateKey(ReadOnlySpan<byte> privateKey32) =>
        privateKey32.Length == 32 && Backend.IsValidPrivateKey(privateKey32);

    /// <summary>RFC 6979 deterministic, low-s signature of a 32-byte hash.</summary>
    public static Signature Sign(ReadOnlySpan<byte> hash32, ReadOnlySpan<byte> privateKey32)
    {
        Span<byte> rs = stackalloc byte[64];
        if (!Backend.TrySign(hash32, privateKey32, rs, out var recid))
            throw new ArgumentException("not a valid secp256k1 private key", nameof(privateKey32));
        return Signature.FromRS(rs[..32], rs[32..], recid);
    }

    /// <summary>Verifies against a 64-byte public key; like libsecp256k1 it rejects high-s signatures.</summary>
    public static bool Verify(ReadOnlySpan<byte> hash32, in Signature signature, ReadOnlySpan<byte> pub64)
    {
        Span<byte> rs = stackalloc byte[64];
        signature.WriteRS(rs);
        return Backend.Verify(hash32, rs, pub64);
    }

    /// <summary>ecrecover: r and s in [1, n-1] (high s accepted here), recovery id 0..3; false when no key results.</summary>
    public static bool TryRecoverPublicKey(ReadOnlySpan<byte> hash32, ReadOnlySpan<byte> r32, ReadOnlySpan<byte> s32, int recoveryId, Span<byte> pub64)
    {
        if (r32.Length != 32) throw new ArgumentException($"r must be 32 bytes, got {r32.Length}", nameof(r32));
        if (s32.Length != 32) throw new ArgumentException($"s must be 32 bytes, got {s32.Length}", nameof(s32));
        Span<byte> rs = stackalloc byte[64];
        r32.CopyTo(rs);
        s32.CopyTo(rs[32..]);
        return Backend.TryRecover(hash32, rs, recoveryId, pub64);
    }

    public static bool TryRecoverAddress(ReadOnlySpan<byte> hash32, ReadOnlySpan<byte> r32, ReadOnlySpan<byte> s32, int recoveryId, out Address address)
    {
        Span<byte> pub = stackalloc byte[64];
        if (!TryRecoverPublicKey(hash32, r32, s32, recoveryId, pub))
        {
            address = default;
            return false;
        }
        address = PublicKeyToAddress(pub);
        return true;
    }

    public static bool TryRecoverAddress(ReadOnlySpan<byte> hash32, in UInt256 r, in UInt256 s, int recoveryId, out Address address)
    {
        Span<byte> rs = stackalloc byte[64];
        Signature.WriteUInt256(r, rs[..32]);
        Signature.WriteUInt256(s, rs[32..]);
        return TryRecoverAddress(hash32, rs[..32], rs[32..], recoveryId, out address);
    }

    public static bool TryRecoverAddress(ReadOnlySpan<byte> hash32, in Signature signature, out Address address) =>
        TryRecoverAddress(hash32, signature.R, signature.S, signature.RecoveryId, out address);

    /// <summary>The last 20 bytes of keccak256(x || y).</summary>
    public static Address PublicKeyToAddress(ReadOnlySpan<byte> pub64)
    {
        if (pub64.Length != 64) throw new ArgumentException($"public key must be 64 bytes (x || y), got {pub64.Length}", nameof(pub64));
        Span<byte> hash = stackalloc byte[32];
        Keccak256.Hash(pub64, hash);
        return new Address(hash[12..]);
    }

    /// <summary>The 64-byte uncompressed public key (x || y, without the 0x04 prefix).</summary>
    public static byte[] PublicKeyFromPrivateKey(ReadOnlySpan<byte> privateKey32)
    {
        var pub = new byte[64];
        if (!Backend.TryCreatePublicKey(privateKey32, pub))
            throw new ArgumentException("not a valid secp256k1 private key", nameof(privateKey32));
        return pub;
    }

    public static Address AddressFromPrivateKey(ReadOnlySpan<byte> privateKey32) =>
        PublicKeyToAddress(PublicKeyFromPrivateKey(privateKey32));
}
