using OpenLedger.Crypto.ModExp;
using System.Numerics;

namespace OpenLedger.Evm.Precompiles;

/// <summary>
/// 0x05 MODEXP (EIP-198) with EIP-2565 pricing. Input: three 32-byte lengths (base, exponent, modulus) then the
/// three numbers, big-endian, zero-padded past the end of the input. Lengths are 256-bit: the gas is worked out from
/// them before anything is allocated, so a huge declared length is priced out rather than allocated.
/// </summary>
public sealed class ModExpPrecompile : IPrecompile
{
    /// <summary>Lengths above this cannot be paid for (their gas saturates), so they are never read.</summary>
    private const ulong MaxLength = 1UL << 32;

    /// <summary>
    /// No block can pay this much gas (2^40); TryRun refuses such inputs outright, so even a direct call that skipped
    /// the gas charge cannot be made to allocate gigabytes.
    /// </summary>
    private const long UnpayableGas = 1L << 40;

    public int AddressIndex => 0x05;

    public long GasCost(ReadOnlySpan<byte> input)
    {
        ulong baseLen = ReadLength(input, 0), expLen = ReadLength(input, 32), modLen = ReadLength(input, 64);
        ulong maxLen = Math.Max(baseLen, modLen);
        if (maxLen == 0) return 200;
        if (maxLen > MaxLength || expLen > MaxLength) return long.MaxValue;
        ulong words = (maxLen + 7) / 8;
        ulong complexity = words * words; // <= 2^58
        ulong iterations = IterationCount(input, baseLen, expLen);
        UInt128 gas = (UInt128)complexity * iterations / 3;
        if (gas > long.MaxValue) return long.MaxValue;
        return Math.Max(200L, (long)gas);
    }

    public bool TryRun(ReadOnlySpan<byte> input, out byte[] output)
    {
        output = [];
        try
        {
            ulong baseLen = ReadLength(input, 0), expLen = ReadLength(input, 32), modLen = ReadLength(input, 64);
            if (modLen == 0) return true; // empty result whatever the operands
            if (baseLen > MaxLength || expLen > MaxLength || modLen > MaxLength || GasCost(input) > UnpayableGas) return false;
            byte[] b = Slice(input, 96, baseLen);
            byte[] e = Slice(input, 96 + baseLen, expLen);
            byte[] m = Slice(input, 96 + baseLen + expLen, modLen);
            output = new byte[modLen];
            ModExpArith.ModPow(b, e, m, output);
            return true;
        }
        catch (Exception)
        {
            output = [];
            return false;
        }
    }

    /// <summary>EIP-2565 iteration count: from the bit length of the exponent's first 32 bytes, plus 8 per further byte.</summary>
    private static ulong IterationCount(ReadOnlySpan<byte> input, ulong baseLen, ulong expLen)
    {
        Span<byte> head = stackalloc byte[32];
        head.Clear();
        int headLen = (int)Math.Min(expLen, 32);
        CopyPadded(input, 96 + baseLen, head[(32 - headLen)..]);
        int bitLength = 0;
        for (int i = 0; i < 32; i++)
        {
            if (head[i] == 0) continue;
            bitLength = (31 - i) * 8 + (32 - BitOperations.LeadingZeroCount((uint)head[i]));
            break;
        }
        // The head's highest set bit index, 0 for a zero head (as geth and the state tests have it; EIP-2565's
        // Python would give -1 there, one iteration fewer for long exponents with a zero head).
        long msb = Math.Max(bitLength - 1, 0);
        long count = expLen <= 32 ? msb : (long)(8 * (expLen - 32)) + msb;
        return (ulong)Math.Max(count, 1);
    }

    /// <summary>A 32-byte big-endian length at offset, saturated to ulong.MaxValue if it does not fit in 64 bits.</summary>
    private static ulong ReadLength(ReadOnlySpan<byte> input, int offset)
    {
        Span<byte> word = stackalloc byte[32];
        word.Clear();
        CopyPadded(input, (ulong)offset, word);
        for (int i = 0; i < 24; i++)
            if (word[i] != 0) return ulong.MaxValue;
        return System.Buffers.Binary.BinaryPrimitives.ReadUInt64BigEndian(word[24..]);
    }

    /// <summary>Copies input[offset..offset+dest.Length] into dest, zero where the input ends.</summary>
    private static void CopyPadded(ReadOnlySpan<byte> input, ulong offset, Span<byte> dest)
    {
        if (offset >= (ulong)input.Length) return;
        ReadOnlySpan<byte> available = input[(int)offset..];
        available[..Math.Min(available.Length, dest.Length)].CopyTo(dest);
    }

    private static byte[] Slice(ReadOnlySpan<byte> input, ulong offset, ulong length)
    {
        var r = new byte[length];
        CopyPadded(input, offset, r);
        return r;
    }
}
