using System.Buffers.Binary;

namespace OpenLedger.Rollup.Encoding;

/// <summary>
/// One channel frame: channel_id (16) ++ frame_number (u16 BE) ++ frame_data_length (u32 BE) ++ frame_data ++ is_last (0/1).
/// A batcher transaction is derivation version 0 followed by one or more frames.
/// </summary>
public sealed record Frame(byte[] ChannelId, ushort FrameNumber, byte[] Data, bool IsLast)
{
    public const int ChannelIdLength = 16;
    /// <summary>16 + 2 + 4 + 1.</summary>
    public const int Overhead = 23;
    public const int MaxFrameDataLength = 1_000_000;
    public const byte DerivationVersion0 = 0;

    public int EncodedLength => Overhead + Data.Length;

    public string ChannelIdHex => Hex.Encode(ChannelId);

    public void WriteTo(List<byte> output)
    {
        if (ChannelId.Length != ChannelIdLength) throw new ArgumentException("channel id must be 16 bytes");
        if (Data.Length > MaxFrameDataLength) throw new ArgumentException($"frame data {Data.Length} bytes exceeds {MaxFrameDataLength}");
        output.AddRange(ChannelId);
        Span<byte> header = stackalloc byte[6];
        BinaryPrimitives.WriteUInt16BigEndian(header, FrameNumber);
        BinaryPrimitives.WriteUInt32BigEndian(header[2..], (uint)Data.Length);
        output.AddRange(header.ToArray());
        output.AddRange(Data);
        output.Add(IsLast ? (byte)1 : (byte)0);
    }

    /// <summary>The calldata of a batcher transaction carrying these frames: version byte 0 then the frames.</summary>
    public static byte[] EncodeBatcherData(IEnumerable<Frame> frames)
    {
        var output = new List<byte> { DerivationVersion0 };
        foreach (var f in frames) f.WriteTo(output);
        return output.ToArray();
    }

    /// <summary>
    /// Parses a batcher transaction's data. All frames must parse or none is returned (the spec rejects the whole
    /// transaction); an unknown version, an empty payload or a bad frame is a <see cref="BatchFormatException"/>.
    /// </summary>
    public static IReadOnlyList<Frame> ParseBatcherData(ReadOnlySpan<byte> data)
    {
        if (data.Length == 0) throw new BatchFormatException("batcher transaction: empty data");
        if (data[0] != DerivationVersion0) throw new BatchFormatException($"batcher transaction: unknown derivation version {data[0]}");
        var frames = new List<Frame>();
        int pos = 1;
        if (pos == data.Length) throw new BatchFormatException("batcher transaction: no frames after the version byte");
        while (pos < data.Length) frames.Add(Parse(data, ref pos, frames.Count));
        return frames;
    }

    private static Frame Parse(ReadOnlySpan<byte> data, ref int pos, int index)
    {
        if (data.Length - pos < Overhead) throw new BatchFormatException($"frame {index}: {data.Length - pos} bytes left, a frame needs at least {Overhead}");
        var id = data.Slice(pos, ChannelIdLength).ToArray();
        ushort number = BinaryPrimitives.ReadUInt16BigEndian(data[(pos + 16)..]);
        uint length = BinaryPrimitives.ReadUInt32BigEndian(data[(pos + 18)..]);
        pos += 22;
        if (length > MaxFrameDataLength) throw new BatchFormatException($"frame {index}: frame_data_length {length} exceeds {MaxFrameDataLength}");
        if ((long)data.Length - pos < (long)length + 1) throw new BatchFormatException($"frame {index}: frame_data_length {length} runs past the data");
        var payload = data.Slice(pos, (int)length).ToArray();
        pos += (int)length;
        byte last = data[pos++];
        if (last > 1) throw new BatchFormatException($"frame {index}: is_last byte {last} is neither 0 nor 1");
        return new Frame(id, number, payload, last == 1);
    }
}
