using System.Buffers.Binary;
using OpenLedger.Primitives;

namespace OpenLedger.Attribution.Sketching;

/// <summary>Streams sketches into a store file: rows go straight to disk, scales and ids follow at <see cref="Complete"/>.</summary>
public sealed class SketchStoreWriter : IDisposable
{
    private readonly FileStream _file;
    private readonly Keccak256Hasher _hasher = new();
    private readonly List<int> _scales = new();
    private readonly List<ulong> _ids = new();
    private readonly HashSet<ulong> _seen = new();
    private readonly int _k;
    private readonly ulong _seed;
    private readonly int _shift;
    private readonly Hash256 _modelId;
    private bool _completed;

    public SketchStoreWriter(string path, int k, ulong seed, Hash256 modelId, int scaleShift = SketchQuantizer.DefaultScaleShift)
    {
        if (k <= 0 || k % 32 != 0) throw new ArgumentOutOfRangeException(nameof(k), $"k must be a positive multiple of 32, got {k}");
        if (scaleShift is < 0 or > 62) throw new ArgumentOutOfRangeException(nameof(scaleShift), "the scale shift must lie in [0, 62]");
        _k = k; _seed = seed; _shift = scaleShift; _modelId = modelId;
        _file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 20);
        _file.Write(new byte[SketchStoreHeader.Size]); // placeholder until the count and checksum are known
    }

    public long Count => _ids.Count;

    /// <summary>The gradients' length, recorded in the header so queries with another length are refused (0 = not recorded).</summary>
    public int GradientDimension { get; set; }

    public void Append(ulong contributionId, Sketch sketch)
    {
        ArgumentNullException.ThrowIfNull(sketch);
        if (_completed) throw new InvalidOperationException("the store is already complete");
        if (sketch.Dimension != _k) throw new ArgumentException($"sketch has {sketch.Dimension} entries; the store holds k = {_k}", nameof(sketch));
        if (!_seen.Add(contributionId)) throw new ArgumentException($"contribution {contributionId} already has a sketch", nameof(contributionId));
        var bytes = System.Runtime.InteropServices.MemoryMarshal.AsBytes(sketch.Values.AsSpan());
        _file.Write(bytes);
        _hasher.Update(bytes);
        _scales.Add(sketch.Scale);
        _ids.Add(contributionId);
    }

    /// <summary>Writes scales, ids and the header with its checksum; returns the header.</summary>
    public SketchStoreHeader Complete()
    {
        if (_completed) throw new InvalidOperationException("the store is already complete");
        _completed = true;
        var buf = new byte[Math.Max(8, _ids.Count * 8)];
        for (int i = 0; i < _scales.Count; i++) BinaryPrimitives.WriteInt32LittleEndian(buf.AsSpan(i * 4), _scales[i]);
        _file.Write(buf, 0, _scales.Count * 4);
        _hasher.Update(buf.AsSpan(0, _scales.Count * 4));
        for (int i = 0; i < _ids.Count; i++) BinaryPrimitives.WriteUInt64LittleEndian(buf.AsSpan(i * 8), _ids[i]);
        _file.Write(buf, 0, _ids.Count * 8);
        _hasher.Update(buf.AsSpan(0, _ids.Count * 8));

        var header = new SketchStoreHeader(_k, _seed, _shift, _ids.Count, _modelId, default) { GradientDimension = GradientDimension };
        var headerBytes = new byte[SketchStoreHeader.Size];
        header.Write(headerBytes, zeroChecksum: true);
        _hasher.Update(headerBytes);
        header = header with { Checksum = _hasher.Finish() };
        header.Write(headerBytes, zeroChecksum: false);
        _file.Position = 0;
        _file.Write(headerBytes);
        _file.Flush(true);
        _file.Dispose();
        return header;
    }

    public void Dispose()
    {
        _file.Dispose();
    }
}
