using System.Buffers.Binary;
using OpenLedger.Primitives;

namespace OpenLedger.Attribution.Sketching;

/// <summary>
/// The sketch store file (all integers little-endian):
/// <code>
///   0  8  magic "OLSKETCH"
///   8  4  version (1)
///  12  4  k (sketch dimension, a multiple of 32)
///  16  8  projection seed
///  24  4  scale shift (value = q · scale · 2^-shift)
///  28  4  reserved, zero
///  32  8  count (rows)
///  40 32  model id
///  72 32  checksum: keccak256(body ++ this header with the checksum field zeroed)
/// 104 24  zero padding, so rows start 128-byte aligned
/// 128     rows: count × k int8, contiguous
///         scales: count × int32
///         contribution ids: count × uint64
/// </code>
/// Rows come first and contiguous so a scan is one sequential sweep over memory-mapped pages.
/// </summary>
public readonly record struct SketchStoreHeader(int K, ulong Seed, int ScaleShift, long Count, Hash256 ModelId, Hash256 Checksum)
{
    /// <summary>The length of the gradients the sketches were projected from (bytes 104..107; 0 = not recorded). A query gradient of another length is refused.</summary>
    public int GradientDimension { get; init; }

    public const int Size = 128;
    public const int Version = 1;
    public static ReadOnlySpan<byte> Magic => "OLSKETCH"u8;

    public long RowsOffset => Size;
    public long ScalesOffset => Size + Count * K;
    public long IdsOffset => ScalesOffset + Count * 4;
    public long FileLength => IdsOffset + Count * 8;

    public void Write(Span<byte> dest, bool zeroChecksum)
    {
        dest[..Size].Clear();
        Magic.CopyTo(dest);
        BinaryPrimitives.WriteInt32LittleEndian(dest[8..], Version);
        BinaryPrimitives.WriteInt32LittleEndian(dest[12..], K);
        BinaryPrimitives.WriteUInt64LittleEndian(dest[16..], Seed);
        BinaryPrimitives.WriteInt32LittleEndian(dest[24..], ScaleShift);
        BinaryPrimitives.WriteInt64LittleEndian(dest[32..], Count);
        ModelId.WriteTo(dest[40..]);
        if (!zeroChecksum) Checksum.WriteTo(dest[72..]);
        BinaryPrimitives.WriteInt32LittleEndian(dest[104..], GradientDimension);
    }

    public static SketchStoreHeader Read(ReadOnlySpan<byte> src, long fileLength)
    {
        if (src.Length < Size || !src[..8].SequenceEqual(Magic)) throw new InvalidDataException("not a sketch store: bad magic");
        int version = BinaryPrimitives.ReadInt32LittleEndian(src[8..]);
        if (version != Version) throw new InvalidDataException($"sketch store version {version} is not supported (expected {Version})");
        int k = BinaryPrimitives.ReadInt32LittleEndian(src[12..]);
        if (k <= 0 || k % 32 != 0) throw new InvalidDataException($"sketch store has k = {k}; k must be a positive multiple of 32");
        int shift = BinaryPrimitives.ReadInt32LittleEndian(src[24..]);
        if (shift is < 0 or > 62) throw new InvalidDataException($"sketch store has scale shift {shift}, outside [0, 62]");
        long count = BinaryPrimitives.ReadInt64LittleEndian(src[32..]);
        if (count < 0 || count > (long.MaxValue - Size) / (k + 12)) throw new InvalidDataException($"sketch store has an impossible count {count}");
        var header = new SketchStoreHeader(k, BinaryPrimitives.ReadUInt64LittleEndian(src[16..]), shift, count,
            new Hash256(src.Slice(40, 32)), new Hash256(src.Slice(72, 32))) { GradientDimension = BinaryPrimitives.ReadInt32LittleEndian(src[104..]) };
        if (header.GradientDimension < 0) throw new InvalidDataException($"sketch store has gradient dimension {header.GradientDimension}");
        if (!src[108..Size].IsEmpty && src[108..Size].ContainsAnyExcept((byte)0)) throw new InvalidDataException("sketch store header: reserved bytes 108..127 are not zero");
        if (header.FileLength != fileLength)
            throw new InvalidDataException($"sketch store is {fileLength} bytes but its header describes {header.FileLength}: truncated or corrupted");
        return header;
    }
}
