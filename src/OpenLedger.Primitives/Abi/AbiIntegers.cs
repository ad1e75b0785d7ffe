using System.Buffers.Binary;
using System.Numerics;

namespace OpenLedger.Primitives.Abi;

/// <summary>Conversions between .NET integers and 32-byte ABI words, with range checks for uint&lt;M&gt; and int&lt;M&gt;.</summary>
internal static class AbiIntegers
{
    public static BigInteger ToBigInteger(object? value, AbiType type, string path) => value switch
    {
        UInt256 u => ToBigInteger(u),
        BigInteger b => b,
        byte v => v,
        sbyte v => v,
        ushort v => v,
        short v => v,
        uint v => v,
        int v => v,
        ulong v => v,
        long v => v,
        UInt128 v => v,
        Int128 v => v,
        _ => throw AbiEncoder.Mismatch(type, value, path),
    };

    public static void WriteUnsigned(BigInteger v, int bits, Span<byte> word, AbiType type, string path)
    {
        if (v.Sign < 0 || v.GetBitLength() > bits)
            throw new AbiException($"{AbiEncoder.Where(path)}{v} is out of range for {type}");
        word.Clear();
        v.TryWriteBytes(word[(32 - v.GetByteCount(isUnsigned: true))..], out _, isUnsigned: true, isBigEndian: true);
    }

    public static void WriteSigned(BigInteger v, int bits, Span<byte> word, AbiType type, string path)
    {
        // Two's complement of width M fits when -2^(M-1) <= v < 2^(M-1); GetBitLength excludes the sign bit.
        if (v.GetBitLength() > bits - 1)
            throw new AbiException($"{AbiEncoder.Where(path)}{v} is out of range for {type}");
        word.Fill(v.Sign < 0 ? (byte)0xff : (byte)0);
        var n = v.GetByteCount();
        v.TryWriteBytes(word[(32 - n)..], out _, isUnsigned: false, isBigEndian: true);
    }

    /// <summary>Reads uint&lt;M&gt;; the bits above M must be zero.</summary>
    public static UInt256 ReadUnsigned(ReadOnlySpan<byte> word, int bits, int at)
    {
        var high = (256 - bits) / 8;
        if (word[..high].ContainsAnyExcept((byte)0))
            throw new AbiDecodingException($"uint{bits} at byte {at} has nonzero high bits");
        return FromWord(word);
    }

    /// <summary>Reads int&lt;M&gt;; the bits above M must all repeat the sign bit.</summary>
    public static BigInteger ReadSigned(ReadOnlySpan<byte> word, int bits, int at)
    {
        var high = (256 - bits) / 8;
        var fill = (word[high] & 0x80) != 0 ? (byte)0xff : (byte)0;
        if (word[..high].ContainsAnyExcept(fill))
            throw new AbiDecodingException($"int{bits} at byte {at} is not sign-extended");
        return new BigInteger(word[high..], isUnsigned: false, isBigEndian: true);
    }

    // Limb-level conversions, so that the ABI depends only on UInt256's constructor and limbs.
    public static UInt256 FromWord(ReadOnlySpan<byte> word) => new(
        BinaryPrimitives.ReadUInt64BigEndian(word[24..]), BinaryPrimitives.ReadUInt64BigEndian(word[16..]),
        BinaryPrimitives.ReadUInt64BigEndian(word[8..]), BinaryPrimitives.ReadUInt64BigEndian(word));

    public static void ToWord(in UInt256 v, Span<byte> word)
    {
        BinaryPrimitives.WriteUInt64BigEndian(word, v.u3);
        BinaryPrimitives.WriteUInt64BigEndian(word[8..], v.u2);
        BinaryPrimitives.WriteUInt64BigEndian(word[16..], v.u1);
        BinaryPrimitives.WriteUInt64BigEndian(word[24..], v.u0);
    }

    public static BigInteger ToBigInteger(in UInt256 v)
    {
        Span<byte> w = stackalloc byte[32];
        ToWord(v, w);
        return new BigInteger(w, isUnsigned: true, isBigEndian: true);
    }

    public static UInt256 FromBigInteger(BigInteger v)
    {
        if (v.Sign < 0 || v.GetBitLength() > 256) throw new OverflowException($"{v} does not fit in uint256");
        Span<byte> w = stackalloc byte[32];
        w.Clear();
        v.TryWriteBytes(w[(32 - v.GetByteCount(isUnsigned: true))..], out _, isUnsigned: true, isBigEndian: true);
        return FromWord(w);
    }
}
