using System.Buffers.Binary;
using System.Text;

namespace OpenLedger.AI.Export;

/// <summary>ggml tensor types we write.</summary>
public enum GgmlType : uint { F32 = 0, F16 = 1 }

/// <summary>
/// A GGUF v3 file (ggml's docs/gguf.md): little-endian header "GGUF", version 3, tensor count, metadata count; typed
/// key/value metadata; tensor infos (name, dims innermost first, ggml type, offset into the data section); the data
/// section aligned to general.alignment (32), each tensor at an aligned offset. Written to a temporary file and renamed.
/// </summary>
public sealed class GgufWriter
{
    public const uint Version = 3;
    public const int Alignment = 32;

    // gguf_type
    private enum ValueType : uint { UInt8 = 0, Int8 = 1, UInt16 = 2, Int16 = 3, UInt32 = 4, Int32 = 5, Float32 = 6, Bool = 7, String = 8, Array = 9, UInt64 = 10, Int64 = 11, Float64 = 12 }

    private readonly List<(string Key, Action<BinaryWriter> Write)> _kv = [];
    private readonly List<Tensor> _tensors = [];
    private readonly HashSet<string> _keys = new(StringComparer.Ordinal), _names = new(StringComparer.Ordinal);

    /// <summary>One tensor: ggml dims (ne[0] is the contiguous one, i.e. a row-major [rows, cols] matrix is {cols, rows}) and its values in row-major order.</summary>
    private sealed record Tensor(string Name, long[] Dims, GgmlType Type, ReadOnlyMemory<float> Data);

    public void Add(string key, string value) => AddKv(key, w => { w.Write((uint)ValueType.String); Str(w, value); });
    public void Add(string key, uint value) => AddKv(key, w => { w.Write((uint)ValueType.UInt32); w.Write(value); });
    public void Add(string key, int value) => AddKv(key, w => { w.Write((uint)ValueType.Int32); w.Write(value); });
    public void Add(string key, float value) => AddKv(key, w => { w.Write((uint)ValueType.Float32); w.Write(value); });
    public void Add(string key, bool value) => AddKv(key, w => { w.Write((uint)ValueType.Bool); w.Write((byte)(value ? 1 : 0)); });

    public void Add(string key, IReadOnlyList<string> values) => AddKv(key, w =>
    {
        w.Write((uint)ValueType.Array); w.Write((uint)ValueType.String); w.Write((ulong)values.Count);
        foreach (var v in values) Str(w, v);
    });

    public void Add(string key, IReadOnlyList<int> values) => AddKv(key, w =>
    {
        w.Write((uint)ValueType.Array); w.Write((uint)ValueType.Int32); w.Write((ulong)values.Count);
        foreach (var v in values) w.Write(v);
    });

    /// <summary>Adds a tensor given as HF shape (outermost first); its ggml dims are the reverse.</summary>
    public void AddTensor(string name, int[] hfShape, ReadOnlyMemory<float> data, GgmlType type)
    {
        if (!_names.Add(name)) throw new ArgumentException($"tensor {name} is added twice");
        long n = hfShape.Aggregate(1L, (a, d) => a * d);
        if (n != data.Length) throw new ArgumentException($"tensor {name}: shape [{string.Join(", ", hfShape)}] holds {n} values, got {data.Length}");
        _tensors.Add(new Tensor(name, hfShape.Reverse().Select(d => (long)d).ToArray(), type, data));
    }

    private void AddKv(string key, Action<BinaryWriter> write)
    {
        if (!_keys.Add(key)) throw new ArgumentException($"metadata key {key} is added twice");
        _kv.Add((key, write));
    }

    private static void Str(BinaryWriter w, string s)
    {
        var b = Encoding.UTF8.GetBytes(s);
        w.Write((ulong)b.Length);
        w.Write(b);
    }

    private static long Align(long x) => (x + Alignment - 1) / Alignment * Alignment;

    private static long ByteSize(Tensor t) => t.Data.Length * (t.Type == GgmlType.F32 ? 4L : 2L);

    public void Save(string path)
    {
        string tmp = path + ".tmp";
        using (var fs = new FileStream(tmp, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 20))
        using (var w = new BinaryWriter(fs, Encoding.UTF8, leaveOpen: true))
        {
            w.Write("GGUF"u8);
            w.Write(Version);
            w.Write((ulong)_tensors.Count);
            w.Write((ulong)(_kv.Count + 1));
            Str(w, "general.alignment"); w.Write((uint)ValueType.UInt32); w.Write((uint)Alignment);
            foreach (var (key, write) in _kv) { Str(w, key); write(w); }
            long offset = 0;
            foreach (var t in _tensors)
            {
                Str(w, t.Name);
                w.Write((uint)t.Dims.Length);
                foreach (var d in t.Dims) w.Write((ulong)d);
                w.Write((uint)t.Type);
                w.Write((ulong)offset);
                offset = Align(offset + ByteSize(t));
            }
            w.Flush();
            Pad(fs);
            long dataStart = fs.Position;
            var buf = new byte[1 << 16];
            foreach (var t in _tensors)
            {
                var span = t.Data.Span;
                int per = t.Type == GgmlType.F32 ? 4 : 2, chunk = buf.Length / per;
                for (int i = 0; i < span.Length; i += chunk)
                {
                    int n = Math.Min(chunk, span.Length - i);
                    for (int j = 0; j < n; j++)
                        if (per == 4) BinaryPrimitives.WriteSingleLittleEndian(buf.AsSpan(j * 4), span[i + j]);
                        else BinaryPrimitives.WriteHalfLittleEndian(buf.AsSpan(j * 2), (Half)span[i + j]);
                    fs.Write(buf, 0, n * per);
                }
                Pad(fs, dataStart);
            }
            fs.Flush(flushToDisk: true);
        }
        File.Move(tmp, path, overwrite: true);
    }

    private static void Pad(FileStream fs, long origin = 0)
    {
        long rel = fs.Position - origin;
        int pad = (int)(Align(rel) - rel);
        if (pad > 0) fs.Write(new byte[pad]);
    }
}
