using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace OpenLedger.Crypto.Blake2;

/// <summary>
/// BLAKE2b compression F with AVX2: the 4x4 working matrix is four Vector256 rows (a = v0..v3, b = v4..v7,
/// c = v8..v11, d = v12..v15), so one vector G mixes all four columns; the diagonals are lined up by rotating rows
/// b, c and d across lanes and back. The message words each round needs are gathered once per call into vectors
/// for the (at most ten) distinct SIGMA rows, so the rounds themselves only load them.
/// </summary>
internal static class Blake2bCompressionAvx2
{
    public static bool IsSupported => Avx2.IsSupported;

    /// <summary>SIGMA (RFC 7693): row r is the message schedule of round r mod 10.</summary>
    private static ReadOnlySpan<byte> Sigma =>
    [
        0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15,
        14, 10, 4, 8, 9, 15, 13, 6, 1, 12, 0, 2, 11, 7, 5, 3,
        11, 8, 12, 0, 5, 2, 15, 13, 10, 14, 3, 6, 7, 1, 9, 4,
        7, 9, 3, 1, 13, 12, 11, 14, 2, 6, 5, 10, 4, 0, 15, 8,
        9, 0, 5, 7, 2, 4, 10, 15, 14, 1, 11, 12, 6, 8, 3, 13,
        2, 12, 6, 10, 0, 11, 8, 3, 4, 13, 7, 5, 15, 14, 1, 9,
        12, 5, 1, 15, 14, 13, 4, 10, 0, 7, 6, 3, 9, 2, 8, 11,
        13, 11, 7, 14, 12, 1, 3, 9, 5, 0, 15, 4, 8, 6, 2, 10,
        6, 15, 14, 9, 11, 3, 0, 8, 12, 2, 13, 7, 1, 4, 10, 5,
        10, 2, 8, 4, 7, 6, 1, 5, 15, 11, 9, 14, 3, 12, 13, 0,
    ];

    /// <summary>Same contract as <see cref="Blake2bCompression.Compress"/>; callers check <see cref="IsSupported"/>.</summary>
    /// <remarks>SkipLocalsInit: the 1.25 KiB schedule is written before it is read (only rows in use are built and used).</remarks>
    [SkipLocalsInit]
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // measured against the scalar path at first use: no tier-0 code then
    public static void Compress(ReadOnlySpan<byte> h, ReadOnlySpan<byte> m, ulong t0, ulong t1, bool final, uint rounds, Span<byte> output)
    {
        if (!Avx2.IsSupported) throw new PlatformNotSupportedException();
        if (h.Length < 64 || m.Length < 128 || output.Length < 64) throw new ArgumentException("h and output need 64 bytes, m 128");
        // AVX2 means x86, which is little-endian: the input words load as they are.
        var h0 = Vector256.Create(MemoryMarshal.Read<Vector128<ulong>>(h), MemoryMarshal.Read<Vector128<ulong>>(h[16..]));
        var h1 = Vector256.Create(MemoryMarshal.Read<Vector128<ulong>>(h[32..]), MemoryMarshal.Read<Vector128<ulong>>(h[48..]));
        ReadOnlySpan<ulong> mw = MemoryMarshal.Cast<byte, ulong>(m[..128]);

        // Message vectors per SIGMA row: column x, column y, diagonal x, diagonal y (RFC 7693 G's x and y words).
        int rows = (int)Math.Min(rounds, 10u);
        Span<Vector256<ulong>> schedule = stackalloc Vector256<ulong>[40];
        // Unchecked indexing: this runs once per call, and for a few rounds its cost is comparable to theirs.
        // Every SIGMA entry is below 16 and mw has 16 words; r stays below 10 and schedule has 40 slots.
        ref byte sigma = ref MemoryMarshal.GetReference(Sigma);
        ref ulong mr = ref MemoryMarshal.GetReference(mw);
        ref Vector256<ulong> sched = ref MemoryMarshal.GetReference(schedule);
        for (int r = 0; r < rows; r++)
        {
            ref byte s = ref Unsafe.Add(ref sigma, 16 * r);
            ref Vector256<ulong> dst = ref Unsafe.Add(ref sched, 4 * r);
            dst = Vector256.Create(M(ref mr, ref s, 0), M(ref mr, ref s, 2), M(ref mr, ref s, 4), M(ref mr, ref s, 6));
            Unsafe.Add(ref dst, 1) = Vector256.Create(M(ref mr, ref s, 1), M(ref mr, ref s, 3), M(ref mr, ref s, 5), M(ref mr, ref s, 7));
            Unsafe.Add(ref dst, 2) = Vector256.Create(M(ref mr, ref s, 8), M(ref mr, ref s, 10), M(ref mr, ref s, 12), M(ref mr, ref s, 14));
            Unsafe.Add(ref dst, 3) = Vector256.Create(M(ref mr, ref s, 9), M(ref mr, ref s, 11), M(ref mr, ref s, 13), M(ref mr, ref s, 15));
        }

        Vector256<ulong> a = h0, b = h1;
        Vector256<ulong> c = Vector256.Create(0x6a09e667f3bcc908UL, 0xbb67ae8584caa73bUL, 0x3c6ef372fe94f82bUL, 0xa54ff53a5f1d36f1UL);
        Vector256<ulong> d = Vector256.Create(0x510e527fade682d1UL ^ t0, 0x9b05688c2b3e6c1fUL ^ t1,
            final ? ~0x1f83d9abfb41bd6bUL : 0x1f83d9abfb41bd6bUL, 0x5be0cd19137e2179UL);

        int row = 0;
        for (uint r = 0; r < rounds; r++)
        {
            ref Vector256<ulong> x = ref Unsafe.Add(ref sched, 4 * row);
            G(ref a, ref b, ref c, ref d, x, Unsafe.Add(ref x, 1));
            // Diagonalize: lane i of b, c, d moves to the diagonal starting at a's lane i.
            b = Avx2.Permute4x64(b, 0b00_11_10_01);
            c = Avx2.Permute4x64(c, 0b01_00_11_10);
            d = Avx2.Permute4x64(d, 0b10_01_00_11);
            G(ref a, ref b, ref c, ref d, Unsafe.Add(ref x, 2), Unsafe.Add(ref x, 3));
            b = Avx2.Permute4x64(b, 0b10_01_00_11);
            c = Avx2.Permute4x64(c, 0b01_00_11_10);
            d = Avx2.Permute4x64(d, 0b00_11_10_01);
            row = row == 9 ? 0 : row + 1;
        }

        var lo = h0 ^ a ^ c;
        var hi = h1 ^ b ^ d;
        MemoryMarshal.Write(output, lo);
        MemoryMarshal.Write(output[32..], hi);
    }

    /// <summary>Message word SIGMA-row[k] (unchecked; see the caller).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong M(ref ulong m, ref byte sigmaRow, int k) => Unsafe.Add(ref m, Unsafe.Add(ref sigmaRow, k));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void G(ref Vector256<ulong> a, ref Vector256<ulong> b, ref Vector256<ulong> c, ref Vector256<ulong> d, Vector256<ulong> x, Vector256<ulong> y)
    {
        a = Avx2.Add(Avx2.Add(a, b), x);
        d = Ror32(Avx2.Xor(d, a));
        c = Avx2.Add(c, d);
        b = Ror24(Avx2.Xor(b, c));
        a = Avx2.Add(Avx2.Add(a, b), y);
        d = Ror16(Avx2.Xor(d, a));
        c = Avx2.Add(c, d);
        b = Ror63(Avx2.Xor(b, c));
    }

    // Rotations of each 64-bit lane: by 32 swaps its halves; by 24 and 16 are byte moves (byte i takes byte
    // i + 3 or i + 2 mod 8 of the same lane); by 63 is a left rotation by one.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<ulong> Ror32(Vector256<ulong> v) => Avx2.Shuffle(v.AsUInt32(), 0b10_11_00_01).AsUInt64();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<ulong> Ror24(Vector256<ulong> v) => Avx2.Shuffle(v.AsByte(), Vector256.Create(
        (byte)3, 4, 5, 6, 7, 0, 1, 2, 11, 12, 13, 14, 15, 8, 9, 10, 3, 4, 5, 6, 7, 0, 1, 2, 11, 12, 13, 14, 15, 8, 9, 10)).AsUInt64();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<ulong> Ror16(Vector256<ulong> v) => Avx2.Shuffle(v.AsByte(), Vector256.Create(
        (byte)2, 3, 4, 5, 6, 7, 0, 1, 10, 11, 12, 13, 14, 15, 8, 9, 2, 3, 4, 5, 6, 7, 0, 1, 10, 11, 12, 13, 14, 15, 8, 9)).AsUInt64();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<ulong> Ror63(Vector256<ulong> v) => Avx2.Or(Avx2.ShiftRightLogical(v, 63), Avx2.Add(v, v));
}
