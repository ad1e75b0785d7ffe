using System.Text.Json;
using OpenLedger.Primitives;
using OpenLedger.Rpc.JsonRpc;

namespace OpenLedger.Rpc.Eth;

/// <summary>eth_simulateV1's block overrides; unset fields follow the parent block.</summary>
public sealed record BlockOverrides
{
    public ulong? Number { get; init; }
    public ulong? Time { get; init; }
    public ulong? GasLimit { get; init; }
    public Address? FeeRecipient { get; init; }
    public Hash256? PrevRandao { get; init; }
    public UInt256? BaseFee { get; init; }

    public static BlockOverrides Parse(JsonElement e, string where)
    {
        if (e.ValueKind != JsonValueKind.Object) throw RpcException.InvalidParams($"{where}: object expected");
        foreach (var p in e.EnumerateObject())
            if (p.Name is not ("number" or "time" or "gasLimit" or "feeRecipient" or "prevRandao" or "baseFeePerGas" or "blobBaseFee" or "withdrawals"))
                throw RpcException.InvalidParams($"{where}: unknown field {p.Name}");
        if (e.TryGetProperty("blobBaseFee", out var bbf) && bbf.ValueKind != JsonValueKind.Null)
            throw RpcException.InvalidParams($"{where}.blobBaseFee: overriding the blob base fee is not supported on this node");
        if (e.TryGetProperty("withdrawals", out var w) && w.ValueKind == JsonValueKind.Array && w.GetArrayLength() > 0)
            throw RpcException.InvalidParams($"{where}.withdrawals: this chain has no withdrawals");
        return new BlockOverrides
        {
            Number = U64(e, "number", where),
            Time = U64(e, "time", where),
            GasLimit = U64(e, "gasLimit", where),
            FeeRecipient = e.TryGetProperty("feeRecipient", out var f) && f.ValueKind != JsonValueKind.Null
                ? (f.ValueKind == JsonValueKind.String && Address.TryParse(f.GetString(), out var a) ? a : throw RpcException.InvalidParams($"{where}.feeRecipient: address expected"))
                : null,
            PrevRandao = e.TryGetProperty("prevRandao", out var r) && r.ValueKind != JsonValueKind.Null
                ? (r.ValueKind == JsonValueKind.String && Hash256.TryParse(r.GetString(), out var h) ? h : throw RpcException.InvalidParams($"{where}.prevRandao: 32-byte hex expected"))
                : null,
            BaseFee = CallArgs.OptU256(e, "baseFeePerGas", $"{where}.baseFeePerGas"),
        };
    }

    private static ulong? U64(JsonElement o, string name, string where)
    {
        if (!o.TryGetProperty(name, out var e) || e.ValueKind == JsonValueKind.Null) return null;
        return e.ValueKind == JsonValueKind.String && RpcHex.TryParseQuantity(e.GetString()!, out var v) ? v : throw RpcException.InvalidParams($"{where}.{name}: hex quantity expected");
    }
}

/// <summary>One block of eth_simulateV1: overrides, then calls in order.</summary>
public sealed record SimulateBlock(BlockOverrides Overrides, IReadOnlyDictionary<Address, AccountOverride>? StateOverrides, IReadOnlyList<CallArgs> Calls);

/// <summary>eth_simulateV1's first parameter, validated.</summary>
public sealed record SimulateRequest(IReadOnlyList<SimulateBlock> Blocks, bool TraceTransfers, bool Validation, bool ReturnFullTransactions)
{
    public static SimulateRequest Parse(JsonElement e)
    {
        const string where = "invalid argument 0";
        if (e.ValueKind != JsonValueKind.Object) throw RpcException.InvalidParams($"{where}: simulation options object expected");
        foreach (var p in e.EnumerateObject())
            if (p.Name is not ("blockStateCalls" or "traceTransfers" or "validation" or "returnFullTransactions"))
                throw RpcException.InvalidParams($"{where}: unknown field {p.Name}");
        if (!e.TryGetProperty("blockStateCalls", out var bsc) || bsc.ValueKind != JsonValueKind.Array)
            throw RpcException.InvalidParams($"{where}: blockStateCalls must be an array");
        if (bsc.GetArrayLength() == 0) throw RpcException.InvalidParams("empty input");
        if (bsc.GetArrayLength() > SimulateModule.MaxBlocks)
            throw new RpcException(SimulateErrors.ClientLimitExceeded, $"too many blocks: at most {SimulateModule.MaxBlocks}");
        var blocks = new List<SimulateBlock>();
        int i = 0;
        foreach (var b in bsc.EnumerateArray())
        {
            var bw = $"{where}: blockStateCalls[{i++}]";
            if (b.ValueKind != JsonValueKind.Object) throw RpcException.InvalidParams($"{bw}: object expected");
            var overrides = b.TryGetProperty("blockOverrides", out var bo) && bo.ValueKind != JsonValueKind.Null ? BlockOverrides.Parse(bo, $"{bw}.blockOverrides") : new BlockOverrides();
            var state = b.TryGetProperty("stateOverrides", out var so) && so.ValueKind != JsonValueKind.Null ? OverrideWorldSource.Parse(so, 0) : null;
            var calls = new List<CallArgs>();
            if (b.TryGetProperty("calls", out var cs) && cs.ValueKind != JsonValueKind.Null)
            {
                if (cs.ValueKind != JsonValueKind.Array) throw RpcException.InvalidParams($"{bw}.calls: array expected");
                foreach (var c in cs.EnumerateArray()) calls.Add(CallArgs.Parse(c, 0));
            }
            blocks.Add(new SimulateBlock(overrides, state, calls));
        }
        return new SimulateRequest(blocks, Flag(e, "traceTransfers"), Flag(e, "validation"), Flag(e, "returnFullTransactions"));
    }

    private static bool Flag(JsonElement e, string name) =>
        !e.TryGetProperty(name, out var v) || v.ValueKind == JsonValueKind.Null ? false
        : v.ValueKind is JsonValueKind.True or JsonValueKind.False ? v.GetBoolean()
        : throw RpcException.InvalidParams($"invalid argument 0: {name} must be a boolean");
}
