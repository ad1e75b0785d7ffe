using System.Runtime.CompilerServices;

namespace OpenLedger.Primitives;

// Bitwise logic, shifts, SIGNEXTEND and BYTE.
public readonly partial struct UInt256
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void And(in UInt256 a, in UInt256 b, out UInt256 res) => res = new(a.u0 & b.u0, a.u1 & b.u1, a.u2 & b.u2, a.u3 & b.u3);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Or(in UInt256 a, in UInt256 b, out UInt256 res) => res = new(a.u0 | b.u0, a.u1 | b.u1, a.u2 | b.u2, a.u3 | b.u3);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Xor(in UInt256 a, in UInt256 b, out UInt256 res) => res = new(a.u0 ^ b.u0, a.u1 ^ b.u1, a.u2 ^ b.u2, a.u3 ^ b.u3);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Not(in UInt256 a, out UInt256 res) => res = new(~a.u0, ~a.u1, ~a.u2, ~a.u3);

    /// <summary>value &lt;&lt; shift; 0 for a shift of 256 or more (and for a negative shift).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void ShiftLeft(in UInt256 value, int shift, out UInt256 res)
    {
        if ((uint)shift >= 256) { res = Zero; return; }
        ulong v0 = value.u0, v1 = value.u1, v2 = value.u2, v3 = value.u3;
        // Whole limbs first, then the bits within a limb.
        switch (shift >> 6)
        {
            case 1: v3 = v2; v2 = v1; v1 = v0; v0 = 0; break;
            case 2: v3 = v1; v2 = v0; v1 = 0; v0 = 0; break;
            case 3: v3 = v0; v2 = 0; v1 = 0; v0 = 0; break;
        }
        int b = shift & 63;
        if (b != 0)
        {
            v3 = (v3 << b) | (v2 >> (64 - b));
            v2 = (v2 << b) | (v1 >> (64 - b));
            v1 = (v1 << b) | (v0 >> (64 - b));
            v0 <<= b;
        }
        res = new UInt256(v0, v1, v2, v3);
    }

    /// <summary>Logical value &gt;&gt; shift; 0 for a shift of 256 or more (and for a negative shift).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void ShiftRight(in UInt256 value, int shift, out UInt256 res)
    {
        if ((uint)shift >= 256) { res = Zero; return; }
        ulong v0 = value.u0, v1 = value.u1, v2 = value.u2, v3 = value.u3;
        switch (shift >> 6)
        {
            case 1: v0 = v1; v1 = v2; v2 = v3; v3 = 0; break;
            case 2: v0 = v2; v1 = v3; v2 = 0; v3 = 0; break;
            case 3: v0 = v3; v1 = 0; v2 = 0; v3 = 0; break;
        }
        int b = shift & 63;
        if (b != 0)
        {
            v0 = (v0 >> b) | (v1 << (64 - b));
            v1 = (v1 >> b) | (v2 << (64 - b));
            v2 = (v2 >> b) | (v3 << (64 - b));
            v3 >>= b;
        }
        res = new UInt256(v0, v1, v2, v3);
    }

    /// <summary>Arithmetic (sign-filling) value &gt;&gt; shift (EVM SAR); a shift of 256 or more gives 0 or all ones.</summary>
    public static void ShiftRightArithmetic(in UInt256 value, int shift, out UInt256 res)
    {
        if (!value.IsNegative) { ShiftRight(value, shift, out res); return; }
        if ((uint)shift >= 256) { res = MaxValue; return; }
        // For negative x: x >> n (arithmetic) == ~((~x) >> n) (logical).
        Not(value, out var inverted);
        ShiftRight(inverted, shift, out var shifted);
        Not(shifted, out res);
    }

    // EVM operand forms: the shift is itself a word; anything >= 256 saturates.
    public static void ShiftLeft(in UInt256 value, in UInt256 shift, out UInt256 res) => ShiftLeft(value, ShiftCount(shift), out res);
    public static void ShiftRight(in UInt256 value, in UInt256 shift, out UInt256 res) => ShiftRight(value, ShiftCount(shift), out res);
    public static void ShiftRightArithmetic(in UInt256 value, in UInt256 shift, out UInt256 res) => ShiftRightArithmetic(value, ShiftCount(shift), out res);

    private static int ShiftCount(in UInt256 shift) => shift.IsUlong && shift.u0 < 256 ? (int)shift.u0 : 256;

    /// <summary>
    /// EVM SIGNEXTEND: treats <paramref name="value"/> as a (byteIndex+1)-byte two's complement number and
    /// extends its sign bit (bit 8*byteIndex+7) upward. A byteIndex of 31 or more returns value unchanged.
    /// </summary>
    public static void SignExtend(in UInt256 byteIndex, in UInt256 value, out UInt256 res)
    {
        if (!byteIndex.IsUlong || byteIndex.u0 >= 31) { res = value; return; }
        int signBit = (int)byteIndex.u0 * 8 + 7;
        // mask = bits 0..signBit set
        ShiftLeft(One, signBit + 1, out var top);
        Subtract(top, One, out var mask);
        if (value.Bit(signBit))
        {
            Not(mask, out var high);
            Or(value, high, out res);
        }
        else And(value, mask, out res);
    }

    /// <summary>EVM BYTE: the index-th byte counting from the most significant (0..31), else 0.</summary>
    public static void Byte(in UInt256 index, in UInt256 value, out UInt256 res)
    {
        if (!index.IsUlong || index.u0 >= 32) { res = Zero; return; }
        int i = 31 - (int)index.u0; // byte position from the least significant end
        res = new UInt256((value.Limb(i >> 3) >> ((i & 7) * 8)) & 0xFF);
    }

    public static UInt256 SignExtend(in UInt256 byteIndex, in UInt256 value) { SignExtend(byteIndex, value, out var r); return r; }
    public static UInt256 Byte(in UInt256 index, in UInt256 value) { Byte(index, value, out var r); return r; }
    public static UInt256 ShiftRightArithmetic(in UInt256 value, int shift) { ShiftRightArithmetic(value, shift, out var r); return r; }

    public static UInt256 operator &(in UInt256 a, in UInt256 b) { And(a, b, out var r); return r; }
    public static UInt256 operator |(in UInt256 a, in UInt256 b) { Or(a, b, out var r); return r; }
    public static UInt256 operator ^(in UInt256 a, in UInt256 b) { Xor(a, b, out var r); return r; }
    public static UInt256 operator ~(in UInt256 a) { Not(a, out var r); return r; }
    public static UInt256 operator <<(in UInt256 a, int shift) { ShiftLeft(a, shift, out var r); return r; }
    public static UInt256 operator >>(in UInt256 a, int shift) { ShiftRight(a, shift, out var r); return r; }
}
