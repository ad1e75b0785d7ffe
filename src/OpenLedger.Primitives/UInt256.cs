using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace OpenLedger.Primitives;

/// <summary>
/// Unsigned 256-bit integer, the EVM word. Four 64-bit limbs, <see cref="u0"/> least significant.
/// Arithmetic wraps modulo 2^256 (EVM semantics); division by zero yields zero. The static
/// methods taking <c>in</c>/<c>out</c> are the allocation-free hot path; the operators call them.
/// </summary>
[StructLayout(LayoutKind.Sequential)]
public readonly partial struct UInt256 : IEquatable<UInt256>, IComparable<UInt256>, IComparable
{
#pragma warning disable IDE1006 // lowercase limb names mirror the EVM literature (u0..u3)
    public readonly ulong u0, u1, u2, u3;
#pragma warning restore IDE1006

    public static readonly UInt256 Zero = default;
    public static readonly UInt256 One = new(1);
    public static readonly UInt256 MaxValue = new(ulong.MaxValue, ulong.MaxValue, ulong.MaxValue, ulong.MaxValue);

    // AggressiveInlining: trivial, but the interpreter's big dispatch method exhausts the JIT's inlining budget otherwise.
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public UInt256(ulong value) { u0 = value; u1 = 0; u2 = 0; u3 = 0; }

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public UInt256(ulong u0, ulong u1, ulong u2, ulong u3)
    {
        this.u0 = u0;
        this.u1 = u1;
        this.u2 = u2;
        this.u3 = u3;
    }

    public bool IsZero => (u0 | u1 | u2 | u3) == 0;
    public bool IsOne => (u0 ^ 1 | u1 | u2 | u3) == 0;

    /// <summary>True when the value is below 2^64, so <c>(ulong)x</c> succeeds.</summary>
    public bool IsUlong => (u1 | u2 | u3) == 0;
    /// <inheritdoc cref="IsUlong"/>
    public bool FitsInUlong => IsUlong;

    /// <summary>Bit 255 set: negative when read as two's complement.</summary>
    public bool IsNegative => (long)u3 < 0;

    /// <summary>Number of significant bits (0 for zero).</summary>
    public int BitLength =>
        u3 != 0 ? 256 - System.Numerics.BitOperations.LeadingZeroCount(u3) :
        u2 != 0 ? 192 - System.Numerics.BitOperations.LeadingZeroCount(u2) :
        u1 != 0 ? 128 - System.Numerics.BitOperations.LeadingZeroCount(u1) :
        64 - System.Numerics.BitOperations.LeadingZeroCount(u0);

    /// <summary>Number of significant bytes (0 for zero): the length of the minimal big-endian form.</summary>
    public int ByteLength => (BitLength + 7) >> 3;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool Equals(UInt256 other) => ((u0 ^ other.u0) | (u1 ^ other.u1) | (u2 ^ other.u2) | (u3 ^ other.u3)) == 0;

    public override bool Equals(object? obj) => obj is UInt256 other && Equals(other);

    public override int GetHashCode() => WordHash.Of(u0, u1, u2, u3);

    public int CompareTo(UInt256 other) =>
        u3 != other.u3 ? (u3 < other.u3 ? -1 : 1) :
        u2 != other.u2 ? (u2 < other.u2 ? -1 : 1) :
        u1 != other.u1 ? (u1 < other.u1 ? -1 : 1) :
        u0 != other.u0 ? (u0 < other.u0 ? -1 : 1) : 0;

    public int CompareTo(object? obj) => obj switch
    {
        null => 1,
        UInt256 other => CompareTo(other),
        _ => throw new ArgumentException("object is not a UInt256", nameof(obj)),
    };

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool LessThan(in UInt256 a, in UInt256 b)
    {
        if (a.u3 != b.u3) return a.u3 < b.u3;
        if (a.u2 != b.u2) return a.u2 < b.u2;
        if (a.u1 != b.u1) return a.u1 < b.u1;
        return a.u0 < b.u0;
    }

    /// <summary>Two's complement a &lt; b (EVM SLT).</summary>
    public static bool SignedLessThan(in UInt256 a, in UInt256 b)
    {
        bool an = a.IsNegative, bn = b.IsNegative;
        // Same sign: two's complement order equals unsigned order.
        return an == bn ? LessThan(a, b) : an;
    }

    /// <summary>Two's complement a &gt; b (EVM SGT).</summary>
    public static bool SignedGreaterThan(in UInt256 a, in UInt256 b) => SignedLessThan(b, a);

    public static bool operator ==(in UInt256 a, in UInt256 b) => a.Equals(b);
    public static bool operator !=(in UInt256 a, in UInt256 b) => !a.Equals(b);
    public static bool operator <(in UInt256 a, in UInt256 b) => LessThan(a, b);
    public static bool operator >(in UInt256 a, in UInt256 b) => LessThan(b, a);
    public static bool operator <=(in UInt256 a, in UInt256 b) => !LessThan(b, a);
    public static bool operator >=(in UInt256 a, in UInt256 b) => !LessThan(a, b);

    public static UInt256 Min(in UInt256 a, in UInt256 b) => LessThan(b, a) ? b : a;
    public static UInt256 Max(in UInt256 a, in UInt256 b) => LessThan(a, b) ? b : a;
}
