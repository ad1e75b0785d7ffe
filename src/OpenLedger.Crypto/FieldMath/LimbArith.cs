using System.Runtime.CompilerServices;

namespace OpenLedger.Crypto.FieldMath;

/// <summary>
/// Multi-precision arithmetic on little-endian ulong limbs, shared by the fixed-size curve fields and modexp.
/// </summary>
internal static class LimbArith
{
    /// <summary>Returns hi, sets lo, of a*b + c + d (never overflows 128 bits).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong MulAdd(ulong a, ulong b, ulong c, ulong d, out ulong lo)
    {
        // High half by mulx and low half by imul: Math.BigMul's out-parameter goes through a stack slot
        // (store and reload per product), which dominated the unrolled Montgomery loops.
        ulong hi = MulHigh(a, b);
        ulong l = a * b;
        l += c;
        hi += l < c ? 1UL : 0UL;
        l += d;
        hi += l < d ? 1UL : 0UL;
        lo = l;
        return hi;
    }

    /// <summary>The high 64 bits of a*b.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong MulHigh(ulong a, ulong b) =>
        System.Runtime.Intrinsics.X86.Bmi2.X64.IsSupported
            ? System.Runtime.Intrinsics.X86.Bmi2.X64.MultiplyNoFlags(a, b)
            : Math.BigMul(a, b, out _);

    /// <summary>r = a + b over n limbs; returns the carry out.</summary>
    public static ulong Add(Span<ulong> r, ReadOnlySpan<ulong> a, ReadOnlySpan<ulong> b)
    {
        ulong carry = 0;
        for (int i = 0; i < r.Length; i++)
        {
            ulong s = a[i] + carry;
            ulong c1 = s < carry ? 1UL : 0UL;
            ulong t = s + b[i];
            c1 += t < s ? 1UL : 0UL;
            r[i] = t;
            carry = c1;
        }
        return carry;
    }

    /// <summary>r = a - b over n limbs; returns the borrow out.</summary>
    public static ulong Sub(Span<ulong> r, ReadOnlySpan<ulong> a, ReadOnlySpan<ulong> b)
    {
        ulong borrow = 0;
        for (int i = 0; i < r.Length; i++)
        {
            ulong ai = a[i], bi = b[i];
            ulong d = ai - bi;
            ulong b1 = ai < bi ? 1UL : 0UL;
            ulong t = d - borrow;
            b1 += d < borrow ? 1UL : 0UL;
            r[i] = t;
            borrow = b1;
        }
        return borrow;
    }

    /// <summary>Compares equal-length numbers: -1, 0, 1.</summary>
    public static int Compare(ReadOnlySpan<ulong> a, ReadOnlySpan<ulong> b)
    {
        for (int i = a.Length - 1; i >= 0; i--)
        {
            if (a[i] != b[i]) return a[i] < b[i] ? -1 : 1;
        }
        return 0;
    }

    public static bool IsZero(ReadOnlySpan<ulong> a)
    {
        foreach (ulong x in a) if (x != 0) return false;
        return true;
    }

    /// <summary>-m^-1 mod 2^64 for odd m0 (Newton iteration: each step doubles the correct bits).</summary>
    public static ulong NegInverse64(ulong m0)
    {
        ulong inv = m0; // correct to 3 bits for odd m0
        for (int i = 0; i < 5; i++) inv *= 2 - m0 * inv;
        return unchecked(0 - inv);
    }

    /// <summary>
    /// Montgomery product r = a*b*2^(-64n) mod m (CIOS), inputs &lt; m, output &lt; m. t is scratch of n+2 limbs.
    /// r may alias a or b.
    /// </summary>
    public static void MontMul(Span<ulong> r, ReadOnlySpan<ulong> a, ReadOnlySpan<ulong> b, ReadOnlySpan<ulong> m, ulong n0, Span<ulong> t)
    {
        int n = m.Length;
        t = t[..(n + 2)];
        t.Clear();
        for (int i = 0; i < n; i++)
        {
            ulong c = 0, bi = b[i];
            for (int j = 0; j < n; j++) c = MulAdd(a[j], bi, t[j], c, out t[j]);
            ulong s = t[n] + c;
            t[n + 1] = s < c ? 1UL : 0UL;
            t[n] = s;

            ulong q = t[0] * n0;
            c = MulAdd(q, m[0], t[0], 0, out _);
            for (int j = 1; j < n; j++) c = MulAdd(q, m[j], t[j], c, out t[j - 1]);
            s = t[n] + c;
            t[n - 1] = s;
            t[n] = t[n + 1] + (s < c ? 1UL : 0UL);
        }
        // t < 2m: one conditional subtraction.
        Span<ulong> lowT = t[..n];
        if (t[n] != 0 || Compare(lowT, m) >= 0) Sub(r, lowT, m);
        else lowT.CopyTo(r);
    }
}
