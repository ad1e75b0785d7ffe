using OpenLedger.Crypto.ModExp;
using System.Numerics;

namespace OpenLedger.Evm.Precompiles;

/// <summary>How a fork prices modexp: EIP-2565 (Berlin to Prague) or EIP-7883 (Osaka).</summary>
public enum ModExpPricing
{
    Eip2565,
    Eip7883,
}

/// <summary>
/// 0x05 MODEXP (EIP-198). Input: three 32-byte lengths (base, exponent, modulus) then the three numbers, big-endian,
/// zero-padded past the end of the input. Lengths are 256-bit: the gas is worked out from them before anything is
/// allocated, so a huge declared length is priced out rather than allocated. A fork picks its variant:
/// <see cref="Berlin"/> (EIP-2565 pricing, no input bound) or <see cref="Osaka"/> (EIP-7883 pricing, and EIP-7823's
/// bound of 1024 bytes on each length, beyond which the call fails).
/// </summary>
public sealed class ModExpPrecompile(ModExpPricing pricing = ModExpPricing.Eip2565, ulong? maxInputLength = null) : IPrecompile
{
    /// <summary>Berlin through Prague: EIP-2565 pricing, lengths unbounded (but priced).</summary>
    public static ModExpPrecompile Berlin { get; } = new();

    /// <summary>Osaka: EIP-7883 pricing and the EIP-7823 bound.</summary>
    public static ModExpPrecompile Osaka { get; } = new(ModExpPricing.Eip7883, Eip7823MaxLength);

    /// <summary>EIP-7823: each of the three lengths at most 8192 bits.</summary>
    public const ulong Eip7823MaxLength = 1024;

    public ModExpPricing Pricing => pricing;
    public ulong? MaxInputLength => maxInputLength;

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
        bool osaka = pricing == ModExpPricing.Eip7883;
        if (maxLen == 0 && !osaka) return 200;
        if (maxLen > MaxLength || expLen > MaxLength) return long.MaxValue;
        ulong words = (maxLen + 7) / 8;
        // EIP-2565: words^2 / 3, at least 200. EIP-7883: 16 up to 32 bytes, else 2 words^2, no division, at least 500.
        ulong complexity = !osaka ? words * words : maxLen <= 32 ? 16 : 2 * words * words; // <= 2^59
        ulong iterations = IterationCount(input, baseLen, expLen, osaka ? 16UL : 8UL);
        UInt128 gas = (UInt128)complexity * iterations;
        if (!osaka) gas /= 3;
        if (gas > long.MaxValue) return long.MaxValue;
        return Math.Max(osaka ? 500L : 200L, (long)gas);
    }

    public bool TryRun(ReadOnlySpan<byte> input, out byte[] output)
    {
        output = [];
        try
        {
            ulong baseLen = ReadLength(input, 0), expLen = ReadLength(input, 32), modLen = ReadLength(input, 64);
            if (maxInputLength is { } bound && (baseLen > bound || expLen > bound || modLen > bound)) return false;
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

    /// <summary>
    /// Iteration count: from the bit length of the exponent's first 32 bytes, plus 8 (EIP-2565) or 16 (EIP-7883) per
    /// further byte.
    /// </summary>
    private static ulong IterationCount(ReadOnlySpan<byte> input, ulong baseLen, ulong expLen, ulong perExtraByte)
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
        long count = expLen <= 32 ? msb : (long)(perExtraByte * (expLen - 32)) + msb;
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
