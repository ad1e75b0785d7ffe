using System.Buffers.Binary;
using System.IO.MemoryMappedFiles;
using System.Runtime.InteropServices;
using OpenLedger.Primitives;

namespace OpenLedger.Attribution.Sketching;

/// <summary>
/// A read-only, memory-mapped sketch store (layout in <see cref="SketchStoreHeader"/>). Opening checks the
/// checksum by default, so a flipped bit anywhere in the file is reported before any score is computed from it.
/// </summary>
public sealed unsafe class SketchStore : IDisposable
{
    private readonly MemoryMappedFile _map;
    private readonly MemoryMappedViewAccessor _view;
    private readonly byte* _base;
    private bool _disposed;

    public SketchStoreHeader Header { get; }
    public int K => Header.K;
    public long Count => Header.Count;
    public Hash256 ModelId => Header.ModelId;

    private SketchStore(MemoryMappedFile map, MemoryMappedViewAccessor view, byte* basePtr, SketchStoreHeader header)
    {
        _map = map; _view = view; _base = basePtr; Header = header;
    }

    public static SketchStore Open(string path, bool verifyChecksum = true)
    {
        long length = new FileInfo(path).Length;
        if (length < SketchStoreHeader.Size) throw new InvalidDataException($"{path} is {length} bytes, too short for a sketch store");
        var map = MemoryMappedFile.CreateFromFile(path, FileMode.Open, null, 0, MemoryMappedFileAccess.Read);
        var view = map.CreateViewAccessor(0, 0, MemoryMappedFileAccess.Read);
        byte* ptr = null;
        view.SafeMemoryMappedViewHandle.AcquirePointer(ref ptr);
        ptr += view.PointerOffset;
        try
        {
            var header = SketchStoreHeader.Read(new ReadOnlySpan<byte>(ptr, SketchStoreHeader.Size), length);
            var store = new SketchStore(map, view, ptr, header);
            if (verifyChecksum && store.ComputeChecksum() != header.Checksum)
                throw new InvalidDataException($"{path}: checksum mismatch, the sketch store is corrupted");
            store.ValidateStructure(path);
            return store;
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
    /// What a checksum cannot vouch for (a writer may have computed it over bad data): no row entry is -128 (the quantizer
    /// never writes it and the AVX2 kernel's exact sums assume it away), and no contribution id appears twice.
    /// </summary>
    private void ValidateStructure(string path)
    {
        long rowBytes = Header.Count * Header.K;
        for (long done = 0; done < rowBytes;)
        {
            int n = (int)Math.Min(int.MaxValue, rowBytes - done);
            var chunk = new ReadOnlySpan<byte>(_base + Header.RowsOffset + done, n);
            int at = chunk.IndexOf((byte)0x80);
            if (at >= 0) throw new InvalidDataException($"{path}: sketch row {(done + at) / Header.K} holds -128, which no quantizer writes: the store is invalid");
            done += n;
        }
        var seen = new HashSet<ulong>();
        for (long i = 0; i < Header.Count; i++)
        {
            ulong id = *(ulong*)(_base + Header.IdsOffset + 8 * i);
            if (!seen.Add(id)) throw new InvalidDataException($"{path}: contribution {id} appears twice in the sketch store");
        }
    }

    /// <summary>keccak256(body ++ header with the checksum zeroed), as the writer computed it.</summary>
    public Hash256 ComputeChecksum()
    {
        var hasher = new Keccak256Hasher();
        long bodyLength = Header.FileLength - SketchStoreHeader.Size;
        for (long off = 0; off < bodyLength; off += 1 << 30)
            hasher.Update(new ReadOnlySpan<byte>(_base + SketchStoreHeader.Size + off, (int)Math.Min(1 << 30, bodyLength - off)));
        Span<byte> header = stackalloc byte[SketchStoreHeader.Size];
        Header.Write(header, zeroChecksum: true);
        hasher.Update(header);
        return hasher.Finish();
    }

    /// <summary>Pointer to the first row; rows are K bytes each, contiguous. Valid while the store is open.</summary>
    public sbyte* RowsPointer => (sbyte*)(_base + SketchStoreHeader.Size);

    public ReadOnlySpan<sbyte> Row(long index)
    {
        Check(index);
        return new ReadOnlySpan<sbyte>(RowsPointer + index * K, K);
    }

    public int Scale(long index)
    {
        Check(index);
        return BinaryPrimitives.ReadInt32LittleEndian(new ReadOnlySpan<byte>(_base + Header.ScalesOffset + index * 4, 4));
    }

    public ulong ContributionId(long index)
    {
        Check(index);
        return BinaryPrimitives.ReadUInt64LittleEndian(new ReadOnlySpan<byte>(_base + Header.IdsOffset + index * 8, 8));
    }

    /// <summary>All scales, viewed in place (little-endian hosts only, which is every .NET target we ship).</summary>
    public ReadOnlySpan<int> Scales => BitConverter.IsLittleEndian
        ? new ReadOnlySpan<int>(_base + Header.ScalesOffset, checked((int)Count))
        : throw new PlatformNotSupportedException("big-endian hosts are not supported");

    public ReadOnlySpan<ulong> ContributionIds => BitConverter.IsLittleEndian
        ? new ReadOnlySpan<ulong>(_base + Header.IdsOffset, checked((int)Count))
        : throw new PlatformNotSupportedException("big-endian hosts are not supported");

    public Sketch GetSketch(long index) => new(Row(index).ToArray(), Scale(index));

    private void Check(long index)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if ((ulong)index >= (ulong)Count) throw new ArgumentOutOfRangeException(nameof(index), $"row {index} does not exist; the store has {Count}");
    }

    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        _view.SafeMemoryMappedViewHandle.ReleasePointer();
        _view.Dispose();
        _map.Dispose();
    }
}
