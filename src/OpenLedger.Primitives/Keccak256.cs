using System.Buffers.Binary;
using System.Runtime.CompilerServices;

namespace OpenLedger.Primitives;

/// <summary>Keccak-256 (the original Keccak padding 0x01, as Ethereum uses; not SHA3-256's 0x06).</summary>
public static class Keccak256
{
    public const int HashLength = 32;
    /// <summary>Rate in bytes: 1600 - 2*256 bits.</summary>
    public const int RateBytes = 136;
    internal const int RateLanes = RateBytes / 8;

    /// <summary>Keccak-256 of the empty string (c5d2...a470), the code hash of accounts without code.</summary>
    public static readonly Hash256 EmptyHash = Compute([]);

    /// <summary>Hashes <paramref name="input"/> into the first 32 bytes of <paramref name="output32"/> without allocating.</summary>
    [SkipLocalsInit]
    public static void Hash(ReadOnlySpan<byte> input, Span<byte> output32)
    {
        if (output32.Length < HashLength)
            throw new ArgumentException($"output holds {output32.Length} bytes, Keccak-256 writes {HashLength}", nameof(output32));
        Span<ulong> state = stackalloc ulong[KeccakF1600.Lanes];
        AbsorbAll(state, input);
        Squeeze(state, output32);
    }

    /// <summary>The hash read as a big-endian 256-bit number (the EVM's KECCAK256 result), without a byte round trip.</summary>
    [SkipLocalsInit]
    public static UInt256 HashToUInt256(ReadOnlySpan<byte> input)
    {
        Span<ulong> state = stackalloc ulong[KeccakF1600.Lanes];
        AbsorbAll(state, input);
        // Hash byte k is byte k % 8 of lane k / 8 (little-endian lanes), so the big-endian word's top limb is lane 0 byte-reversed.
        return new UInt256(BinaryPrimitives.ReverseEndianness(state[3]), BinaryPrimitives.ReverseEndianness(state[2]),
            BinaryPrimitives.ReverseEndianness(state[1]), BinaryPrimitives.ReverseEndianness(state[0]));
    }

    /// <summary>
    /// Clears <paramref name="state"/> and absorbs all of <paramref name="input"/> with the Keccak padding, ending with
    /// the last permutation. The final (partial) block goes into the lanes directly instead of through a padded copy.
    /// </summary>
    private static void AbsorbAll(Span<ulong> state, ReadOnlySpan<byte> input)
    {
        state.Clear();
        while (input.Length >= RateBytes)
        {
            KeccakF1600.Absorb(state, input, RateLanes);
            KeccakF1600.Permute(state);
            input = input[RateBytes..];
        }
        int full = input.Length >> 3;
        for (int i = 0; i < full; i++) state[i] ^= BinaryPrimitives.ReadUInt64LittleEndian(input.Slice(i * 8, 8));
        int rem = input.Length & 7;
        ulong last = 0x01UL << (8 * rem);
        for (int i = 0; i < rem; i++) last |= (ulong)input[full * 8 + i] << (8 * i);
        state[full] ^= last;
        state[RateLanes - 1] ^= 0x80UL << 56;
        KeccakF1600.Permute(state);
    }

    public static Hash256 Compute(ReadOnlySpan<byte> input)
    {
        Span<byte> output = stackalloc byte[HashLength];
        Hash(input, output);
        return new Hash256(output);
    }

    internal static void Squeeze(ReadOnlySpan<ulong> state, Span<byte> output32)
    {
        BinaryPrimitives.WriteUInt64LittleEndian(output32, state[0]);
        BinaryPrimitives.WriteUInt64LittleEndian(output32[8..], state[1]);
        BinaryPrimitives.WriteUInt64LittleEndian(output32[16..], state[2]);
        BinaryPrimitives.WriteUInt64LittleEndian(output32[24..], state[3]);
    }
}
