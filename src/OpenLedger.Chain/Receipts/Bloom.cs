using OpenLedger.Primitives;
using OpenLedger.State.World;

namespace OpenLedger.Chain.Receipts;

/// <summary>The 2048-bit logs bloom of the Yellow Paper (M3:2048): three 11-bit indices from keccak of each address and topic.</summary>
public sealed class Bloom : IEquatable<Bloom>
{
    public const int ByteLength = 256;
    private readonly byte[] _bits;

    public Bloom() => _bits = new byte[ByteLength];

    public Bloom(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length != ByteLength) throw new ArgumentException($"a bloom is {ByteLength} bytes, got {bytes.Length}");
        _bits = bytes.ToArray();
    }

    public ReadOnlySpan<byte> Bytes => _bits;

    public static Bloom FromLogs(IEnumerable<LogEntry> logs)
    {
        var b = new Bloom();
        foreach (var log in logs) b.Add(log);
        return b;
    }

    public void Add(LogEntry log)
    {
        AddEntry(log.Address.Bytes);
        foreach (var t in log.Topics) AddEntry(t.Bytes);
    }

    public void Accumulate(Bloom other)
    {
        for (int i = 0; i < ByteLength; i++) _bits[i] |= other._bits[i];
    }

    public void AddEntry(ReadOnlySpan<byte> data)
    {
        Span<byte> h = stackalloc byte[32];
        Keccak256.Hash(data, h);
        for (int i = 0; i < 6; i += 2)
        {
            int bit = ((h[i] << 8) | h[i + 1]) & 2047;
            _bits[ByteLength - 1 - bit / 8] |= (byte)(1 << (bit % 8));
        }
    }

    /// <summary>True when the data may be in the set (blooms have false positives, never false negatives).</summary>
    public bool MayContain(ReadOnlySpan<byte> data)
    {
        Span<byte> h = stackalloc byte[32];
        Keccak256.Hash(data, h);
        for (int i = 0; i < 6; i += 2)
        {
            int bit = ((h[i] << 8) | h[i + 1]) & 2047;
            if ((_bits[ByteLength - 1 - bit / 8] & (1 << (bit % 8))) == 0) return false;
        }
        return true;
    }

    public bool Equals(Bloom? other) => other is not null && _bits.AsSpan().SequenceEqual(other._bits);
    public override bool Equals(object? obj) => Equals(obj as Bloom);
    public override int GetHashCode() => HashCode.Combine(_bits[0], _bits[64], _bits[128], _bits[255]);
    public override string ToString() => Hex.Encode(_bits);
}
