using System.IO.Compression;

namespace OpenLedger.Rollup.Encoding;

public enum CompressionAlgorithm
{
    /// <summary>RFC 1950 zlib, the original channel format.</summary>
    Zlib,
    /// <summary>Fjord's versioned channel format: version byte 1 then a brotli (RFC 7932) stream.</summary>
    Brotli,
}

/// <summary>Channel compression. The decoder tells zlib from versioned data by the low nibble of the first byte (8 or 15 = zlib's CM).</summary>
public static class ChannelCompression
{
    public const byte BrotliVersionByte = 1;

    public static byte[] Compress(ReadOnlySpan<byte> rlpBatches, CompressionAlgorithm algorithm, CompressionLevel level = CompressionLevel.SmallestSize)
    {
        var ms = new MemoryStream();
        if (algorithm == CompressionAlgorithm.Brotli) ms.WriteByte(BrotliVersionByte);
        using (Stream c = algorithm == CompressionAlgorithm.Zlib ? new ZLibStream(ms, level, leaveOpen: true) : new BrotliStream(ms, level, leaveOpen: true))
            c.Write(rlpBatches);
        return ms.ToArray();
    }

    /// <summary>
    /// Decompresses at most <paramref name="maxBytes"/> (MAX_RLP_BYTES_PER_CHANNEL): data beyond is treated as absent.
    /// A stream that breaks partway yields what decoded before the break with <paramref name="error"/> set, so the
    /// batches already complete still count (as op-node's streaming reader does).
    /// </summary>
    public static byte[] Decompress(ReadOnlySpan<byte> channel, long maxBytes, bool brotliAllowed, out string? error)
    {
        error = null;
        if (channel.Length == 0)
        {
            error = "channel: empty";
            return [];
        }
        byte first = channel[0];
        Stream source;
        int low = first & 0x0F;
        if (low is 8 or 15) source = new ZLibStream(new MemoryStream(channel.ToArray()), CompressionMode.Decompress);
        else if (first == BrotliVersionByte && brotliAllowed) source = new BrotliStream(new MemoryStream(channel[1..].ToArray()), CompressionMode.Decompress);
        else
        {
            error = first == BrotliVersionByte ? "channel: brotli before Fjord" : $"channel: unknown compression version byte 0x{first:x2}";
            return [];
        }
        var output = new MemoryStream();
        var buffer = new byte[4096]; // small reads: a stream that breaks loses at most one read's output
        try
        {
            using (source)
            {
                while (output.Length < maxBytes)
                {
                    int want = (int)Math.Min(buffer.Length, maxBytes - output.Length);
                    int n = source.Read(buffer, 0, want);
                    if (n == 0) break;
                    output.Write(buffer, 0, n);
                }
            }
        }
        catch (Exception e) when (e is InvalidDataException or IOException)
        {
            error = $"channel: decompression failed after {output.Length} bytes: {e.Message}";
        }
        return output.ToArray();
    }

    /// <summary>Splits the decompressed stream into the RLP byte strings it holds, stopping at the first malformed or truncated one.</summary>
    public static List<byte[]> SplitRlpStrings(ReadOnlySpan<byte> data, out string? error)
    {
        error = null;
        var items = new List<byte[]>();
        int pos = 0;
        while (pos < data.Length)
        {
            try
            {
                var r = new Primitives.Rlp.RlpReader(data[pos..]);
                var bytes = r.ReadBytes();
                items.Add(bytes.ToArray());
                pos += r.Position;
            }
            catch (Primitives.Rlp.RlpException e)
            {
                error = $"channel: batch {items.Count} at offset {pos}: {e.Message}";
                break;
            }
        }
        return items;
    }
}
