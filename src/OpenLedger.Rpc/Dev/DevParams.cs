using System.Globalization;
using System.Text.Json;
using OpenLedger.Primitives;
using OpenLedger.Rpc.JsonRpc;

namespace OpenLedger.Rpc.Dev;

/// <summary>How anvil's dev methods take their numbers and words (shared by the plain-chain and rollup dev modules).</summary>
internal static class DevParams
{
    /// <summary>A JSON number or a hex quantity, as anvil accepts for these methods.</summary>
    public static ulong U64(JsonElement e, int index, string name)
    {
        if (e.ValueKind == JsonValueKind.Number && e.TryGetUInt64(out var n)) return n;
        if (e.ValueKind == JsonValueKind.String && RpcHex.TryParseQuantity(e.GetString()!, out var q)) return q;
        if (e.ValueKind == JsonValueKind.String && ulong.TryParse(e.GetString(), NumberStyles.None, CultureInfo.InvariantCulture, out var d)) return d;
        throw RpcException.InvalidParams($"invalid argument {index} ({name}): non-negative integer or hex quantity below 2^64 expected");
    }

    /// <summary>A storage key or value: hex of at most 32 bytes (anvil takes quantities and full words alike).</summary>
    public static UInt256 Word(JsonElement e, int index, string name)
    {
        var s = e.ValueKind == JsonValueKind.String ? e.GetString()! : "";
        if (s.StartsWith("0x", StringComparison.OrdinalIgnoreCase) && s.Length is > 2 and <= 66)
        {
            var digits = s[2..];
            if (digits.Length % 2 == 1) digits = "0" + digits;
            if (Hex.TryDecode(digits, out var bytes)) return UInt256.FromBigEndian(bytes);
        }
        throw RpcException.InvalidParams($"invalid argument {index} ({name}): hex of at most 32 bytes expected");
    }

    /// <summary>A timestamp earlier than or equal to the head's, in anvil's words.</summary>
    public static void CheckAfterHead(ulong timestamp, ulong headTimestamp)
    {
        if (timestamp < headTimestamp)
            throw RpcException.InvalidParams($"Timestamp error: {timestamp} is lower than previous block's timestamp");
        if (timestamp == headTimestamp)
            throw RpcException.InvalidParams($"Timestamp error: {timestamp} is equal to previous block's timestamp");
    }
}
