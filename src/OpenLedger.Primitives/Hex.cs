using System.Diagnostics.CodeAnalysis;

namespace OpenLedger.Primitives;

/// <summary>Hexadecimal text for byte strings: lowercase out, optional "0x" in, odd lengths rejected.</summary>
public static class Hex
{
    /// <summary>Lowercase hex, with a "0x" prefix unless <paramref name="prefix"/> is false.</summary>
    public static string Encode(ReadOnlySpan<byte> bytes, bool prefix = true)
    {
        if (!prefix) return Convert.ToHexStringLower(bytes);
        return string.Create(2 + bytes.Length * 2, bytes, static (chars, b) =>
        {
            chars[0] = '0';
            chars[1] = 'x';
            Convert.TryToHexStringLower(b, chars[2..], out _);
        });
    }

    /// <summary>Decodes hex with an optional "0x"/"0X" prefix. Throws <see cref="FormatException"/> naming the problem.</summary>
    public static byte[] Decode(string hex)
    {
        ArgumentNullException.ThrowIfNull(hex);
        return Decode(hex.AsSpan());
    }

    /// <inheritdoc cref="Decode(string)"/>
    public static byte[] Decode(ReadOnlySpan<char> hex)
    {
        var digits = StripPrefix(hex);
        if ((digits.Length & 1) != 0)
            throw new FormatException($"hex string has an odd number of digits ({digits.Length})");
        var result = new byte[digits.Length / 2];
        var bad = DecodeCore(digits, result);
        if (bad >= 0)
            throw new FormatException($"invalid hex character '{digits[bad]}' at digit {bad}");
        return result;
    }

    public static bool TryDecode([NotNullWhen(true)] string? hex, [NotNullWhen(true)] out byte[]? bytes)
    {
        bytes = null;
        if (hex == null) return false;
        var digits = StripPrefix(hex);
        if ((digits.Length & 1) != 0) return false;
        var result = new byte[digits.Length / 2];
        if (DecodeCore(digits, result) >= 0) return false;
        bytes = result;
        return true;
    }

    /// <summary>Decodes into <paramref name="destination"/> without allocating; false when malformed or too long.</summary>
    public static bool TryDecode(ReadOnlySpan<char> hex, Span<byte> destination, out int written)
    {
        written = 0;
        var digits = StripPrefix(hex);
        if ((digits.Length & 1) != 0 || digits.Length / 2 > destination.Length) return false;
        if (DecodeCore(digits, destination[..(digits.Length / 2)]) >= 0) return false;
        written = digits.Length / 2;
        return true;
    }

    /// <summary>The span without a leading "0x" or "0X".</summary>
    public static ReadOnlySpan<char> StripPrefix(ReadOnlySpan<char> hex) =>
        hex.Length >= 2 && hex[0] == '0' && (hex[1] == 'x' || hex[1] == 'X') ? hex[2..] : hex;

    /// <summary>Value of one hex digit, or -1.</summary>
    public static int Nibble(char c) => c switch
    {
        >= '0' and <= '9' => c - '0',
        >= 'a' and <= 'f' => c - 'a' + 10,
        >= 'A' and <= 'F' => c - 'A' + 10,
        _ => -1,
    };

    // Returns the index of the first bad digit, or -1 when all decoded.
    private static int DecodeCore(ReadOnlySpan<char> digits, Span<byte> output)
    {
        for (int i = 0; i < output.Length; i++)
        {
            int hi = Nibble(digits[2 * i]);
            if (hi < 0) return 2 * i;
            int lo = Nibble(digits[2 * i + 1]);
            if (lo < 0) return 2 * i + 1;
            output[i] = (byte)((hi << 4) | lo);
        }
        return -1;
    }
}
