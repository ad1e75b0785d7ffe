using System.Globalization;
using System.Numerics;
using OpenLedger.Primitives;

namespace OpenLedger.Web3.Eth;

/// <summary>JSON-RPC "quantity" text: 0x-prefixed hex without leading zeros ("0x0" for zero).</summary>
public static class Quantity
{
    public static string From(ulong v) => "0x" + v.ToString("x", CultureInfo.InvariantCulture);

    public static string From(in UInt256 v)
    {
        if (v.IsUlong) return From(v.u0);
        var s = v.u3 != 0 ? $"{v.u3:x}{v.u2:x16}{v.u1:x16}{v.u0:x16}"
            : v.u2 != 0 ? $"{v.u2:x}{v.u1:x16}{v.u0:x16}"
            : $"{v.u1:x}{v.u0:x16}";
        return "0x" + s;
    }

    public static string From(BigInteger v) =>
        v.Sign < 0 ? throw new ArgumentOutOfRangeException(nameof(v), "quantities are unsigned")
        : v.IsZero ? "0x0" : "0x" + v.ToString("x", CultureInfo.InvariantCulture).TrimStart('0');

    /// <summary>Parses a quantity of up to 256 bits; throws <see cref="FormatException"/> naming the problem.</summary>
    public static UInt256 ParseUInt256(string text)
    {
        var digits = Digits(text, 64);
        ulong u0 = 0, u1 = 0, u2 = 0, u3 = 0;
        foreach (var c in digits)
        {
            var n = Hex.Nibble(c);
            if (n < 0) throw new FormatException($"quantity \"{Clip(text)}\" has a non-hex character '{c}'");
            u3 = (u3 << 4) | (u2 >> 60);
            u2 = (u2 << 4) | (u1 >> 60);
            u1 = (u1 << 4) | (u0 >> 60);
            u0 = (u0 << 4) | (uint)n;
        }
        return new UInt256(u0, u1, u2, u3);
    }

    public static ulong ParseULong(string text)
    {
        var digits = Digits(text, 16);
        ulong v = 0;
        foreach (var c in digits)
        {
            var n = Hex.Nibble(c);
            if (n < 0) throw new FormatException($"quantity \"{Clip(text)}\" has a non-hex character '{c}'");
            v = (v << 4) | (uint)n;
        }
        return v;
    }

    private static ReadOnlySpan<char> Digits(string text, int maxDigits)
    {
        if (text is null || !text.StartsWith("0x", StringComparison.OrdinalIgnoreCase) || text.Length == 2)
            throw new FormatException($"quantity \"{Clip(text)}\" is not 0x-prefixed hex");
        var digits = text.AsSpan(2).TrimStart('0');
        if (digits.Length > maxDigits) throw new FormatException($"quantity \"{Clip(text)}\" exceeds {maxDigits * 4} bits");
        return digits;
    }

    private static string Clip(string? s) => s is null ? "null" : s.Length <= 80 ? s : s[..80] + "…";
}
