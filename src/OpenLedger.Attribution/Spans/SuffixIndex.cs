using System.Buffers.Binary;
using System.IO.MemoryMappedFiles;
using System.Runtime.InteropServices;
using OpenLedger.Primitives;

namespace OpenLedger.Attribution.Spans;

/// <summary>
/// A suffix-array index over the tokenized contributions of one Datanet version (layout in
/// <see cref="SuffixIndexHeader"/>), either built in memory or memory-mapped from a file.
/// </summary>
public sealed unsafe class SuffixIndex : IDisposable
{
    private readonly byte* _base;             // start of the file image (header first)
    private readonly byte[]? _pinned;         // in-memory image (pinned array) or null when mapped
    private readonly MemoryMappedFile? _map;
    private readonly MemoryMappedViewAccessor? _view;
    private readonly int[] _starts;
    private readonly ulong[] _ids;
    private bool _disposed;

    public SuffixIndexHeader Header { get; }
    public long Length => Header.RecordCount;
    public int VocabularySize => Header.VocabularySize;
    public int ContributionCount => Header.ContributionCount;
    public IReadOnlyList<ulong> ContributionIds => _ids;

    private SuffixIndex(byte* basePtr, byte[]? pinned, MemoryMappedFile? map, MemoryMappedViewAccessor? view, SuffixIndexHeader header)
    {
        _base = basePtr; _pinned = pinned; _map = map; _view = view; Header = header;
        _starts = new int[header.ContributionCount];
        _ids = new ulong[header.ContributionCount];
        for (int i = 0; i < _starts.Length; i++)
        {
            _starts[i] = BinaryPrimitives.ReadInt32LittleEndian(new ReadOnlySpan<byte>(_base + header.StartsOffset + 4L * i, 4));
            _ids[i] = BinaryPrimitives.ReadUInt64LittleEndian(new ReadOnlySpan<byte>(_base + header.IdsOffset + 8L * i, 8));
        }
    }

    /// <summary>Wraps a complete file image held in a pinned array (see <see cref="SuffixIndexBuilder"/>).</summary>
    internal static SuffixIndex FromImage(byte[] pinnedImage)
    {
        var header = SuffixIndexHeader.Read(pinnedImage, pinnedImage.LongLength);
        return new SuffixIndex((byte*)Marshal.UnsafeAddrOfPinnedArrayElement(pinnedImage, 0), pinnedImage, null, null, header);
    }

    public static SuffixIndex Open(string path, bool verifyChecksum = true)
    {
        long length = new FileInfo(path).Length;
        if (length < SuffixIndexHeader.Size) throw new InvalidDataException($"{path} is {length} bytes, too short for a suffix index");
        var map = MemoryMappedFile.CreateFromFile(path, FileMode.Open, null, 0, MemoryMappedFileAccess.Read);
        var view = map.CreateViewAccessor(0, 0, MemoryMappedFileAccess.Read);
        byte* ptr = null;
        view.SafeMemoryMappedViewHandle.AcquirePointer(ref ptr);
        ptr += view.PointerOffset;
        try
        {
            var header = SuffixIndexHeader.Read(new ReadOnlySpan<byte>(ptr, SuffixIndexHeader.Size), length);
            var index = new SuffixIndex(ptr, null, map, view, header);
            if (verifyChecksum && index.ComputeChecksum() != header.Checksum)
                throw new InvalidDataException($"{path}: checksum mismatch, the suffix index is corrupted");
            index.ValidateStructure(path);
            return index;
        }
        catch
        {
            view.SafeMemoryMappedViewHandle.ReleasePointer();
            view.Dispose();
            map.Dispose();
            throw;
        }
    }

    /// <summary>
    /// What a checksum cannot vouch for: the suffix array is a permutation of the text positions, tokens are in the
    /// vocabulary, each contribution ends with exactly one separator, and the starts table points just after them
    /// (rewriting it would otherwise move credit between contributions), and ids are distinct.
    /// </summary>
    private void ValidateStructure(string path)
    {
        long n = Length;
        int d = ContributionCount;
        var seen = new System.Collections.BitArray(checked((int)n));
        int separators = 0, next = 0;
        for (long i = 0; i < n; i++)
        {
            int sa = SuffixAt(i);
            if (sa >= n || seen[sa]) throw new InvalidDataException($"{path}: suffix array entry {i} ({sa}) is out of range or repeated: the index is invalid");
            seen[sa] = true;
            int t = TokenAt(i);
            if (t == SuffixIndexHeader.Separator)
            {
                separators++;
                // The next contribution starts right after this separator.
                if (++next < d && _starts[next] != i + 1)
                    throw new InvalidDataException($"{path}: contribution {next} starts at {_starts[next]}, but the previous one ends at {i}: the starts table is invalid");
            }
            else if (t >= VocabularySize) throw new InvalidDataException($"{path}: token {t} at {i} is outside the vocabulary");
        }
        if (d > 0 && _starts[0] != 0) throw new InvalidDataException($"{path}: the first contribution starts at {_starts[0]}, not 0: the starts table is invalid");
        if (separators != d || (n > 0 && TokenAt(n - 1) != SuffixIndexHeader.Separator))
            throw new InvalidDataException($"{path}: {separators} separators for {d} contributions: the index is invalid");
        if (_ids.Distinct().Count() != d) throw new InvalidDataException($"{path}: a contribution id appears twice");
    }

    public Hash256 ComputeChecksum() => ComputeChecksum(_base, Header);

    internal static Hash256 ComputeChecksum(byte* image, SuffixIndexHeader header)
    {
        var hasher = new Keccak256Hasher();
        long body = header.FileLength - SuffixIndexHeader.Size;
        for (long off = 0; off < body; off += 1 << 30)
            hasher.Update(new ReadOnlySpan<byte>(image + SuffixIndexHeader.Size + off, (int)Math.Min(1 << 30, body - off)));
        Span<byte> h = stackalloc byte[SuffixIndexHeader.Size];
        header.Write(h, zeroChecksum: true);
        hasher.Update(h);
        return hasher.Finish();
    }

    /// <summary>Writes the image to a file (the same bytes <see cref="Open"/> maps).</summary>
    public void Save(string path)
    {
        using var f = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 20);
        long total = Header.FileLength;
        for (long off = 0; off < total; off += 1 << 30)
            f.Write(new ReadOnlySpan<byte>(_base + off, (int)Math.Min(1 << 30, total - off)));
    }

    // Record i is 48 bits at byte 6i; an 8-byte load is safe because the records are followed by 2 padding bytes.
    private ulong Record(long i) => *(ulong*)(_base + SuffixIndexHeader.Size + i * SuffixIndexHeader.RecordBytes) & 0xFFFF_FFFF_FFFFUL;

    /// <summary>SA[i]: the text position of the i-th smallest suffix.</summary>
    public int SuffixAt(long i) => (int)(Record(i) & 0x7FFF_FFFF);

    /// <summary>text[p]: the token (or separator) at text position p.</summary>
    public int TokenAt(long p) => (int)(Record(p) >> 31);

    /// <summary>The index of the contribution whose tokens include text position p.</summary>
    public int ContributionIndexAt(int position)
    {
        int i = Array.BinarySearch(_starts, position);
        return i >= 0 ? i : ~i - 1;
    }

    public int ContributionStart(int index) => _starts[index];

    /// <summary>Unpacked SA and text, for device kernels that want plain int arrays.</summary>
    public (int[] SuffixArray, int[] Text) Unpack()
    {
        var sa = new int[Length];
        var text = new int[Length];
        for (long i = 0; i < Length; i++) { ulong r = Record(i); sa[i] = (int)(r & 0x7FFF_FFFF); text[i] = (int)(r >> 31); }
        return (sa, text);
    }

    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        if (_view != null)
        {
            _view.SafeMemoryMappedViewHandle.ReleasePointer();
            _view.Dispose();
            _map!.Dispose();
        }
        GC.KeepAlive(_pinned);
    }
}
