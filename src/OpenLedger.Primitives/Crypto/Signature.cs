using System.Buffers.Binary;

namespace OpenLedger.Primitives.Crypto;

/// <summary>An ECDSA signature over secp256k1: r, s and the public-key recovery id (0..3, in practice 0 or 1).</summary>
public readonly struct Signature : IEquatable<Signature>
{
    public UInt256 R { get; }
    public UInt256 S { get; }
    public byte RecoveryId { get; }

    public Signature(in UInt256 r, in UInt256 s, int recoveryId)
    {
        if ((uint)recoveryId > 3) throw new ArgumentOutOfRangeException(nameof(recoveryId), recoveryId, "recovery id must be 0..3");
        R = r;
        S = s;
        RecoveryId = (byte)recoveryId;
    }

    /// <summary>The pre-EIP-155 "v" (27 or 28) that eth_sign, personal_sign and ecrecover use.</summary>
    public byte V => (byte)(27 + RecoveryId);

    /// <summary>True when s &lt;= n/2 (the only form EIP-2 allows in transactions).</summary>
    public bool IsLowS => S <= Secp256k1.HalfN;

    public static Signature FromRS(ReadOnlySpan<byte> r32, ReadOnlySpan<byte> s32, int recoveryId) =>
        new(ReadUInt256(r32), ReadUInt256(s32), recoveryId);

    /// <summary>Parses the 65-byte r || s || v form; v may be 0/1 or 27/28.</summary>
    public static Signature FromBytes(ReadOnlySpan<byte> sig65)
    {
        if (sig65.Length != 65) throw new ArgumentException($"signature must be 65 bytes, got {sig65.Length}", nameof(sig65));
        int v = sig65[64];
        int recid = v is 27 or 28 ? v - 27 : v is 0 or 1 ? v : throw new ArgumentException($"signature v must be 0, 1, 27 or 28, got {v}", nameof(sig65));
        return FromRS(sig65[..32], sig65[32..64], recid);
    }

    /// <summary>Writes r || s (64 bytes, big-endian).</summary>
    public void WriteRS(Span<byte> rs64)
    {
        if (rs64.Length < 64) throw new ArgumentException("need 64 bytes", nameof(rs64));
        WriteUInt256(R, rs64[..32]);
        WriteUInt256(S, rs64[32..64]);
    }

    /// <summary>The 65-byte r || s || v form with v = 27/28, as eth_sign returns it.</summary>
    public byte[] ToBytes()
    {
        var bytes = new byte[65];
        WriteRS(bytes);
        bytes[64] = V;
        return bytes;
    }

    public bool Equals(Signature other) => R == other.R && S == other.S && RecoveryId == other.RecoveryId;
    public override bool Equals(object? obj) => obj is Signature s && Equals(s);
    public override int GetHashCode() => HashCode.Combine(R, S, RecoveryId);
    public static bool operator ==(Signature a, Signature b) => a.Equals(b);
    public static bool operator !=(Signature a, Signature b) => !a.Equals(b);
    public override string ToString() => Hex.Encode(ToBytes());

    // Local big-endian conversions so this file depends only on UInt256's limbs.
    internal static UInt256 ReadUInt256(ReadOnlySpan<byte> be32)
    {
        if (be32.Length != 32) throw new ArgumentException($"expected 32 bytes, got {be32.Length}");
        return new UInt256(
            BinaryPrimitives.ReadUInt64BigEndian(be32[24..]),
            BinaryPrimitives.ReadUInt64BigEndian(be32[16..]),
            BinaryPrimitives.ReadUInt64BigEndian(be32[8..]),
            BinaryPrimitives.ReadUInt64BigEndian(be32));
    }

    internal static void WriteUInt256(in UInt256 value, Span<byte> be32)
    {
        BinaryPrimitives.WriteUInt64BigEndian(be32, value.u3);
        BinaryPrimitives.WriteUInt64BigEndian(be32[8..], value.u2);
        BinaryPrimitives.WriteUInt64BigEndian(be32[16..], value.u1);
        BinaryPrimitives.WriteUInt64BigEndian(be32[24..], value.u0);
    }
}
