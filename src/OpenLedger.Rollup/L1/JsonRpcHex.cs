using System.Globalization;
using Newtonsoft.Json.Linq;

namespace OpenLedger.Rollup.L1;

/// <summary>Reads the hex quantities and data of JSON-RPC answers, naming the field when one is missing or malformed.</summary>
internal static class JsonRpcHex
{
    public static string Str(JToken o, string field) =>
        o[field]?.Type == JTokenType.String ? o[field]!.Value<string>()! : throw new FormatException($"L1 RPC: field {field} missing or not a string");

    public static ulong U64(JToken o, string field)
    {
        var s = Str(o, field);
        if (s.StartsWith("0x", StringComparison.OrdinalIgnoreCase) && ulong.TryParse(s.AsSpan(2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var v)) return v;
        throw new FormatException($"L1 RPC: field {field} is not a hex quantity: {s}");
    }

    public static UInt256 U256(JToken o, string field)
    {
        var s = Str(o, field);
        var hex = s.StartsWith("0x", StringComparison.OrdinalIgnoreCase) ? s[2..] : throw new FormatException($"L1 RPC: field {field} is not hex: {s}");
        if (hex.Length == 0 || hex.Length > 64) throw new FormatException($"L1 RPC: field {field} is not a 256-bit quantity: {s}");
        return UInt256.FromBigEndian(Hex.Decode(hex.Length % 2 == 1 ? "0" + hex : hex));
    }

    public static Hash256 Hash(JToken o, string field) =>
        Hash256.TryParse(Str(o, field), out var h) ? h : throw new FormatException($"L1 RPC: field {field} is not a 32-byte hash");

    public static Address Addr(JToken o, string field) =>
        Address.TryParse(Str(o, field), out var a) ? a : throw new FormatException($"L1 RPC: field {field} is not an address");

    public static byte[] Data(JToken o, string field) =>
        Hex.TryDecode(Str(o, field), out var b) ? b : throw new FormatException($"L1 RPC: field {field} is not hex data");

    public static string Quantity(ulong v) => "0x" + v.ToString("x", CultureInfo.InvariantCulture);
}
