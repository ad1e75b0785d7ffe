using System.Buffers.Binary;
using OpenLedger.Primitives;

namespace OpenLedger.Evm.Execution;

/// <summary>
/// The interpreter's word conventions on top of <see cref="UInt256"/>: byte strings longer than a word keep
/// their last 32 bytes, addresses and hashes as words, and shift operands that saturate at 256.
/// The arithmetic itself is UInt256's (property-tested against BigInteger).
/// </summary>
internal static class Word
{
    public static UInt256 FromBigEndian(ReadOnlySpan<byte> bytes) =>
        UInt256.FromBigEndian(bytes.Length > 32 ? bytes[^32..] : bytes);

    public static void WriteBigEndian(in UInt256 v, Span<byte> dest32) => v.WriteBigEndian(dest32);

    // Address <-> word by limbs (CALLER, CALL's target): the generic short-span path pads through a 32-byte copy.
    public static UInt256 FromAddress(Address a)
    {
        var b = a.Bytes;
        return new UInt256(BinaryPrimitives.ReadUInt64BigEndian(b[12..]), BinaryPrimitives.ReadUInt64BigEndian(b[4..]),
            BinaryPrimitives.ReadUInt32BigEndian(b), 0);
    }

    public static Address ToAddress(in UInt256 v)
    {
        Span<byte> b = stackalloc byte[Address.Length];
        BinaryPrimitives.WriteUInt32BigEndian(b, (uint)v.u2);
        BinaryPrimitives.WriteUInt64BigEndian(b[4..], v.u1);
        BinaryPrimitives.WriteUInt64BigEndian(b[12..], v.u0);
        return new Address(b);
    }

    public static UInt256 FromHash(Hash256 h) => UInt256.FromBigEndian(h.Bytes);

    public static Hash256 ToHash(in UInt256 v)
    {
        Span<byte> b = stackalloc byte[32];
        v.WriteBigEndian(b);
        return new Hash256(b);
    }

    public static UInt256 And(in UInt256 a, in UInt256 b) => a & b;
    public static UInt256 Or(in UInt256 a, in UInt256 b) => a | b;
    public static UInt256 Xor(in UInt256 a, in UInt256 b) => a ^ b;
    public static UInt256 Not(in UInt256 a) => ~a;
    public static UInt256 ShiftLeft(in UInt256 v, int shift) => v << shift;
    public static UInt256 ShiftRight(in UInt256 v, int shift) => v >> shift;
    public static UInt256 ShiftRightArithmetic(in UInt256 v, int shift) => UInt256.ShiftRightArithmetic(v, shift);

    /// <summary>BYTE: the i-th byte counting from the most significant.</summary>
    public static UInt256 Byte(in UInt256 index, in UInt256 v) => UInt256.Byte(index, v);

    public static UInt256 SignExtend(in UInt256 b, in UInt256 v) => UInt256.SignExtend(b, v);

    /// <summary>The value as an int shift amount, saturating at 256.</summary>
    public static int ShiftAmount(in UInt256 v) => v.IsUlong && v.u0 < 256 ? (int)v.u0 : 256;
}
