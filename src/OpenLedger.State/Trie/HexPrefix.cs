namespace OpenLedger.State.Trie;

/// <summary>
/// Nibble paths and the Yellow Paper's hex-prefix encoding (appendix C): the first nibble carries
/// flags (bit 1 = leaf, bit 0 = odd length); an even path pads the first byte's low nibble with 0.
/// </summary>
public static class HexPrefix
{
    /// <summary>Splits each byte into its high then low nibble; <paramref name="nibbles"/> must hold 2 * bytes.Length.</summary>
    public static void ToNibbles(ReadOnlySpan<byte> bytes, Span<byte> nibbles)
    {
        for (int i = 0; i < bytes.Length; i++)
        {
            nibbles[2 * i] = (byte)(bytes[i] >> 4);
            nibbles[2 * i + 1] = (byte)(bytes[i] & 0x0f);
        }
    }

    /// <summary>Packs an even number of nibbles back into bytes.</summary>
    public static byte[] FromNibbles(ReadOnlySpan<byte> nibbles)
    {
        if ((nibbles.Length & 1) != 0)
            throw new ArgumentException($"nibble path of odd length {nibbles.Length} is not a whole key", nameof(nibbles));
        var bytes = new byte[nibbles.Length / 2];
        for (int i = 0; i < bytes.Length; i++) bytes[i] = (byte)((nibbles[2 * i] << 4) | nibbles[2 * i + 1]);
        return bytes;
    }

    public static int EncodedLength(int nibbleCount) => nibbleCount / 2 + 1;

    /// <summary>Writes the hex-prefix form of <paramref name="nibbles"/> into <paramref name="destination"/>; returns the bytes written.</summary>
    public static int Encode(ReadOnlySpan<byte> nibbles, bool leaf, Span<byte> destination)
    {
        int len = EncodedLength(nibbles.Length);
        int flag = leaf ? 2 : 0;
        int i = 0;
        if ((nibbles.Length & 1) != 0)
        {
            destination[0] = (byte)(((flag | 1) << 4) | nibbles[0]);
            i = 1;
        }
        else destination[0] = (byte)(flag << 4);
        for (int o = 1; o < len; o++, i += 2) destination[o] = (byte)((nibbles[i] << 4) | nibbles[i + 1]);
        return len;
    }

    public static byte[] Encode(ReadOnlySpan<byte> nibbles, bool leaf)
    {
        var result = new byte[EncodedLength(nibbles.Length)];
        Encode(nibbles, leaf, result);
        return result;
    }

    /// <summary>Decodes a hex-prefix path into nibbles. Rejects unknown flags and a non-zero pad nibble.</summary>
    /// <exception cref="InvalidTrieNodeException">The bytes are not a valid hex-prefix path.</exception>
    public static byte[] Decode(ReadOnlySpan<byte> encoded, out bool leaf)
    {
        if (encoded.IsEmpty) throw new InvalidTrieNodeException("hex-prefix path is empty");
        int flag = encoded[0] >> 4;
        if (flag > 3) throw new InvalidTrieNodeException($"hex-prefix flag nibble {flag} is not 0-3");
        leaf = (flag & 2) != 0;
        bool odd = (flag & 1) != 0;
        if (!odd && (encoded[0] & 0x0f) != 0)
            throw new InvalidTrieNodeException("hex-prefix pad nibble of an even path is not zero");
        var nibbles = new byte[(encoded.Length - 1) * 2 + (odd ? 1 : 0)];
        int n = 0;
        if (odd) nibbles[n++] = (byte)(encoded[0] & 0x0f);
        for (int i = 1; i < encoded.Length; i++)
        {
            nibbles[n++] = (byte)(encoded[i] >> 4);
            nibbles[n++] = (byte)(encoded[i] & 0x0f);
        }
        return nibbles;
    }
}
