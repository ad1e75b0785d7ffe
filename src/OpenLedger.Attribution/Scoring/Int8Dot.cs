using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace OpenLedger.Attribution.Scoring;

/// <summary>
/// Exact int8 dot products. Entries lie in [-127, 127], so a product fits int16 and a pair sum fits int32;
/// for k ≤ 2^17 the whole sum fits int32 with no rounding anywhere, so every path agrees bit for bit.
/// </summary>
public static class Int8Dot
{
    /// <summary>Scalar reference: the definition the SIMD and GPU paths must match.</summary>
    public static int Scalar(ReadOnlySpan<sbyte> a, ReadOnlySpan<sbyte> b)
    {
        if (a.Length != b.Length) throw new ArgumentException("vectors differ in length");
        int s = 0;
        for (int i = 0; i < a.Length; i++) s += a[i] * b[i];
        return s;
    }

    /// <summary>Widens a query once so a scan does not redo it per row.</summary>
    public static short[] Widen(ReadOnlySpan<sbyte> q)
    {
        var w = new short[q.Length];
        for (int i = 0; i < q.Length; i++) w[i] = q[i];
        return w;
    }

    /// <summary>dot(a, b): AVX2 on the bytes directly where present, else portable vectors.</summary>
    public static int Dot(ReadOnlySpan<sbyte> a, ReadOnlySpan<sbyte> b) =>
        Avx2.IsSupported ? DotAvx2(a, b) : DotVector(Widen(a), b);

    /// <summary>
    /// AVX2 without widening: vpsignb moves q's sign onto the row (row·sign(q)), vpmaddubsw multiplies by |q| as
    /// unsigned bytes and adds adjacent pairs into int16 — at most 2·127·127 = 32,258, so it never saturates because
    /// −128 is excluded from sketches — and vpmaddwd by ones sums pairs into int32. 32 bytes per 5 instructions.
    /// </summary>
    public static int DotAvx2(ReadOnlySpan<sbyte> q, ReadOnlySpan<sbyte> row)
    {
        if (q.Length != row.Length) throw new ArgumentException("vectors differ in length");
        if (!Avx2.IsSupported) throw new PlatformNotSupportedException("AVX2 is not available on this CPU");
        int n = row.Length, i = 0, sum = 0;
        ref sbyte qr = ref MemoryMarshal.GetReference(q);
        ref sbyte r = ref MemoryMarshal.GetReference(row);
        if (n >= 64)
        {
            var ones = Vector256.Create((short)1);
            Vector256<int> acc0 = Vector256<int>.Zero, acc1 = Vector256<int>.Zero;
            for (; i + 64 <= n; i += 64)
            {
                var q0 = Vector256.LoadUnsafe(ref qr, (nuint)i);
                var q1 = Vector256.LoadUnsafe(ref qr, (nuint)(i + 32));
                var s0 = Avx2.Sign(Vector256.LoadUnsafe(ref r, (nuint)i), q0);
                var s1 = Avx2.Sign(Vector256.LoadUnsafe(ref r, (nuint)(i + 32)), q1);
                var p0 = Avx2.MultiplyAddAdjacent(Avx2.Abs(q0), s0);
                var p1 = Avx2.MultiplyAddAdjacent(Avx2.Abs(q1), s1);
                acc0 = Avx2.Add(acc0, Avx2.MultiplyAddAdjacent(p0, ones));
                acc1 = Avx2.Add(acc1, Avx2.MultiplyAddAdjacent(p1, ones));
            }
            sum = Vector256.Sum(Avx2.Add(acc0, acc1));
        }
        for (; i < n; i++) sum += Unsafe.Add(ref r, i) * Unsafe.Add(ref qr, i);
        return sum;
    }

    /// <summary>dot(query, row) with the query pre-widened to int16: AVX2 where present, else portable vectors.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int Dot(ReadOnlySpan<short> query, ReadOnlySpan<sbyte> row) =>
        Avx2.IsSupported ? DotAvx2(query, row) : DotVector(query, row);

    /// <summary>AVX2: vpmovsxbw widens 16 row bytes; vpmaddwd multiplies int16 pairs and adds adjacent products into int32.</summary>
    public static int DotAvx2(ReadOnlySpan<short> query, ReadOnlySpan<sbyte> row)
    {
        if (query.Length != row.Length) throw new ArgumentException("vectors differ in length");
        if (!Avx2.IsSupported) throw new PlatformNotSupportedException("AVX2 is not available on this CPU");
        int n = row.Length, i = 0, sum = 0;
        ref short q = ref MemoryMarshal.GetReference(query);
        ref sbyte r = ref MemoryMarshal.GetReference(row);
        if (n >= 32)
        {
            Vector256<int> acc0 = Vector256<int>.Zero, acc1 = Vector256<int>.Zero;
            for (; i + 32 <= n; i += 32)
            {
                var r0 = Avx2.ConvertToVector256Int16(Vector128.LoadUnsafe(ref r, (nuint)i));
                var r1 = Avx2.ConvertToVector256Int16(Vector128.LoadUnsafe(ref r, (nuint)(i + 16)));
                acc0 = Avx2.Add(acc0, Avx2.MultiplyAddAdjacent(r0, Vector256.LoadUnsafe(ref q, (nuint)i)));
                acc1 = Avx2.Add(acc1, Avx2.MultiplyAddAdjacent(r1, Vector256.LoadUnsafe(ref q, (nuint)(i + 16))));
            }
            sum = Vector256.Sum(Avx2.Add(acc0, acc1));
        }
        for (; i < n; i++) sum += Unsafe.Add(ref r, i) * Unsafe.Add(ref q, i);
        return sum;
    }

    /// <summary>Portable path (e.g. ARM NEON): widen bytes to int16; an int8×int8 product fits int16 exactly; widen again to add.</summary>
    public static int DotVector(ReadOnlySpan<short> query, ReadOnlySpan<sbyte> row)
    {
        if (query.Length != row.Length) throw new ArgumentException("vectors differ in length");
        int n = row.Length, i = 0, sum = 0;
        ref short q = ref MemoryMarshal.GetReference(query);
        ref sbyte r = ref MemoryMarshal.GetReference(row);
        if (Vector.IsHardwareAccelerated && n >= Vector<sbyte>.Count)
        {
            var acc = Vector<int>.Zero;
            int step = Vector<sbyte>.Count, half = Vector<short>.Count;
            for (; i + step <= n; i += step)
            {
                Vector.Widen(Vector.LoadUnsafe(ref r, (nuint)i), out Vector<short> lo, out Vector<short> hi);
                Vector.Widen(lo * Vector.LoadUnsafe(ref q, (nuint)i), out var p0, out var p1);
                Vector.Widen(hi * Vector.LoadUnsafe(ref q, (nuint)(i + half)), out var p2, out var p3);
                acc += (p0 + p1) + (p2 + p3);
            }
            sum = Vector.Sum(acc);
        }
        for (; i < n; i++) sum += Unsafe.Add(ref r, i) * Unsafe.Add(ref q, i);
        return sum;
    }
}
