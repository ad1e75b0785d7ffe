using System.Buffers.Binary;
using System.Numerics;
using System.Text;

namespace OpenLedger.Primitives.Abi;

/// <summary>
/// Strict ABI decoding. uint&lt;M&gt; gives <see cref="UInt256"/>, int&lt;M&gt; gives <see cref="BigInteger"/>, address gives <see cref="Address"/>,
/// bytes&lt;M&gt; and bytes give byte[], arrays and tuples give object?[].
/// Every offset and length is checked against the data before use; high bits beyond a type's width must be clean;
/// and the decoder never materialises more than the input holds, so reused (aliased) tails cannot blow up memory.
/// </summary>
public static class AbiDecoder
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>Decodes data holding the tuple of <paramref name="types"/>. Trailing bytes after the encoding are allowed, as Solidity allows them.</summary>
    public static object?[] Decode(IReadOnlyList<AbiType> types, ReadOnlySpan<byte> data)
    {
        var budget = (long)data.Length;
        return DecodeTuple(types, data, 0, ref budget);
    }

    /// <summary>Decodes a one-element tuple (what abi.decode(data, (T)) reads).</summary>
    public static object? Decode(AbiType type, ReadOnlySpan<byte> data) => Decode([type], data)[0];

    private static object?[] DecodeTuple(IReadOnlyList<AbiType> types, ReadOnlySpan<byte> data, int start, ref long budget)
    {
        var result = new object?[types.Count];
        var head = start;
        for (var i = 0; i < types.Count; i++)
        {
            var t = types[i];
            if (t.IsDynamic)
            {
                var offset = ReadLength(data, head, "offset");
                var target = (long)start + offset;
                if (target > data.Length - 32L)
                    throw new AbiDecodingException($"offset {offset} at byte {head} points past the end of {data.Length}-byte data");
                result[i] = DecodeValue(t, data, (int)target, ref budget);
                head += 32;
            }
            else
            {
                result[i] = DecodeValue(t, data, head, ref budget);
                head += t.HeadSize;
            }
        }
        return result;
    }

    private static object? DecodeValue(AbiType type, ReadOnlySpan<byte> data, int at, ref long budget)
    {
        switch (type.Kind)
        {
            case AbiKind.UInt: return AbiIntegers.ReadUnsigned(Word(data, at, ref budget), type.Size, at);
            case AbiKind.Int: return AbiIntegers.ReadSigned(Word(data, at, ref budget), type.Size, at);
            case AbiKind.Address:
            {
                var w = Word(data, at, ref budget);
                if (w[..12].ContainsAnyExcept((byte)0)) throw new AbiDecodingException($"address at byte {at} has nonzero high bits");
                return new Address(w[12..]);
            }
            case AbiKind.Bool:
            {
                var w = Word(data, at, ref budget);
                if (w[..31].ContainsAnyExcept((byte)0) || w[31] > 1) throw new AbiDecodingException($"bool at byte {at} is neither 0 nor 1");
                return w[31] == 1;
            }
            case AbiKind.FixedBytes:
            {
                var w = Word(data, at, ref budget);
                if (w[type.Size..].ContainsAnyExcept((byte)0)) throw new AbiDecodingException($"{type} at byte {at} has nonzero padding");
                return w[..type.Size].ToArray();
            }
            case AbiKind.Bytes:
                return ReadBytes(data, at, type, ref budget).ToArray();
            case AbiKind.String:
            {
                var bytes = ReadBytes(data, at, type, ref budget);
                try { return StrictUtf8.GetString(bytes); }
                catch (DecoderFallbackException) { throw new AbiDecodingException($"string at byte {at} is not valid UTF-8"); }
            }
            case AbiKind.FixedArray:
                return DecodeTuple(Repeat(type.Element!, type.Size, data.Length - at, at), data, at, ref budget);
            case AbiKind.Array:
            {
                var count = ReadLength(data, at, "array length");
                Spend(ref budget, 32, at);
                return DecodeTuple(Repeat(type.Element!, count, data.Length - at - 32, at), data, at + 32, ref budget);
            }
            default:
                return DecodeTuple(type.Components, data, at, ref budget);
        }
    }

    /// <summary>The element list of an array, after checking that <paramref name="count"/> heads fit in the bytes left, so a hostile count allocates nothing.</summary>
    private static AbiType[] Repeat(AbiType element, long count, long available, int at)
    {
        if (count * element.HeadSize > available)
            throw new AbiDecodingException($"array at byte {at} claims {count} elements of {element.HeadSize} bytes but only {Math.Max(available, 0)} bytes remain");
        var types = new AbiType[count];
        Array.Fill(types, element);
        return types;
    }

    private static ReadOnlySpan<byte> ReadBytes(ReadOnlySpan<byte> data, int at, AbiType type, ref long budget)
    {
        var length = ReadLength(data, at, $"{type} length");
        if (length > data.Length - at - 32L)
            throw new AbiDecodingException($"{type} at byte {at} claims {length} bytes but only {data.Length - at - 32} remain");
        Spend(ref budget, 32 + length, at);
        return data.Slice(at + 32, (int)length);
    }

    private static ReadOnlySpan<byte> Word(ReadOnlySpan<byte> data, int at, ref long budget)
    {
        if (at < 0 || at > data.Length - 32)
            throw new AbiDecodingException($"data ends before the 32-byte word at byte {at} (length {data.Length})");
        Spend(ref budget, 32, at);
        return data.Slice(at, 32);
    }

    /// <summary>Reads an offset or length word; it must be below 2^32, and the caller checks it against the data.</summary>
    private static long ReadLength(ReadOnlySpan<byte> data, int at, string what)
    {
        if (at < 0 || at > data.Length - 32)
            throw new AbiDecodingException($"data ends before the {what} at byte {at} (length {data.Length})");
        var w = data.Slice(at, 32);
        if (w[..28].ContainsAnyExcept((byte)0))
            throw new AbiDecodingException($"{what} at byte {at} is larger than the data could hold");
        return BinaryPrimitives.ReadUInt32BigEndian(w[28..]);
    }

    private static void Spend(ref long budget, long bytes, int at)
    {
        budget -= bytes;
        if (budget < 0)
            throw new AbiDecodingException($"encoding reuses tails (at byte {at}): decoding it would take more memory than the data holds");
    }
}
