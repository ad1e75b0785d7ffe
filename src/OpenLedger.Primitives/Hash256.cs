using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace OpenLedger.Primitives;

/// <summary>A 32-byte hash (Keccak-256 output, storage keys, roots). Held inline as four words so equality is four compares.</summary>
[StructLayout(LayoutKind.Sequential)]
public readonly struct Hash256 : IEquatable<Hash256>, IComparable<Hash256>
{
    public const int Length = 32;

    // Raw bytes in memory order (not numeric limbs).
    private readonly ulong _b0, _b1, _b2, _b3;

    public static readonly Hash256 Zero = default;

    public Hash256(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length != Length)
            throw new ArgumentException($"Hash256 needs exactly {Length} bytes, got {bytes.Length}", nameof(bytes));
        _b0 = MemoryMarshal.Read<ulong>(bytes);
        _b1 = MemoryMarshal.Read<ulong>(bytes[8..]);
        _b2 = MemoryMarshal.Read<ulong>(bytes[16..]);
        _b3 = MemoryMarshal.Read<ulong>(bytes[24..]);
    }

    /// <summary>The 32 bytes, viewed in place (valid while this value lives).</summary>
    [UnscopedRef]
    public ReadOnlySpan<byte> Bytes => MemoryMarshal.AsBytes(MemoryMarshal.CreateReadOnlySpan(in _b0, 4));

    public bool IsZero => (_b0 | _b1 | _b2 | _b3) == 0;

    public byte[] ToArray() => Bytes.ToArray();

    public void WriteTo(Span<byte> destination)
    {
        if (destination.Length < Length)
            throw new ArgumentException($"destination holds {destination.Length} bytes, Hash256 needs {Length}", nameof(destination));
        MemoryMarshal.Write(destination, in _b0);
        MemoryMarshal.Write(destination[8..], in _b1);
        MemoryMarshal.Write(destination[16..], in _b2);
        MemoryMarshal.Write(destination[24..], in _b3);
    }

    /// <summary>Parses 64 hex digits with an optional 0x prefix.</summary>
    public static Hash256 Parse(string hex)
    {
        ArgumentNullException.ThrowIfNull(hex);
        var digits = Hex.StripPrefix(hex);
        if (digits.Length != 2 * Length)
            throw new FormatException($"Hash256 needs {2 * Length} hex digits, got {digits.Length}");
        Span<byte> buf = stackalloc byte[Length];
        if (!Hex.TryDecode(digits, buf, out _))
            throw new FormatException("Hash256 contains a non-hex character");
        return new Hash256(buf);
    }

    public static bool TryParse([NotNullWhen(true)] string? hex, out Hash256 hash)
    {
        hash = default;
        if (hex == null) return false;
        var digits = Hex.StripPrefix(hex);
        Span<byte> buf = stackalloc byte[Length];
        if (digits.Length != 2 * Length || !Hex.TryDecode(digits, buf, out _)) return false;
        hash = new Hash256(buf);
        return true;
    }

    public bool Equals(Hash256 other) =>
        ((_b0 ^ other._b0) | (_b1 ^ other._b1) | (_b2 ^ other._b2) | (_b3 ^ other._b3)) == 0;

    public override bool Equals(object? obj) => obj is Hash256 h && Equals(h);

    // Hash output is already uniformly distributed; folding the words is enough.
    public override int GetHashCode() => (int)(_b0 ^ (_b0 >> 32) ^ _b1 ^ _b2 ^ _b3);

    /// <summary>Lexicographic byte order.</summary>
    public int CompareTo(Hash256 other) => Bytes.SequenceCompareTo(other.Bytes);

    public static bool operator ==(Hash256 a, Hash256 b) => a.Equals(b);
    public static bool operator !=(Hash256 a, Hash256 b) => !a.Equals(b);

    /// <summary>0x-prefixed lowercase hex.</summary>
    public override string ToString() => Hex.Encode(Bytes);
}
