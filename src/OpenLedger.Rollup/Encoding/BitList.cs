namespace OpenLedger.Rollup.Encoding;

/// <summary>
/// The span batch's "standard bitlist": a big-endian integer left-padded to whole bytes, where
/// element i is bit i of the integer (so element 0 is the lowest bit of the last byte).
/// </summary>
public static class BitList
{
    public static int ByteLength(int count) => (count + 7) / 8;

    public static void Write(List<byte> output, IReadOnlyList<bool> bits)
    {
        int n = ByteLength(bits.Count);
        var bytes = new byte[n];
        for (int i = 0; i < bits.Count; i++)
            if (bits[i]) bytes[n - 1 - i / 8] |= (byte)(1 << (i % 8));
        output.AddRange(bytes);
    }

    /// <summary>Reads <paramref name="count"/> bits; a set bit beyond the count is malformed (Go's big.Int.BitLen check).</summary>
    public static bool[] Read(ReadOnlySpan<byte> data, ref int pos, int count, string field)
    {
        int n = ByteLength(count);
        if (data.Length - pos < n) throw new BatchFormatException($"span batch: {field}: needs {n} bytes, {data.Length - pos} left");
        var bytes = data.Slice(pos, n);
        pos += n;
        var bits = new bool[count];
        for (int byteIndex = 0; byteIndex < n; byteIndex++)
        {
            byte b = bytes[n - 1 - byteIndex];
            for (int bit = 0; bit < 8; bit++)
            {
                int i = byteIndex * 8 + bit;
                bool set = (b >> bit & 1) != 0;
                if (i < count) bits[i] = set;
                else if (set) throw new BatchFormatException($"span batch: {field}: bit {i} set beyond the {count} elements");
            }
        }
        return bits;
    }
}
