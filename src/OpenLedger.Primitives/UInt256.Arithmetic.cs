using System.Runtime.CompilerServices;

namespace OpenLedger.Primitives;

// Wrapping add/sub/mul/exp and their overflow-reporting forms.
public readonly partial struct UInt256
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static ulong AddCarry(ulong x, ulong y, ref ulong carry)
    {
        ulong s = x + y;
        ulong c = s < x ? 1UL : 0UL;
        ulong r = s + carry;
        carry = c | (r < s ? 1UL : 0UL);
        return r;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static ulong SubBorrow(ulong x, ulong y, ref ulong borrow)
    {
        ulong d = x - y;
        ulong b = x < y ? 1UL : 0UL;
        ulong r = d - borrow;
        borrow = b | (d < borrow ? 1UL : 0UL);
        return r;
    }

    /// <summary>Low 64 bits of x*y + add + carry; the high 64 bits go to carry (cannot overflow 128 bits).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static ulong MulAdd(ulong x, ulong y, ulong add, ref ulong carry)
    {
        ulong hi = Math.BigMul(x, y, out ulong lo);
        lo += add;
        hi += lo < add ? 1UL : 0UL;
        lo += carry;
        hi += lo < carry ? 1UL : 0UL;
        carry = hi;
        return lo;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Add(in UInt256 a, in UInt256 b, out UInt256 res) => AddOverflow(a, b, out res);

    /// <summary>res = a + b mod 2^256; returns true when the true sum exceeded 2^256 - 1.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool AddOverflow(in UInt256 a, in UInt256 b, out UInt256 res)
    {
        ulong carry = 0;
        ulong r0 = AddCarry(a.u0, b.u0, ref carry);
        ulong r1 = AddCarry(a.u1, b.u1, ref carry);
        ulong r2 = AddCarry(a.u2, b.u2, ref carry);
        ulong r3 = AddCarry(a.u3, b.u3, ref carry);
        res = new UInt256(r0, r1, r2, r3);
        return carry != 0;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Subtract(in UInt256 a, in UInt256 b, out UInt256 res) => SubtractUnderflow(a, b, out res);

    /// <summary>res = a - b mod 2^256; returns true when b &gt; a.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool SubtractUnderflow(in UInt256 a, in UInt256 b, out UInt256 res)
    {
        ulong borrow = 0;
        ulong r0 = SubBorrow(a.u0, b.u0, ref borrow);
        ulong r1 = SubBorrow(a.u1, b.u1, ref borrow);
        ulong r2 = SubBorrow(a.u2, b.u2, ref borrow);
        ulong r3 = SubBorrow(a.u3, b.u3, ref borrow);
        res = new UInt256(r0, r1, r2, r3);
        return borrow != 0;
    }

    /// <summary>res = a * b mod 2^256 (only the products that land in the low four limbs are formed).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Multiply(in UInt256 a, in UInt256 b, out UInt256 res)
    {
        // One operand of 64 bits (a constant factor, an index): four products instead of ten.
        if ((a.u1 | a.u2 | a.u3) == 0) { MultiplyBy64(b, a.u0, out res); return; }
        if ((b.u1 | b.u2 | b.u3) == 0) { MultiplyBy64(a, b.u0, out res); return; }
        ulong a0 = a.u0, a1 = a.u1, a2 = a.u2, a3 = a.u3;
        ulong b0 = b.u0, b1 = b.u1, b2 = b.u2, b3 = b.u3;
        ulong c = 0;
        ulong r0 = MulAdd(a0, b0, 0, ref c);
        ulong r1 = MulAdd(a0, b1, 0, ref c);
        ulong r2 = MulAdd(a0, b2, 0, ref c);
        ulong r3 = a0 * b3 + c;
        c = 0;
        r1 = MulAdd(a1, b0, r1, ref c);
        r2 = MulAdd(a1, b1, r2, ref c);
        r3 += a1 * b2 + c;
        c = 0;
        r2 = MulAdd(a2, b0, r2, ref c);
        r3 += a2 * b1 + c;
        r3 += a3 * b0;
        res = new UInt256(r0, r1, r2, r3);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void MultiplyBy64(in UInt256 x, ulong y, out UInt256 res)
    {
        ulong c = 0;
        ulong r0 = MulAdd(x.u0, y, 0, ref c);
        ulong r1 = MulAdd(x.u1, y, 0, ref c);
        ulong r2 = MulAdd(x.u2, y, 0, ref c);
        ulong r3 = x.u3 * y + c;
        res = new UInt256(r0, r1, r2, r3);
    }

    /// <summary>The full 512-bit product, little-endian limbs into the 8 limbs at <paramref name="r8"/>.</summary>
    internal static void MultiplyFull(in UInt256 a, in UInt256 b, ref ulong r8)
    {
        ref ulong x = ref Unsafe.AsRef(in a.u0);
        ref ulong y = ref Unsafe.AsRef(in b.u0);
        for (int i = 0; i < 8; i++) Unsafe.Add(ref r8, i) = 0;
        for (int i = 0; i < 4; i++)
        {
            ulong c = 0;
            ulong xi = Unsafe.Add(ref x, i);
            ref ulong row = ref Unsafe.Add(ref r8, i);
            for (int j = 0; j < 4; j++)
                Unsafe.Add(ref row, j) = MulAdd(xi, Unsafe.Add(ref y, j), Unsafe.Add(ref row, j), ref c);
            Unsafe.Add(ref row, 4) = c;
        }
    }

    /// <summary>res = a * b mod 2^256; returns true when the true product exceeded 2^256 - 1.</summary>
    [SkipLocalsInit]
    public static bool MultiplyOverflow(in UInt256 a, in UInt256 b, out UInt256 res)
    {
        Unsafe.SkipInit(out Limbs8 p);
        MultiplyFull(a, b, ref p[0]);
        res = new UInt256(p[0], p[1], p[2], p[3]);
        return (p[4] | p[5] | p[6] | p[7]) != 0;
    }

    /// <summary>res = base^exponent mod 2^256 (EVM EXP), square-and-multiply over the exponent's bits.</summary>
    public static void Exp(in UInt256 @base, in UInt256 exponent, out UInt256 res)
    {
        UInt256 result = One;
        UInt256 b = @base;
        int bits = exponent.BitLength;
        for (int i = 0; i < bits; i++)
        {
            if (exponent.Bit(i)) Multiply(result, b, out result);
            if (i + 1 < bits) Multiply(b, b, out b);
        }
        res = result;
    }

    /// <summary>Two's complement negation: 0 - a mod 2^256.</summary>
    public static void Negate(in UInt256 a, out UInt256 res) => Subtract(Zero, a, out res);

    public static UInt256 Negate(in UInt256 a)
    {
        Negate(a, out var r);
        return r;
    }

    /// <summary>Bit i (0 = least significant); false for i outside 0..255.</summary>
    public bool Bit(int i) => (uint)i < 256 && ((Limb(i >> 6) >> (i & 63)) & 1) != 0;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal ulong Limb(int i) => i switch { 0 => u0, 1 => u1, 2 => u2, 3 => u3, _ => 0 };

    public static UInt256 Exp(in UInt256 @base, in UInt256 exponent)
    {
        Exp(@base, exponent, out var r);
        return r;
    }

    public static UInt256 operator +(in UInt256 a, in UInt256 b) { Add(a, b, out var r); return r; }
    public static UInt256 operator -(in UInt256 a, in UInt256 b) { Subtract(a, b, out var r); return r; }
    public static UInt256 operator *(in UInt256 a, in UInt256 b) { Multiply(a, b, out var r); return r; }
    public static UInt256 operator ++(in UInt256 a) { Add(a, One, out var r); return r; }
    public static UInt256 operator --(in UInt256 a) { Subtract(a, One, out var r); return r; }
}
