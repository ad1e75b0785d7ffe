using System.Buffers.Binary;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace OpenLedger.AI.Tensors;

public enum TensorDType { F32, F16, BF16 }

public sealed record TensorInfo(string Name, TensorDType DType, int[] Shape, long Begin, long End)
{
    public long ElementCount => Shape.Aggregate(1L, (a, b) => a * b);
}

/// <summary>
/// Reads a safetensors file: little-endian u64 header length, a JSON header (name → dtype, shape, data_offsets),
/// then the tensor bytes. Every header field is checked before any data is read; F32, F16 and BF16 convert to float.
/// </summary>
public sealed class SafeTensorsFile : IDisposable
{
    private readonly FileStream _file;
    private readonly long _dataStart;
    public string Path { get; }
    public IReadOnlyDictionary<string, TensorInfo> Tensors { get; }
    public IReadOnlyDictionary<string, string> Metadata { get; }

    private SafeTensorsFile(string path, FileStream file, long dataStart, Dictionary<string, TensorInfo> tensors, Dictionary<string, string> metadata)
    {
        Path = path; _file = file; _dataStart = dataStart; Tensors = tensors; Metadata = metadata;
    }

    public static SafeTensorsFile Open(string path)
    {
        var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        try
        {
            Span<byte> len = stackalloc byte[8];
            if (file.Read(len) != 8) throw new InvalidDataException($"{path}: shorter than the 8-byte safetensors header length");
            ulong n = BinaryPrimitives.ReadUInt64LittleEndian(len);
            if (n > 100_000_000 || (long)n > file.Length - 8) throw new InvalidDataException($"{path}: header length {n} is larger than the file");
            var json = new byte[n];
            file.ReadExactly(json);
            long dataStart = 8 + (long)n, dataLen = file.Length - dataStart;
            JsonObject root;
            try { root = JsonNode.Parse(json)?.AsObject() ?? throw new InvalidDataException("null header"); }
            catch (JsonException e) { throw new InvalidDataException($"{path}: the safetensors header is not JSON: {e.Message}"); }
            var tensors = new Dictionary<string, TensorInfo>(StringComparer.Ordinal);
            var meta = new Dictionary<string, string>();
            foreach (var (name, node) in root)
            {
                if (name == "__metadata__")
                {
                    if (node is JsonObject mo) foreach (var (k, v) in mo) meta[k] = v?.GetValue<string>() ?? "";
                    continue;
                }
                if (node is not JsonObject o) throw new InvalidDataException($"{path}: tensor '{name}' header is not an object");
                string dt = o["dtype"]?.GetValue<string>() ?? throw new InvalidDataException($"{path}: tensor '{name}' has no dtype");
                var dtype = dt switch
                {
                    "F32" => TensorDType.F32, "F16" => TensorDType.F16, "BF16" => TensorDType.BF16,
                    _ => throw new InvalidDataException($"{path}: tensor '{name}' has dtype {dt}; supported are F32, F16, BF16"),
                };
                var shape = (o["shape"] as JsonArray ?? throw new InvalidDataException($"{path}: tensor '{name}' has no shape")).Select(s => s!.GetValue<int>()).ToArray();
                if (shape.Any(s => s < 0)) throw new InvalidDataException($"{path}: tensor '{name}' has a negative dimension");
                var off = o["data_offsets"] as JsonArray ?? throw new InvalidDataException($"{path}: tensor '{name}' has no data_offsets");
                if (off.Count != 2) throw new InvalidDataException($"{path}: tensor '{name}' data_offsets must have two entries");
                long b = off[0]!.GetValue<long>(), e = off[1]!.GetValue<long>();
                var info = new TensorInfo(name, dtype, shape, b, e);
                long expect = info.ElementCount * ElementSize(dtype);
                if (b < 0 || e < b || e > dataLen) throw new InvalidDataException($"{path}: tensor '{name}' data_offsets [{b}, {e}] lie outside the {dataLen}-byte data section");
                if (e - b != expect) throw new InvalidDataException($"{path}: tensor '{name}' of shape [{string.Join(", ", shape)}] {dt} needs {expect} bytes, data_offsets give {e - b}");
                tensors[name] = info;
            }
            return new SafeTensorsFile(path, file, dataStart, tensors, meta);
        }
        catch { file.Dispose(); throw; }
    }

    public static int ElementSize(TensorDType t) => t == TensorDType.F32 ? 4 : 2;

    /// <summary>Reads a tensor as float32, checking its shape when one is expected.</summary>
    public float[] ReadFloat(string name, int[]? expectedShape = null)
    {
        if (!Tensors.TryGetValue(name, out var info)) throw new KeyNotFoundException($"{Path}: tensor '{name}' is missing");
        if (expectedShape != null && !expectedShape.SequenceEqual(info.Shape))
            throw new InvalidDataException($"{Path}: tensor '{name}' has shape [{string.Join(", ", info.Shape)}], the config needs [{string.Join(", ", expectedShape)}]");
        var result = new float[info.ElementCount];
        var bytes = new byte[info.End - info.Begin];
        lock (_file)
        {
            _file.Position = _dataStart + info.Begin;
            _file.ReadExactly(bytes);
        }
        Convert(bytes, info.DType, result);
        return result;
    }

    public static void Convert(ReadOnlySpan<byte> bytes, TensorDType dtype, Span<float> dst)
    {
        switch (dtype)
        {
            case TensorDType.F32:
                for (int i = 0; i < dst.Length; i++) dst[i] = BinaryPrimitives.ReadSingleLittleEndian(bytes[(i * 4)..]);
                break;
            case TensorDType.F16:
                for (int i = 0; i < dst.Length; i++) dst[i] = (float)BitConverter.UInt16BitsToHalf(BinaryPrimitives.ReadUInt16LittleEndian(bytes[(i * 2)..]));
                break;
            case TensorDType.BF16:
                for (int i = 0; i < dst.Length; i++) dst[i] = BitConverter.Int32BitsToSingle(BinaryPrimitives.ReadUInt16LittleEndian(bytes[(i * 2)..]) << 16);
                break;
        }
    }

    public void Dispose() => _file.Dispose();
}

/// <summary>Writes a safetensors file atomically (temporary file, then rename), converting float data to the chosen dtype.</summary>
public static class SafeTensorsWriter
{
    public sealed record Entry(string Name, int[] Shape, float[] Data, TensorDType DType = TensorDType.F32);

    public static void Write(string path, IEnumerable<Entry> entries, IReadOnlyDictionary<string, string>? metadata = null)
    {
        var list = entries.ToList();
        var header = new JsonObject();
        if (metadata is { Count: > 0 })
        {
            var m = new JsonObject();
            foreach (var (k, v) in metadata) m[k] = v;
            header["__metadata__"] = m;
        }
        long offset = 0;
        foreach (var e in list)
        {
            long count = e.Shape.Aggregate(1L, (a, b) => a * b);
            if (count != e.Data.Length) throw new ArgumentException($"tensor '{e.Name}': shape [{string.Join(", ", e.Shape)}] holds {count} values, data has {e.Data.Length}");
            long size = count * SafeTensorsFile.ElementSize(e.DType);
            header[e.Name] = new JsonObject
            {
                ["dtype"] = e.DType.ToString(),
                ["shape"] = new JsonArray(e.Shape.Select(s => (JsonNode)s).ToArray()),
                ["data_offsets"] = new JsonArray(offset, offset + size),
            };
            offset += size;
        }
        var json = Encoding.UTF8.GetBytes(header.ToJsonString());
        int pad = (8 - json.Length % 8) % 8;
        string tmp = path + ".tmp";
        using (var f = new FileStream(tmp, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 20))
        {
            Span<byte> len = stackalloc byte[8];
            BinaryPrimitives.WriteUInt64LittleEndian(len, (ulong)(json.Length + pad));
            f.Write(len);
            f.Write(json);
            for (int i = 0; i < pad; i++) f.WriteByte((byte)' ');
            var buf = new byte[1 << 16];
            foreach (var e in list)
            {
                int es = SafeTensorsFile.ElementSize(e.DType), per = buf.Length / es;
                for (int i = 0; i < e.Data.Length; i += per)
                {
                    int c = Math.Min(per, e.Data.Length - i);
                    for (int j = 0; j < c; j++)
                    {
                        float v = e.Data[i + j];
                        switch (e.DType)
                        {
                            case TensorDType.F32: BinaryPrimitives.WriteSingleLittleEndian(buf.AsSpan(j * 4), v); break;
                            case TensorDType.F16: BinaryPrimitives.WriteUInt16LittleEndian(buf.AsSpan(j * 2), BitConverter.HalfToUInt16Bits((Half)v)); break;
                            case TensorDType.BF16: BinaryPrimitives.WriteUInt16LittleEndian(buf.AsSpan(j * 2), ToBf16(v)); break;
                        }
                    }
                    f.Write(buf, 0, c * es);
                }
            }
            f.Flush(true);
        }
        File.Move(tmp, path, overwrite: true);
    }

    /// <summary>float → bfloat16 with round-to-nearest-even (NaN kept quiet).</summary>
    public static ushort ToBf16(float v)
    {
        uint bits = BitConverter.SingleToUInt32Bits(v);
        if (float.IsNaN(v)) return (ushort)((bits >> 16) | 0x40);
        uint rounding = 0x7FFF + ((bits >> 16) & 1);
        return (ushort)((bits + rounding) >> 16);
    }
}

/// <summary>All tensors of a model directory: one model.safetensors, a sharded set behind model.safetensors.index.json, or any *.safetensors.</summary>
public sealed class SafeTensorsSet : IDisposable
{
    private readonly Dictionary<string, SafeTensorsFile> _byTensor = new(StringComparer.Ordinal);
    private readonly List<SafeTensorsFile> _files = new();

    public SafeTensorsSet(string directory)
    {
        string index = System.IO.Path.Combine(directory, "model.safetensors.index.json");
        if (File.Exists(index))
        {
            var map = JsonNode.Parse(File.ReadAllText(index))?["weight_map"] as JsonObject
                ?? throw new InvalidDataException($"{index}: no weight_map object");
            var opened = new Dictionary<string, SafeTensorsFile>();
            foreach (var (name, fileNode) in map)
            {
                string file = fileNode?.GetValue<string>() ?? throw new InvalidDataException($"{index}: tensor '{name}' maps to no file");
                if (file.Contains('/') || file.Contains('\\') || file.Contains("..")) throw new InvalidDataException($"{index}: shard name '{file}' must be a file in the model directory");
                if (!opened.TryGetValue(file, out var st))
                {
                    string p = System.IO.Path.Combine(directory, file);
                    if (!File.Exists(p)) throw new FileNotFoundException($"{index}: shard '{file}' is missing", p);
                    st = SafeTensorsFile.Open(p); opened[file] = st; _files.Add(st);
                }
                if (!st.Tensors.ContainsKey(name)) throw new InvalidDataException($"{index}: tensor '{name}' is not in shard '{file}'");
                _byTensor[name] = st;
            }
        }
        else
        {
            var files = Directory.GetFiles(directory, "*.safetensors").Order(StringComparer.Ordinal).ToList();
            if (files.Count == 0) throw new FileNotFoundException($"{directory}: no *.safetensors file");
            foreach (var p in files)
            {
                var st = SafeTensorsFile.Open(p); _files.Add(st);
                foreach (var name in st.Tensors.Keys)
                    if (!_byTensor.TryAdd(name, st)) throw new InvalidDataException($"{directory}: tensor '{name}' appears in two files");
            }
        }
    }

    public bool Contains(string name) => _byTensor.ContainsKey(name);
    public IEnumerable<string> Names => _byTensor.Keys;
    public TensorInfo Info(string name) => _byTensor.TryGetValue(name, out var f) ? f.Tensors[name] : throw new KeyNotFoundException($"tensor '{name}' is missing from the checkpoint");

    public float[] Read(string name, int[] shape) =>
        _byTensor.TryGetValue(name, out var f) ? f.ReadFloat(name, shape) : throw new KeyNotFoundException($"tensor '{name}' is missing from the checkpoint");

    public void Dispose() { foreach (var f in _files) f.Dispose(); }
}
