using System.Buffers.Binary;
using System.Numerics;
using System.Runtime.CompilerServices;

namespace OpenLedger.Crypto.Blake2;

/// <summary>
/// The BLAKE2b compression function F (RFC 7693 section 3.2) with a caller-chosen round count, as EIP-152 needs.
/// The ten message schedules (SIGMA) are unrolled into constant word choices so the message and the working vector
/// stay in locals: no table lookups or bounds checks inside the rounds. Round r uses SIGMA[r mod 10].
/// <see cref="Compress"/> takes the AVX2 path (<see cref="Blake2bCompressionAvx2"/>) or this portable one, whichever
/// a measurement at first use finds faster (<see cref="PathChoice"/>): AVX2 was ~1.5x faster per round on one x64 CPU
/// and ~2x slower on a Zen 5, so its presence alone does not decide.
/// </summary>
internal static class Blake2bCompression
{
    private const ulong Iv0 = 0x6a09e667f3bcc908UL, Iv1 = 0xbb67ae8584caa73bUL, Iv2 = 0x3c6ef372fe94f82bUL, Iv3 = 0xa54ff53a5f1d36f1UL;
    private const ulong Iv4 = 0x510e527fade682d1UL, Iv5 = 0x9b05688c2b3e6c1fUL, Iv6 = 0x1f83d9abfb41bd6bUL, Iv7 = 0x5be0cd19137e2179UL;

    /// <summary>
    /// F(h, m, t, f) over <paramref name="rounds"/> rounds. <paramref name="h"/> (64 bytes) and <paramref name="m"/>
    /// (128 bytes) are little-endian words; the new h is written little-endian to <paramref name="output"/> (64 bytes).
    /// </summary>
    public static void Compress(ReadOnlySpan<byte> h, ReadOnlySpan<byte> m, ulong t0, ulong t1, bool final, uint rounds, Span<byte> output)
    {
        if (PathChoice.UseAvx2) Blake2bCompressionAvx2.Compress(h, m, t0, t1, final, rounds, output);
        else CompressScalar(h, m, t0, t1, final, rounds, output);
    }

    /// <summary>
    /// The path <see cref="Compress"/> takes, decided once: OPENLEDGER_BLAKE2F=scalar|avx2 forces one; otherwise, where
    /// AVX2 exists, both run the same 2,000-round compression interleaved five times and the faster best time wins.
    /// </summary>
    internal static class PathChoice
    {
        public static readonly bool UseAvx2;

        /// <summary>Why the path was chosen, for `bench precompiles` to print.</summary>
        public static readonly string Reason;

        static PathChoice() => UseAvx2 = Decide(out Reason);

        private static bool Decide(out string reason)
        {
            string? forced = Environment.GetEnvironmentVariable("OPENLEDGER_BLAKE2F");
            if (!Blake2bCompressionAvx2.IsSupported)
            {
                reason = "scalar (no AVX2)";
                return false;
            }
            if (string.Equals(forced, "scalar", StringComparison.OrdinalIgnoreCase) || string.Equals(forced, "avx2", StringComparison.OrdinalIgnoreCase))
            {
                reason = $"{forced!.ToLowerInvariant()} (OPENLEDGER_BLAKE2F)";
                return forced.Equals("avx2", StringComparison.OrdinalIgnoreCase);
            }
            Span<byte> h = stackalloc byte[64], m = stackalloc byte[128], o = stackalloc byte[64];
            for (int i = 0; i < 64; i++) h[i] = (byte)i;
            for (int i = 0; i < 128; i++) m[i] = (byte)(3 * i);
            long bestScalar = long.MaxValue, bestAvx2 = long.MaxValue;
            for (int rep = 0; rep < 5; rep++)
            {
                long t = System.Diagnostics.Stopwatch.GetTimestamp();
                CompressScalar(h, m, 128, 0, true, 2000, o);
                bestScalar = Math.Min(bestScalar, System.Diagnostics.Stopwatch.GetTimestamp() - t);
                t = System.Diagnostics.Stopwatch.GetTimestamp();
                Blake2bCompressionAvx2.Compress(h, m, 128, 0, true, 2000, o);
                bestAvx2 = Math.Min(bestAvx2, System.Diagnostics.Stopwatch.GetTimestamp() - t);
            }
            bool avx2 = bestAvx2 < bestScalar;
            reason = $"{(avx2 ? "avx2" : "scalar")} (measured: avx2 at {(double)bestScalar / bestAvx2:F2}x the scalar speed)";
            return avx2;
        }
    }

    /// <summary>The portable path (and the reference the AVX2 path is tested against).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void CompressScalar(ReadOnlySpan<byte> h, ReadOnlySpan<byte> m, ulong t0, ulong t1, bool final, uint rounds, Span<byte> output)
    {
        if (h.Length < 64 || m.Length < 128 || output.Length < 64) throw new ArgumentException("h and output need 64 bytes, m 128");
        ulong h0 = Le(h, 0), h1 = Le(h, 1), h2 = Le(h, 2), h3 = Le(h, 3), h4 = Le(h, 4), h5 = Le(h, 5), h6 = Le(h, 6), h7 = Le(h, 7);
        ulong m0 = Le(m, 0), m1 = Le(m, 1), m2 = Le(m, 2), m3 = Le(m, 3), m4 = Le(m, 4), m5 = Le(m, 5), m6 = Le(m, 6), m7 = Le(m, 7);
        ulong m8 = Le(m, 8), m9 = Le(m, 9), m10 = Le(m, 10), m11 = Le(m, 11), m12 = Le(m, 12), m13 = Le(m, 13), m14 = Le(m, 14), m15 = Le(m, 15);

        ulong v0 = h0, v1 = h1, v2 = h2, v3 = h3, v4 = h4, v5 = h5, v6 = h6, v7 = h7;
        ulong v8 = Iv0, v9 = Iv1, v10 = Iv2, v11 = Iv3;
        ulong v12 = Iv4 ^ t0, v13 = Iv5 ^ t1, v14 = final ? ~Iv6 : Iv6, v15 = Iv7;

        // One pass of the loop body is ten rounds (one full cycle of SIGMA); any round count can stop after any round.
        uint left = rounds;
        while (left != 0)
        {
            // Round 0 (mod 10): message schedule SIGMA[0].
            G(ref v0, ref v4, ref v8, ref v12, m0, m1);
            G(ref v1, ref v5, ref v9, ref v13, m2, m3);
            G(ref v2, ref v6, ref v10, ref v14, m4, m5);
            G(ref v3, ref v7, ref v11, ref v15, m6, m7);
            G(ref v0, ref v5, ref v10, ref v15, m8, m9);
            G(ref v1, ref v6, ref v11, ref v12, m10, m11);
            G(ref v2, ref v7, ref v8, ref v13, m12, m13);
            G(ref v3, ref v4, ref v9, ref v14, m14, m15);
            if (--left == 0) break;
            // Round 1 (mod 10): message schedule SIGMA[1].
            G(ref v0, ref v4, ref v8, ref v12, m14, m10);
            G(ref v1, ref v5, ref v9, ref v13, m4, m8);
            G(ref v2, ref v6, ref v10, ref v14, m9, m15);
            G(ref v3, ref v7, ref v11, ref v15, m13, m6);
            G(ref v0, ref v5, ref v10, ref v15, m1, m12);
            G(ref v1, ref v6, ref v11, ref v12, m0, m2);
            G(ref v2, ref v7, ref v8, ref v13, m11, m7);
            G(ref v3, ref v4, ref v9, ref v14, m5, m3);
            if (--left == 0) break;
            // Round 2 (mod 10): message schedule SIGMA[2].
            G(ref v0, ref v4, ref v8, ref v12, m11, m8);
            G(ref v1, ref v5, ref v9, ref v13, m12, m0);
            G(ref v2, ref v6, ref v10, ref v14, m5, m2);
            G(ref v3, ref v7, ref v11, ref v15, m15, m13);
            G(ref v0, ref v5, ref v10, ref v15, m10, m14);
            G(ref v1, ref v6, ref v11, ref v12, m3, m6);
            G(ref v2, ref v7, ref v8, ref v13, m7, m1);
            G(ref v3, ref v4, ref v9, ref v14, m9, m4);
            if (--left == 0) break;
            // Round 3 (mod 10): message schedule SIGMA[3].
            G(ref v0, ref v4, ref v8, ref v12, m7, m9);
            G(ref v1, ref v5, ref v9, ref v13, m3, m1);
            G(ref v2, ref v6, ref v10, ref v14, m13, m12);
            G(ref v3, ref v7, ref v11, ref v15, m11, m14);
            G(ref v0, ref v5, ref v10, ref v15, m2, m6);
            G(ref v1, ref v6, ref v11, ref v12, m5, m10);
            G(ref v2, ref v7, ref v8, ref v13, m4, m0);
            G(ref v3, ref v4, ref v9, ref v14, m15, m8);
            if (--left == 0) break;
            // Round 4 (mod 10): message schedule SIGMA[4].
            G(ref v0, ref v4, ref v8, ref v12, m9, m0);
            G(ref v1, ref v5, ref v9, ref v13, m5, m7);
            G(ref v2, ref v6, ref v10, ref v14, m2, m4);
            G(ref v3, ref v7, ref v11, ref v15, m10, m15);
            G(ref v0, ref v5, ref v10, ref v15, m14, m1);
            G(ref v1, ref v6, ref v11, ref v12, m11, m12);
            G(ref v2, ref v7, ref v8, ref v13, m6, m8);
            G(ref v3, ref v4, ref v9, ref v14, m3, m13);
            if (--left == 0) break;
            // Round 5 (mod 10): message schedule SIGMA[5].
            G(ref v0, ref v4, ref v8, ref v12, m2, m12);
            G(ref v1, ref v5, ref v9, ref v13, m6, m10);
            G(ref v2, ref v6, ref v10, ref v14, m0, m11);
            G(ref v3, ref v7, ref v11, ref v15, m8, m3);
            G(ref v0, ref v5, ref v10, ref v15, m4, m13);
            G(ref v1, ref v6, ref v11, ref v12, m7, m5);
            G(ref v2, ref v7, ref v8, ref v13, m15, m14);
            G(ref v3, ref v4, ref v9, ref v14, m1, m9);
            if (--left == 0) break;
            // Round 6 (mod 10): message schedule SIGMA[6].
            G(ref v0, ref v4, ref v8, ref v12, m12, m5);
            G(ref v1, ref v5, ref v9, ref v13, m1, m15);
            G(ref v2, ref v6, ref v10, ref v14, m14, m13);
            G(ref v3, ref v7, ref v11, ref v15, m4, m10);
            G(ref v0, ref v5, ref v10, ref v15, m0, m7);
            G(ref v1, ref v6, ref v11, ref v12, m6, m3);
            G(ref v2, ref v7, ref v8, ref v13, m9, m2);
            G(ref v3, ref v4, ref v9, ref v14, m8, m11);
            if (--left == 0) break;
            // Round 7 (mod 10): message schedule SIGMA[7].
            G(ref v0, ref v4, ref v8, ref v12, m13, m11);
            G(ref v1, ref v5, ref v9, ref v13, m7, m14);
            G(ref v2, ref v6, ref v10, ref v14, m12, m1);
            G(ref v3, ref v7, ref v11, ref v15, m3, m9);
            G(ref v0, ref v5, ref v10, ref v15, m5, m0);
            G(ref v1, ref v6, ref v11, ref v12, m15, m4);
            G(ref v2, ref v7, ref v8, ref v13, m8, m6);
            G(ref v3, ref v4, ref v9, ref v14, m2, m10);
            if (--left == 0) break;
            // Round 8 (mod 10): message schedule SIGMA[8].
            G(ref v0, ref v4, ref v8, ref v12, m6, m15);
            G(ref v1, ref v5, ref v9, ref v13, m14, m9);
            G(ref v2, ref v6, ref v10, ref v14, m11, m3);
            G(ref v3, ref v7, ref v11, ref v15, m0, m8);
            G(ref v0, ref v5, ref v10, ref v15, m12, m2);
            G(ref v1, ref v6, ref v11, ref v12, m13, m7);
            G(ref v2, ref v7, ref v8, ref v13, m1, m4);
            G(ref v3, ref v4, ref v9, ref v14, m10, m5);
            if (--left == 0) break;
            // Round 9 (mod 10): message schedule SIGMA[9].
            G(ref v0, ref v4, ref v8, ref v12, m10, m2);
            G(ref v1, ref v5, ref v9, ref v13, m8, m4);
            G(ref v2, ref v6, ref v10, ref v14, m7, m6);
            G(ref v3, ref v7, ref v11, ref v15, m1, m5);
            G(ref v0, ref v5, ref v10, ref v15, m15, m11);
            G(ref v1, ref v6, ref v11, ref v12, m9, m14);
            G(ref v2, ref v7, ref v8, ref v13, m3, m12);
            G(ref v3, ref v4, ref v9, ref v14, m13, m0);
            --left;
        }

        WriteLe(output, 0, h0 ^ v0 ^ v8);
        WriteLe(output, 1, h1 ^ v1 ^ v9);
        WriteLe(output, 2, h2 ^ v2 ^ v10);
        WriteLe(output, 3, h3 ^ v3 ^ v11);
        WriteLe(output, 4, h4 ^ v4 ^ v12);
        WriteLe(output, 5, h5 ^ v5 ^ v13);
        WriteLe(output, 6, h6 ^ v6 ^ v14);
        WriteLe(output, 7, h7 ^ v7 ^ v15);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong Le(ReadOnlySpan<byte> s, int word) => BinaryPrimitives.ReadUInt64LittleEndian(s.Slice(8 * word, 8));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void WriteLe(Span<byte> s, int word, ulong value) => BinaryPrimitives.WriteUInt64LittleEndian(s.Slice(8 * word, 8), value);

    /// <summary>The mixing function G (RFC 7693 section 3.1); rotation constants 32, 24, 16, 63.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void G(ref ulong a, ref ulong b, ref ulong c, ref ulong d, ulong x, ulong y)
    {
        a = a + b + x;
        d = BitOperations.RotateRight(d ^ a, 32);
        c += d;
        b = BitOperations.RotateRight(b ^ c, 24);
        a = a + b + y;
        d = BitOperations.RotateRight(d ^ a, 16);
        c += d;
        b = BitOperations.RotateRight(b ^ c, 63);
    }
}
