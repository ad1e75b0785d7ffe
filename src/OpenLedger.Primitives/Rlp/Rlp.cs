namespace OpenLedger.Primitives.Rlp;

/// <summary>Sizes and one-shot encodings. For hot paths, size with LengthOf* and write with <see cref="RlpWriter"/>.</summary>
public static class Rlp
{
    /// <summary>Header length for a payload of the given length (1, or 1 + bytes of the length).</summary>
    public static int HeaderLength(int payloadLength) =>
        payloadLength < 56 ? 1 : 1 + ((64 - System.Numerics.BitOperations.LeadingZeroCount((ulong)payloadLength) + 7) >> 3);

    public static int LengthOf(ReadOnlySpan<byte> bytes) =>
        bytes.Length == 1 && bytes[0] < 0x80 ? 1 : HeaderLength(bytes.Length) + bytes.Length;

    public static int LengthOf(ulong value)
    {
        if (value < 0x80) return 1;
        int n = (64 - System.Numerics.BitOperations.LeadingZeroCount(value) + 7) >> 3;
        return 1 + n;
    }

    public static int LengthOf(in UInt256 value) => value.IsUlong ? LengthOf(value.u0) : 1 + value.ByteLength;

    public static int LengthOf(in Address _) => 1 + Address.Length;
    public static int LengthOf(in Hash256 _) => 1 + Hash256.Length;
    public static int LengthOfOptionalAddress(Address? address) => address.HasValue ? 1 + Address.Length : 1;

    /// <summary>Total length of a list whose items encode to <paramref name="payloadLength"/> bytes.</summary>
    public static int LengthOfList(int payloadLength) => HeaderLength(payloadLength) + payloadLength;

    public static byte[] Encode(ReadOnlySpan<byte> bytes)
    {
        var result = new byte[LengthOf(bytes)];
        new RlpWriter(result).WriteBytes(bytes);
        return result;
    }

    public static byte[] Encode(ulong value)
    {
        var result = new byte[LengthOf(value)];
        new RlpWriter(result).WriteUInt64(value);
        return result;
    }

    public static byte[] Encode(in UInt256 value)
    {
        var result = new byte[LengthOf(value)];
        new RlpWriter(result).WriteUInt256(value);
        return result;
    }

    /// <summary>Wraps already-encoded items in a list.</summary>
    public static byte[] EncodeList(params ReadOnlySpan<byte[]> encodedItems)
    {
        int payload = 0;
        foreach (var item in encodedItems) payload = checked(payload + item.Length);
        var result = new byte[LengthOfList(payload)];
        var w = new RlpWriter(result);
        w.WriteListHeader(payload);
        foreach (var item in encodedItems) w.WriteRaw(item);
        return result;
    }

    public static byte[] Encode(RlpItem item)
    {
        var result = new byte[item.EncodedLength];
        var w = new RlpWriter(result);
        item.WriteTo(ref w);
        return result;
    }

    /// <summary>Decodes exactly one item (a tree) spanning all of <paramref name="encoded"/>.</summary>
    public static RlpItem Decode(ReadOnlySpan<byte> encoded)
    {
        var reader = new RlpReader(encoded);
        var item = RlpItem.Read(ref reader, 0);
        reader.End();
        return item;
    }
}
