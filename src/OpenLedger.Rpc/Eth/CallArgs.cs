using System.Text.Json;
using OpenLedger.Primitives;
using OpenLedger.Primitives.Transactions;
using OpenLedger.Rpc.JsonRpc;

namespace OpenLedger.Rpc.Eth;

/// <summary>The transaction-call object of eth_call / eth_estimateGas, validated field by field.</summary>
public sealed record CallArgs
{
    public Address From { get; init; }
    public Address? To { get; init; }
    public ulong? Gas { get; init; }
    public UInt256? GasPrice { get; init; }
    public UInt256? MaxFeePerGas { get; init; }
    public UInt256? MaxPriorityFeePerGas { get; init; }
    public UInt256 Value { get; init; }
    public byte[] Data { get; init; } = [];
    public IReadOnlyList<AccessListItem> AccessList { get; init; } = [];
    public ulong? Nonce { get; init; }
    /// <summary>EIP-7702 authorizations (a set-code call); empty for other calls.</summary>
    public IReadOnlyList<AuthorizationTuple> AuthorizationList { get; init; } = [];

    /// <summary>True when no fee field was given: the call runs with a zero base fee, as geth does.</summary>
    public bool NoFees => GasPrice is null && MaxFeePerGas is null && MaxPriorityFeePerGas is null;

    public static CallArgs Parse(JsonElement e, int index)
    {
        if (e.ValueKind != JsonValueKind.Object) throw RpcException.InvalidParams($"invalid argument {index}: transaction call object expected");
        string Where(string f) => $"invalid argument {index}: field {f}";
        var args = new CallArgs
        {
            From = e.TryGetProperty("from", out var f) && f.ValueKind != JsonValueKind.Null ? Addr(f, Where("from")) : Address.Zero,
            To = e.TryGetProperty("to", out var t) && t.ValueKind != JsonValueKind.Null ? Addr(t, Where("to")) : null,
            Gas = OptU64(e, "gas", Where("gas")),
            GasPrice = OptU256(e, "gasPrice", Where("gasPrice")),
            MaxFeePerGas = OptU256(e, "maxFeePerGas", Where("maxFeePerGas")),
            MaxPriorityFeePerGas = OptU256(e, "maxPriorityFeePerGas", Where("maxPriorityFeePerGas")),
            Value = OptU256(e, "value", Where("value")) ?? UInt256.Zero,
            Nonce = OptU64(e, "nonce", Where("nonce")),
            AccessList = e.TryGetProperty("accessList", out var al) && al.ValueKind != JsonValueKind.Null ? ParseAccessList(al, Where("accessList")) : [],
            AuthorizationList = e.TryGetProperty("authorizationList", out var au) && au.ValueKind != JsonValueKind.Null ? ParseAuthorizations(au, Where("authorizationList")) : [],
        };
        bool hasData = e.TryGetProperty("data", out var d) && d.ValueKind != JsonValueKind.Null;
        bool hasInput = e.TryGetProperty("input", out var inp) && inp.ValueKind != JsonValueKind.Null;
        byte[] data = hasInput ? Bytes(inp, Where("input")) : hasData ? Bytes(d, Where("data")) : [];
        if (hasData && hasInput && !Bytes(d, Where("data")).AsSpan().SequenceEqual(data))
            throw RpcException.InvalidParams("both \"data\" and \"input\" are set and not equal. Please use \"input\" to pass transaction call data");
        if (args.GasPrice is not null && (args.MaxFeePerGas is not null || args.MaxPriorityFeePerGas is not null))
            throw RpcException.InvalidParams("both gasPrice and (maxFeePerGas or maxPriorityFeePerGas) specified");
        return args with { Data = data };
    }

    private static Address Addr(JsonElement e, string where) =>
        e.ValueKind == JsonValueKind.String && Address.TryParse(e.GetString(), out var a) ? a : throw RpcException.InvalidParams($"{where}: 20-byte hex address expected");

    private static byte[] Bytes(JsonElement e, string where) =>
        e.ValueKind == JsonValueKind.String && RpcHex.TryDecode(e.GetString()!, out var b) ? b : throw RpcException.InvalidParams($"{where}: 0x-prefixed hex data expected");

    private static ulong? OptU64(JsonElement o, string name, string where)
    {
        if (!o.TryGetProperty(name, out var e) || e.ValueKind == JsonValueKind.Null) return null;
        return e.ValueKind == JsonValueKind.String && RpcHex.TryParseQuantity(e.GetString()!, out var v) ? v : throw RpcException.InvalidParams($"{where}: hex quantity expected");
    }

    internal static UInt256? OptU256(JsonElement o, string name, string where)
    {
        if (!o.TryGetProperty(name, out var e) || e.ValueKind == JsonValueKind.Null) return null;
        return ParseU256(e, where);
    }

    internal static UInt256 ParseU256(JsonElement e, string where)
    {
        var s = e.ValueKind == JsonValueKind.String ? e.GetString()! : "";
        if (s.Length < 3 || !s.StartsWith("0x", StringComparison.Ordinal) || s.Length > 66 || (s.Length > 3 && s[2] == '0'))
            throw RpcException.InvalidParams($"{where}: hex quantity expected (0x-prefixed, no leading zeros, at most 256 bits)");
        try
        {
            return UInt256.Parse(s);
        }
        catch (FormatException)
        {
            throw RpcException.InvalidParams($"{where}: hex quantity expected");
        }
    }

    /// <summary>geth's shape: {chainId, address, nonce, yParity, r, s}; "v" is accepted for yParity.</summary>
    private static List<AuthorizationTuple> ParseAuthorizations(JsonElement e, string where)
    {
        if (e.ValueKind != JsonValueKind.Array) throw RpcException.InvalidParams($"{where}: array expected");
        var list = new List<AuthorizationTuple>();
        foreach (var item in e.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.Object || !item.TryGetProperty("address", out var a))
                throw RpcException.InvalidParams($"{where}: entries need an address");
            var chainId = OptU256(item, "chainId", where + ".chainId") ?? throw RpcException.InvalidParams($"{where}: entries need a chainId");
            var nonce = OptU64(item, "nonce", where + ".nonce") ?? throw RpcException.InvalidParams($"{where}: entries need a nonce");
            var yParity = OptU64(item, "yParity", where + ".yParity") ?? OptU64(item, "v", where + ".v") ?? 0;
            if (yParity > 255) throw RpcException.InvalidParams($"{where}.yParity: must fit in one byte");
            list.Add(new AuthorizationTuple(chainId, Addr(a, where), nonce, (byte)yParity,
                OptU256(item, "r", where + ".r") ?? UInt256.Zero, OptU256(item, "s", where + ".s") ?? UInt256.Zero));
        }
        return list;
    }

    private static List<AccessListItem> ParseAccessList(JsonElement e, string where)
    {
        if (e.ValueKind != JsonValueKind.Array) throw RpcException.InvalidParams($"{where}: array expected");
        var list = new List<AccessListItem>();
        foreach (var item in e.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.Object || !item.TryGetProperty("address", out var a))
                throw RpcException.InvalidParams($"{where}: entries need an address");
            var keys = new List<Hash256>();
            if (item.TryGetProperty("storageKeys", out var ks) && ks.ValueKind == JsonValueKind.Array)
                foreach (var k in ks.EnumerateArray())
                    keys.Add(k.ValueKind == JsonValueKind.String && Hash256.TryParse(k.GetString(), out var h) ? h : throw RpcException.InvalidParams($"{where}: storage keys are 32-byte hex"));
            list.Add(new AccessListItem(Addr(a, where), [.. keys]));
        }
        return list;
    }
}
