using System.Buffers.Binary;
using System.Collections;
using System.Numerics;
using System.Text;

namespace OpenLedger.Primitives.Abi;

/// <summary>
/// Standard (non-packed) ABI encoding. Values: UInt256/BigInteger/.NET integers for uint/int, <see cref="Address"/>, bool,
/// byte[] (or <see cref="Hash256"/> for bytes32) for bytes&lt;M&gt; and bytes, string, and any IList (object[], T[], List&lt;T&gt;) for arrays and tuples.
/// </summary>
public static class AbiEncoder
{
    /// <summary>Encodes <paramref name="values"/> as the tuple of <paramref name="types"/> (function arguments, return values, event data).</summary>
    public static byte[] Encode(IReadOnlyList<AbiType> types, IReadOnlyList<object?> values)
    {
        if (types.Count != values.Count)
            throw new AbiException($"{types.Count} ABI types but {values.Count} values");
        using var w = new Writer();
        EncodeTuple(types, values, w, "");
        return w.ToArray();
    }

    /// <summary>Encodes one value as a one-element tuple (what abi.encode(value) gives).</summary>
    public static byte[] Encode(AbiType type, object? value) => Encode([type], [value]);

    private sealed class Writer : IDisposable
    {
        private readonly MemoryStream _s = new();
        public int Length => (int)_s.Length;
        public void Write(ReadOnlySpan<byte> b) => _s.Write(b);
        public void Word(ReadOnlySpan<byte> word32) => _s.Write(word32);
        public void Offset(int value)
        {
            Span<byte> w = stackalloc byte[32];
            BinaryPrimitives.WriteInt32BigEndian(w[28..], value);
            _s.Write(w);
        }
        public void PatchOffset(int at, int value)
        {
            var buf = _s.GetBuffer();
            BinaryPrimitives.WriteInt32BigEndian(buf.AsSpan(at + 28, 4), value);
        }
        public byte[] ToArray() => _s.ToArray();
        public void Dispose() => _s.Dispose();
    }

    private static void EncodeTuple(IReadOnlyList<AbiType> types, IReadOnlyList<object?> values, Writer w, string path)
    {
        var start = w.Length;
        var offsetSlots = new int[types.Count];
        for (var i = 0; i < types.Count; i++)
        {
            if (types[i].IsDynamic)
            {
                offsetSlots[i] = w.Length;
                w.Offset(0); // patched once the tail position is known
            }
            else EncodeValue(types[i], values[i], w, path + "[" + i + "]");
        }
        for (var i = 0; i < types.Count; i++)
        {
            if (!types[i].IsDynamic) continue;
            w.PatchOffset(offsetSlots[i], w.Length - start);
            EncodeValue(types[i], values[i], w, path + "[" + i + "]");
        }
    }

    private static void EncodeValue(AbiType type, object? value, Writer w, string path)
    {
        Span<byte> word = stackalloc byte[32];
        switch (type.Kind)
        {
            case AbiKind.UInt:
                AbiIntegers.WriteUnsigned(AbiIntegers.ToBigInteger(value, type, path), type.Size, word, type, path);
                w.Word(word);
                break;
            case AbiKind.Int:
                AbiIntegers.WriteSigned(AbiIntegers.ToBigInteger(value, type, path), type.Size, word, type, path);
                w.Word(word);
                break;
            case AbiKind.Address:
                if (value is not Address a) throw Mismatch(type, value, path);
                a.Bytes.CopyTo(word[12..]);
                w.Word(word);
                break;
            case AbiKind.Bool:
                if (value is not bool b) throw Mismatch(type, value, path);
                word[31] = b ? (byte)1 : (byte)0;
                w.Word(word);
                break;
            case AbiKind.FixedBytes:
            {
                var bytes = AsBytes(value, type, path);
                if (bytes.Length != type.Size)
                    throw new AbiException($"{Where(path)}{type} needs exactly {type.Size} bytes, got {bytes.Length}");
                bytes.CopyTo(word);
                w.Word(word);
                break;
            }
            case AbiKind.Bytes:
                WriteBytes(AsBytes(value, type, path), w);
                break;
            case AbiKind.String:
                if (value is not string s) throw Mismatch(type, value, path);
                WriteBytes(Encoding.UTF8.GetBytes(s), w);
                break;
            case AbiKind.FixedArray:
            case AbiKind.Array:
            {
                if (value is not IList list || value is byte[] && type.Element!.Kind != AbiKind.UInt) throw Mismatch(type, value, path);
                if (type.Kind == AbiKind.FixedArray && list.Count != type.Size)
                    throw new AbiException($"{Where(path)}{type} needs {type.Size} elements, got {list.Count}");
                if (type.Kind == AbiKind.Array) w.Offset(list.Count);
                var elements = new AbiType[list.Count];
                var items = new object?[list.Count];
                for (var i = 0; i < list.Count; i++) { elements[i] = type.Element!; items[i] = list[i]; }
                EncodeTuple(elements, items, w, path);
                break;
            }
            case AbiKind.Tuple:
            {
                if (value is not IList list) throw Mismatch(type, value, path);
                if (list.Count != type.Components.Count)
                    throw new AbiException($"{Where(path)}{type} needs {type.Components.Count} components, got {list.Count}");
                var items = new object?[list.Count];
                for (var i = 0; i < list.Count; i++) items[i] = list[i];
                EncodeTuple(type.Components, items, w, path);
                break;
            }
        }
    }

    private static void WriteBytes(ReadOnlySpan<byte> bytes, Writer w)
    {
        w.Offset(bytes.Length);
        w.Write(bytes);
        var pad = (32 - bytes.Length % 32) % 32;
        Span<byte> zeros = stackalloc byte[32];
        zeros.Clear();
        w.Write(zeros[..pad]);
    }

    private static ReadOnlySpan<byte> AsBytes(object? value, AbiType type, string path) => value switch
    {
        byte[] b => b,
        ReadOnlyMemory<byte> m => m.Span,
        Memory<byte> m => m.Span,
        Hash256 h => h.ToArray(),
        _ => throw Mismatch(type, value, path),
    };

    internal static string Where(string path) => path.Length == 0 ? "" : "value" + path + ": ";

    internal static AbiException Mismatch(AbiType type, object? value, string path) =>
        new($"{Where(path)}cannot encode {(value is null ? "null" : value.GetType().Name)} as {type}");
}
