namespace OpenLedger.Rollup.Encoding;

/// <summary>Unsigned base-128 varints (protobuf / Go's encoding/binary), as the span-batch format uses.</summary>
public static class Uvarint
{
    public const int MaxLength = 10;

    public static void Write(List<byte> output, ulong value)
    {
        while (value >= 0x80)
        {
            output.Add((byte)(value | 0x80));
            value >>= 7;
        }
        output.Add((byte)value);
    }

    /// <summary>Reads one varint at <paramref name="pos"/>; rejects truncation and values above 64 bits, as Go's binary.ReadUvarint does.</summary>
    public static ulong Read(ReadOnlySpan<byte> data, ref int pos, string field)
    {
        ulong result = 0;
        for (int shift = 0, i = 0; i < MaxLength; i++, shift += 7)
        {
            if (pos >= data.Length) throw new BatchFormatException($"span batch: {field}: truncated varint");
            byte b = data[pos++];
            if (b < 0x80)
            {
                if (i == MaxLength - 1 && b > 1) throw new BatchFormatException($"span batch: {field}: varint overflows 64 bits");
                return result | ((ulong)b << shift);
            }
            result |= (ulong)(b & 0x7f) << shift;
        }
        throw new BatchFormatException($"span batch: {field}: varint overflows 64 bits");
    }
}
