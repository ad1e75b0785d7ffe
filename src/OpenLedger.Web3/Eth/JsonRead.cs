using System.Text.Json;
using OpenLedger.Primitives;

namespace OpenLedger.Web3.Eth;

/// <summary>Typed reads of JSON-RPC result fields; every failure names the field.</summary>
internal static class JsonRead
{
    public static JsonElement Field(JsonElement obj, string name)
    {
        if (obj.ValueKind != JsonValueKind.Object) throw new RpcFormatException($"expected an object holding \"{name}\", got {obj.ValueKind}");
        return obj.TryGetProperty(name, out var v) && v.ValueKind != JsonValueKind.Null ? v : throw new RpcFormatException($"result lacks \"{name}\"");
    }

    public static bool Has(JsonElement obj, string name) =>
        obj.ValueKind == JsonValueKind.Object && obj.TryGetProperty(name, out var v) && v.ValueKind != JsonValueKind.Null;

    public static string Text(JsonElement v, string what) =>
        v.ValueKind == JsonValueKind.String ? v.GetString()! : throw new RpcFormatException($"{what} is a JSON {v.ValueKind}, not a string");

    public static ulong ULong(JsonElement v, string what) => Wrap(what, () => Quantity.ParseULong(Text(v, what)));
    public static UInt256 U256(JsonElement v, string what) => Wrap(what, () => Quantity.ParseUInt256(Text(v, what)));
    public static byte[] Bytes(JsonElement v, string what) => Wrap(what, () => Hex.Decode(Text(v, what)));
    public static Hash256 Hash(JsonElement v, string what) => Wrap(what, () => Hash256.Parse(Text(v, what)));
    public static Address Addr(JsonElement v, string what) => Wrap(what, () => Address.Parse(Text(v, what)));

    public static ulong ULongOf(JsonElement obj, string name) => ULong(Field(obj, name), name);
    public static UInt256 U256Of(JsonElement obj, string name) => U256(Field(obj, name), name);
    public static byte[] BytesOf(JsonElement obj, string name) => Bytes(Field(obj, name), name);
    public static Hash256 HashOf(JsonElement obj, string name) => Hash(Field(obj, name), name);
    public static Address AddrOf(JsonElement obj, string name) => Addr(Field(obj, name), name);
    public static ulong? OptULong(JsonElement obj, string name) => Has(obj, name) ? ULong(obj.GetProperty(name), name) : null;
    public static UInt256? OptU256(JsonElement obj, string name) => Has(obj, name) ? U256(obj.GetProperty(name), name) : null;
    public static Address? OptAddr(JsonElement obj, string name) => Has(obj, name) ? Addr(obj.GetProperty(name), name) : null;
    public static Hash256? OptHash(JsonElement obj, string name) => Has(obj, name) ? Hash(obj.GetProperty(name), name) : null;

    public static T[] Array<T>(JsonElement obj, string name, Func<JsonElement, string, T> read)
    {
        var arr = Field(obj, name);
        if (arr.ValueKind != JsonValueKind.Array) throw new RpcFormatException($"\"{name}\" is a JSON {arr.ValueKind}, not an array");
        var result = new T[arr.GetArrayLength()];
        var i = 0;
        foreach (var item in arr.EnumerateArray()) { result[i] = read(item, $"{name}[{i}]"); i++; }
        return result;
    }

    private static T Wrap<T>(string what, Func<T> read)
    {
        try { return read(); }
        catch (Exception e) when (e is FormatException or ArgumentException) { throw new RpcFormatException($"\"{what}\": {e.Message}", e); }
    }
}
