using System.Globalization;
using System.Numerics;
using System.Text.Json;
using OpenLedger.Primitives;

namespace OpenLedger.Rpc.JsonRpc;

/// <summary>
/// Positional parameters of one call. Every getter validates and throws -32602 naming the
/// parameter and what was wrong, in the words geth uses where clients depend on them.
/// </summary>
public readonly struct RpcParams(JsonElement array)
{
    private readonly JsonElement _array = array;

    public int Count => _array.ValueKind == JsonValueKind.Array ? _array.GetArrayLength() : 0;

    public bool Has(int index) => index < Count && _array[index].ValueKind is not (JsonValueKind.Null or JsonValueKind.Undefined);

    public JsonElement this[int index] => Has(index) ? _array[index] : default;

    public void ExpectAtMost(int max)
    {
        if (Count > max) throw RpcException.InvalidParams($"too many arguments, want at most {max}");
    }

    public JsonElement Required(int index, string name)
    {
        if (!Has(index)) throw RpcException.InvalidParams($"missing value for required argument {index} ({name})");
        return _array[index];
    }

    public string RequiredString(int index, string name)
    {
        var e = Required(index, name);
        if (e.ValueKind != JsonValueKind.String) throw RpcException.InvalidParams($"invalid argument {index} ({name}): expected a string, got {e.ValueKind}");
        try
        {
            return e.GetString()!;
        }
        catch (InvalidOperationException)
        {
            throw RpcException.InvalidParams($"invalid argument {index} ({name}): not a valid Unicode string (lone surrogate)");
        }
    }

    public Address Address(int index, string name = "address")
    {
        var s = RequiredString(index, name);
        if (!Primitives.Address.TryParse(s, out var a))
            throw RpcException.InvalidParams($"invalid argument {index} ({name}): hex string of 20 bytes expected, got \"{Truncate(s)}\"");
        return a;
    }

    public Hash256 Hash(int index, string name = "hash")
    {
        var s = RequiredString(index, name);
        if (!RpcHex.TryDecode(s, out var bytes) || bytes.Length != 32)
            throw RpcException.InvalidParams($"invalid argument {index} ({name}): hex string of 32 bytes expected, got \"{Truncate(s)}\"");
        return new Hash256(bytes);
    }

    public byte[] Data(int index, string name = "data")
    {
        var s = RequiredString(index, name);
        if (!RpcHex.TryDecode(s, out var bytes))
            throw RpcException.InvalidParams($"invalid argument {index} ({name}): hex string expected (0x-prefixed, even length)");
        return bytes;
    }

    public ulong Quantity(int index, string name)
    {
        var s = RequiredString(index, name);
        return RpcHex.TryParseQuantity(s, out var v)
            ? v
            : throw RpcException.InvalidParams($"invalid argument {index} ({name}): hex quantity expected (0x-prefixed, no leading zeros), got \"{Truncate(s)}\"");
    }

    public bool Bool(int index, string name, bool defaultValue = false)
    {
        if (!Has(index)) return defaultValue;
        var e = _array[index];
        return e.ValueKind switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            _ => throw RpcException.InvalidParams($"invalid argument {index} ({name}): expected a boolean"),
        };
    }

    private static string Truncate(string s) => s.Length <= 80 ? s : s[..80] + "…";
}

/// <summary>Hex forms used on the wire: data (even-length, 0x) and quantities (0x, minimal, "0x0" for zero).</summary>
public static class RpcHex
{
    /// <summary>Wire data must carry the 0x prefix (Hex alone also accepts bare digits).</summary>
    public static bool TryDecode(string s, out byte[] bytes)
    {
        bytes = [];
        if (s.Length < 2 || s[0] != '0' || (s[1] != 'x' && s[1] != 'X') || !Hex.TryDecode(s, out var decoded)) return false;
        bytes = decoded;
        return true;
    }

    public static bool TryParseQuantity(string s, out ulong value)
    {
        value = 0;
        if (s.Length < 3 || s.Length > 18 || s[0] != '0' || (s[1] != 'x' && s[1] != 'X')) return false;
        if (s.Length > 3 && s[2] == '0') return false; // leading zeros are not a canonical quantity
        return ulong.TryParse(s.AsSpan(2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out value);
    }

    public static string Quantity(ulong v) => "0x" + v.ToString("x", CultureInfo.InvariantCulture);

    public static string Quantity(BigInteger v) =>
        v.Sign == 0 ? "0x0" : "0x" + v.ToString("x", CultureInfo.InvariantCulture).TrimStart('0');

    public static string Data(ReadOnlySpan<byte> bytes) => "0x" + Convert.ToHexStringLower(bytes);
}
