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
        state.Clear();
        while (input.Length >= RateBytes)
        {
            KeccakF1600.Absorb(state, input, RateLanes);
            KeccakF1600.Permute(state);
            input = input[RateBytes..];
        }
        Span<byte> last = stackalloc byte[RateBytes];
        input.CopyTo(last);
        last[input.Length..].Clear();
        last[input.Length] ^= 0x01;
        last[RateBytes - 1] ^= 0x80;
        KeccakF1600.Absorb(state, last, RateLanes);
        KeccakF1600.Permute(state);
        Squeeze(state, output32);
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
