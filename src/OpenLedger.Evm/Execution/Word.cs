using System.Buffers.Binary;
using OpenLedger.Primitives;

namespace OpenLedger.Evm.Execution;

/// <summary>256-bit word helpers the interpreter needs beyond UInt256's arithmetic: big-endian bytes, bitwise ops and shifts on limbs.</summary>
internal static class Word
{
    public static UInt256 FromBigEndian(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length > 32) bytes = bytes[^32..];
        if (bytes.Length == 32)
            return new UInt256(
                BinaryPrimitives.ReadUInt64BigEndian(bytes[24..]),
                BinaryPrimitives.ReadUInt64BigEndian(bytes[16..]),
                BinaryPrimitives.ReadUInt64BigEndian(bytes[8..]),
                BinaryPrimitives.ReadUInt64BigEndian(bytes));
        Span<byte> b = stackalloc byte[32];
        b.Clear();
        bytes.CopyTo(b[(32 - bytes.Length)..]);
        return new UInt256(
            BinaryPrimitives.ReadUInt64BigEndian(b[24..]),
            BinaryPrimitives.ReadUInt64BigEndian(b[16..]),
            BinaryPrimitives.ReadUInt64BigEndian(b[8..]),
            BinaryPrimitives.ReadUInt64BigEndian(b));
    }

    public static void WriteBigEndian(in UInt256 v, Span<byte> dest32)
    {
        BinaryPrimitives.WriteUInt64BigEndian(dest32, v.u3);
        BinaryPrimitives.WriteUInt64BigEndian(dest32[8..], v.u2);
        BinaryPrimitives.WriteUInt64BigEndian(dest32[16..], v.u1);
        BinaryPrimitives.WriteUInt64BigEndian(dest32[24..], v.u0);
    }

    public static byte[] ToBigEndian(in UInt256 v)
    {
        var b = new byte[32];
        WriteBigEndian(v, b);
        return b;
    }

    public static UInt256 FromAddress(Address a) => FromBigEndian(a.Bytes);

    public static Address ToAddress(in UInt256 v)
    {
        Span<byte> b = stackalloc byte[32];
        WriteBigEndian(v, b);
        return new Address(b[12..]);
    }

    public static UInt256 FromHash(Hash256 h) => FromBigEndian(h.Bytes);

    public static Hash256 ToHash(in UInt256 v)
    {
        Span<byte> b = stackalloc byte[32];
        WriteBigEndian(v, b);
        return new Hash256(b);
    }

    public static UInt256 And(in UInt256 a, in UInt256 b) => new(a.u0 & b.u0, a.u1 & b.u1, a.u2 & b.u2, a.u3 & b.u3);
    public static UInt256 Or(in UInt256 a, in UInt256 b) => new(a.u0 | b.u0, a.u1 | b.u1, a.u2 | b.u2, a.u3 | b.u3);
    public static UInt256 Xor(in UInt256 a, in UInt256 b) => new(a.u0 ^ b.u0, a.u1 ^ b.u1, a.u2 ^ b.u2, a.u3 ^ b.u3);
    public static UInt256 Not(in UInt256 a) => new(~a.u0, ~a.u1, ~a.u2, ~a.u3);

    private static ulong Limb(in UInt256 v, int i) => i switch { 0 => v.u0, 1 => v.u1, 2 => v.u2, 3 => v.u3, _ => 0 };

    public static UInt256 ShiftLeft(in UInt256 v, int shift)
    {
        if (shift >= 256) return UInt256.Zero;
        ulong a0 = v.u0, a1 = v.u1, a2 = v.u2, a3 = v.u3;
        for (; shift >= 64; shift -= 64) { a3 = a2; a2 = a1; a1 = a0; a0 = 0; }
        if (shift == 0) return new UInt256(a0, a1, a2, a3);
        int r = 64 - shift;
        return new UInt256(a0 << shift, (a1 << shift) | (a0 >> r), (a2 << shift) | (a1 >> r), (a3 << shift) | (a2 >> r));
    }

    /// <summary>Logical right shift; <paramref name="fill"/> supplies the bits shifted in (all ones for SAR of a negative value).</summary>
    public static UInt256 ShiftRight(in UInt256 v, int shift, ulong fill = 0)
    {
        if (shift >= 256) return new UInt256(fill, fill, fill, fill);
        ulong a0 = v.u0, a1 = v.u1, a2 = v.u2, a3 = v.u3;
        for (; shift >= 64; shift -= 64) { a0 = a1; a1 = a2; a2 = a3; a3 = fill; }
        if (shift == 0) return new UInt256(a0, a1, a2, a3);
        int r = 64 - shift;
        return new UInt256((a0 >> shift) | (a1 << r), (a1 >> shift) | (a2 << r), (a2 >> shift) | (a3 << r), (a3 >> shift) | (fill << r));
    }

    public static UInt256 ShiftRightArithmetic(in UInt256 v, int shift) =>
        ShiftRight(v, shift, v.IsNegative ? ulong.MaxValue : 0);

    /// <summary>BYTE: the i-th byte counting from the most significant.</summary>
    public static UInt256 Byte(in UInt256 index, in UInt256 v)
    {
        if (!index.IsUlong || index.u0 >= 32) return UInt256.Zero;
        int le = 31 - (int)index.u0;
        return new UInt256((Limb(v, le >> 3) >> ((le & 7) * 8)) & 0xff);
    }

    public static UInt256 SignExtend(in UInt256 b, in UInt256 v)
    {
        if (!b.IsUlong || b.u0 >= 31) return v;
        int bit = (int)b.u0 * 8 + 7;
        bool negative = ((Limb(v, bit >> 6) >> (bit & 63)) & 1) != 0;
        Span<ulong> r = stackalloc ulong[4] { v.u0, v.u1, v.u2, v.u3 };
        int limb = bit >> 6;
        ulong mask = (bit & 63) == 63 ? ulong.MaxValue : (1UL << ((bit & 63) + 1)) - 1;
        r[limb] = negative ? r[limb] | ~mask : r[limb] & mask;
        for (int i = limb + 1; i < 4; i++) r[i] = negative ? ulong.MaxValue : 0;
        return new UInt256(r[0], r[1], r[2], r[3]);
    }

    /// <summary>The value as an int shift amount, saturating at 256.</summary>
    public static int ShiftAmount(in UInt256 v) => v.IsUlong && v.u0 < 256 ? (int)v.u0 : 256;
}
