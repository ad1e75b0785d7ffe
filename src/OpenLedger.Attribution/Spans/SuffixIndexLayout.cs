using System.Buffers.Binary;
using OpenLedger.Primitives;

namespace OpenLedger.Attribution.Spans;

/// <summary>
/// The suffix-array index file (integers little-endian). The text is every contribution's tokens, each followed by
/// one separator symbol (2^17 − 1, never a real token), so no match can cross from one contribution into the next.
/// <code>
///   0  8  magic "OLSUFFIX"
///   8  4  version (1)
///  12  4  vocabulary size V (tokens lie in [0, V), V ≤ 2^17 − 1)
///  16  8  record count n = tokens + contributions (&lt; 2^31)
///  24  4  contribution count D
///  28  4  reserved, zero
///  32 32  checksum: keccak256(body ++ this header with the checksum zeroed)
///  64 64  zero
/// 128     n records of 6 bytes (48 bits): bits 0..30 = SA[i], bits 31..47 = text[i]; then 2 zero bytes of padding
///         contribution starts: D × int32 (text position of each contribution's first token, ascending)
///         contribution ids:    D × uint64
/// </code>
/// 31 bits of suffix-array entry (corpora under 2^31 tokens) plus 17 bits of token (cl100k_base's 100,277 ids, and
/// GPT-2's 50,257, fit) is exactly 48 bits: 6 bytes per token, plus 18 bytes per contribution (its separator
/// record, start and id) and the 128-byte header. Packing SA[i] and text[i] into record i keeps both arrays in
/// one mapping; a lookup of text[p] reads record p.
/// </summary>
public readonly record struct SuffixIndexHeader(int VocabularySize, long RecordCount, int ContributionCount, Hash256 Checksum)
{
    public const int Size = 128;
    public const int Version = 1;
    public const int RecordBytes = 6;
    public const int TokenBits = 17;
    public const int Separator = (1 << TokenBits) - 1;
    public const long MaxRecords = (1L << 31) - 1;
    public static ReadOnlySpan<byte> Magic => "OLSUFFIX"u8;

    public long RecordsOffset => Size;
    public long StartsOffset => Size + RecordCount * RecordBytes + 2;
    public long IdsOffset => StartsOffset + ContributionCount * 4L;
    public long FileLength => IdsOffset + ContributionCount * 8L;

    public void Write(Span<byte> dest, bool zeroChecksum)
    {
        dest[..Size].Clear();
        Magic.CopyTo(dest);
        BinaryPrimitives.WriteInt32LittleEndian(dest[8..], Version);
        BinaryPrimitives.WriteInt32LittleEndian(dest[12..], VocabularySize);
        BinaryPrimitives.WriteInt64LittleEndian(dest[16..], RecordCount);
        BinaryPrimitives.WriteInt32LittleEndian(dest[24..], ContributionCount);
        if (!zeroChecksum) Checksum.WriteTo(dest[32..]);
    }

    public static SuffixIndexHeader Read(ReadOnlySpan<byte> src, long fileLength)
    {
        if (src.Length < Size || !src[..8].SequenceEqual(Magic)) throw new InvalidDataException("not a suffix index: bad magic");
        int version = BinaryPrimitives.ReadInt32LittleEndian(src[8..]);
        if (version != Version) throw new InvalidDataException($"suffix index version {version} is not supported (expected {Version})");
        int vocab = BinaryPrimitives.ReadInt32LittleEndian(src[12..]);
        if (vocab <= 0 || vocab > Separator) throw new InvalidDataException($"suffix index has vocabulary size {vocab}, outside [1, {Separator}]");
        long n = BinaryPrimitives.ReadInt64LittleEndian(src[16..]);
        int d = BinaryPrimitives.ReadInt32LittleEndian(src[24..]);
        if (n < 0 || n > MaxRecords || d < 0 || d > n) throw new InvalidDataException($"suffix index has impossible sizes (records {n}, contributions {d})");
        var header = new SuffixIndexHeader(vocab, n, d, new Hash256(src.Slice(32, 32)));
        if (header.FileLength != fileLength)
            throw new InvalidDataException($"suffix index is {fileLength} bytes but its header describes {header.FileLength}: truncated or corrupted");
        return header;
    }
}
