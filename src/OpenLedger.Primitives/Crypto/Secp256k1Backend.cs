namespace OpenLedger.Primitives.Crypto;

/// <summary>
/// One implementation of the secp256k1 operations Ethereum needs, on raw big-endian byte spans.
/// <see cref="Native"/> wraps libsecp256k1 (null when it cannot be loaded); <see cref="Managed"/> is BouncyCastle.
/// Both are stateless after construction and safe to call from many threads.
/// </summary>
public abstract class Secp256k1Backend
{
    /// <summary>Human-readable name for logs and benchmarks.</summary>
    public abstract string Name { get; }

    /// <summary>Whether <paramref name="privateKey32"/> is a valid secret key (1 &lt;= d &lt; n).</summary>
    public abstract bool IsValidPrivateKey(ReadOnlySpan<byte> privateKey32);

    /// <summary>Writes the 64-byte uncompressed public key (x || y, no 0x04 prefix). False for an invalid key.</summary>
    public abstract bool TryCreatePublicKey(ReadOnlySpan<byte> privateKey32, Span<byte> pub64);

    /// <summary>
    /// Deterministic (RFC 6979, HMAC-SHA256) low-s ECDSA signature of a 32-byte hash: r || s into
    /// <paramref name="rs64"/> and the recovery id (0..3; 2/3 only when R.x &gt;= n, which practically never happens).
    /// </summary>
    public abstract bool TrySign(ReadOnlySpan<byte> hash32, ReadOnlySpan<byte> privateKey32, Span<byte> rs64, out int recoveryId);

    /// <summary>Public key recovery (ecrecover): r, s in [1, n-1], any s, recovery id 0..3.</summary>
    public abstract bool TryRecover(ReadOnlySpan<byte> hash32, ReadOnlySpan<byte> rs64, int recoveryId, Span<byte> pub64);

    /// <summary>Strict verification as libsecp256k1 does it: r, s in [1, n-1] and s &lt;= n/2.</summary>
    public abstract bool Verify(ReadOnlySpan<byte> hash32, ReadOnlySpan<byte> rs64, ReadOnlySpan<byte> pub64);

    private static readonly Lazy<Secp256k1Backend?> LazyNative = new(NativeSecp256k1.TryLoad, LazyThreadSafetyMode.ExecutionAndPublication);
    private static readonly Lazy<Secp256k1Backend> LazyManaged = new(() => new ManagedSecp256k1(), LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>libsecp256k1, or null when the shared library is missing or lacks the recovery module.</summary>
    public static Secp256k1Backend? Native => LazyNative.Value;

    /// <summary>The BouncyCastle implementation, always available.</summary>
    public static Secp256k1Backend Managed => LazyManaged.Value;

    internal static void CheckLength(ReadOnlySpan<byte> span, int length, string name)
    {
        if (span.Length != length) throw new ArgumentException($"{name} must be {length} bytes, got {span.Length}", name);
    }

    internal static void CheckLength(Span<byte> span, int length, string name)
    {
        if (span.Length < length) throw new ArgumentException($"{name} must have room for {length} bytes, got {span.Length}", name);
    }
}
