using System.Text.Json;
using OpenLedger.Primitives;
using OpenLedger.Rpc.JsonRpc;
using OpenLedger.State.World;

namespace OpenLedger.Rpc.Eth;

/// <summary>One account's eth_call override: any of balance, nonce, code, full storage (state) or slot changes (stateDiff).</summary>
public sealed record AccountOverride(UInt256? Balance, ulong? Nonce, byte[]? Code, IReadOnlyDictionary<UInt256, UInt256>? State, IReadOnlyDictionary<UInt256, UInt256>? StateDiff);

/// <summary>
/// Geth's state-override set, applied as a read-through layer over committed state so nothing is
/// written anywhere: the call sees the overridden accounts as if they had always been so.
/// </summary>
public sealed class OverrideWorldSource(IWorldSource inner, IReadOnlyDictionary<Address, AccountOverride> overrides) : IWorldSource
{
    private readonly Dictionary<Hash256, byte[]> _code = overrides.Values.Where(o => o.Code != null).ToDictionary(o => Keccak256.Compute(o.Code), o => o.Code!);

    public AccountInfo? GetAccount(Address address)
    {
        var baseInfo = inner.GetAccount(address);
        if (!overrides.TryGetValue(address, out var o)) return baseInfo;
        var info = baseInfo ?? new AccountInfo(0, UInt256.Zero, Keccak256.EmptyHash);
        return new AccountInfo(o.Nonce ?? info.Nonce, o.Balance ?? info.Balance, o.Code is { } c ? Keccak256.Compute(c) : info.CodeHash);
    }

    public UInt256 GetStorage(Address address, in UInt256 key)
    {
        if (overrides.TryGetValue(address, out var o))
        {
            if (o.State != null) return o.State.TryGetValue(key, out var v) ? v : UInt256.Zero;
            if (o.StateDiff != null && o.StateDiff.TryGetValue(key, out var d)) return d;
        }
        return inner.GetStorage(address, key);
    }

    public bool HasStorage(Address address) =>
        overrides.TryGetValue(address, out var o) && o.State != null ? o.State.Values.Any(v => !v.IsZero) : inner.HasStorage(address);

    public byte[] GetCode(Hash256 codeHash) => _code.TryGetValue(codeHash, out var c) ? c : inner.GetCode(codeHash);

    public static Dictionary<Address, AccountOverride> Parse(JsonElement e, int index)
    {
        if (e.ValueKind != JsonValueKind.Object) throw RpcException.InvalidParams($"invalid argument {index} (state override): object expected");
        var result = new Dictionary<Address, AccountOverride>();
        foreach (var entry in e.EnumerateObject())
        {
            if (!Address.TryParse(entry.Name, out var address)) throw RpcException.InvalidParams($"invalid argument {index}: state override key {entry.Name} is not an address");
            var o = entry.Value;
            if (o.ValueKind != JsonValueKind.Object) throw RpcException.InvalidParams($"invalid argument {index}: override for {entry.Name} must be an object");
            var where = $"invalid argument {index}: override {entry.Name}";
            if (o.TryGetProperty("movePrecompileToAddress", out var mp) && mp.ValueKind != JsonValueKind.Null)
                throw RpcException.InvalidParams($"{where}.movePrecompileToAddress: moving precompiles is not supported on this node");
            byte[]? code = null;
            if (o.TryGetProperty("code", out var c) && c.ValueKind != JsonValueKind.Null)
                code = c.ValueKind == JsonValueKind.String && RpcHex.TryDecode(c.GetString()!, out var b) ? b : throw RpcException.InvalidParams($"{where}.code: hex data expected");
            ulong? nonce = null;
            if (o.TryGetProperty("nonce", out var n) && n.ValueKind != JsonValueKind.Null)
                nonce = n.ValueKind == JsonValueKind.String && RpcHex.TryParseQuantity(n.GetString()!, out var nv) ? nv : throw RpcException.InvalidParams($"{where}.nonce: hex quantity expected");
            var state = Slots(o, "state", where);
            var diff = Slots(o, "stateDiff", where);
            if (state != null && diff != null) throw RpcException.InvalidParams($"{where}: has both 'state' and 'stateDiff'");
            result[address] = new AccountOverride(CallArgs.OptU256(o, "balance", $"{where}.balance"), nonce, code, state, diff);
        }
        return result;
    }

    private static Dictionary<UInt256, UInt256>? Slots(JsonElement o, string name, string where)
    {
        if (!o.TryGetProperty(name, out var s) || s.ValueKind == JsonValueKind.Null) return null;
        if (s.ValueKind != JsonValueKind.Object) throw RpcException.InvalidParams($"{where}.{name}: object expected");
        var map = new Dictionary<UInt256, UInt256>();
        foreach (var slot in s.EnumerateObject())
        {
            if (!Hash256.TryParse(slot.Name, out var k) || slot.Value.ValueKind != JsonValueKind.String || !Hash256.TryParse(slot.Value.GetString(), out var v))
                throw RpcException.InvalidParams($"{where}.{name}: keys and values are 32-byte hex");
            map[UInt256.FromBigEndian(k.Bytes)] = UInt256.FromBigEndian(v.Bytes);
        }
        return map;
    }
}
