using System.Text.Json;
using System.Text.Json.Nodes;
using OpenLedger.Chain;
using OpenLedger.Chain.Blocks;
using OpenLedger.Chain.Receipts;
using OpenLedger.Primitives;
using OpenLedger.Rpc.JsonRpc;
using OpenLedger.State.World;

namespace OpenLedger.Rpc.Eth;

/// <summary>
/// Log filter criteria (eth_getLogs, eth_newFilter, logs subscriptions): a block range or hash, any of
/// some addresses, and per-position topic sets (null = any).
/// </summary>
public sealed record LogCriteria
{
    public string? FromTag { get; init; }
    public string? ToTag { get; init; }
    public Hash256? BlockHash { get; init; }
    public IReadOnlyList<Address> Addresses { get; init; } = [];
    public IReadOnlyList<IReadOnlyList<Hash256>?> Topics { get; init; } = [];

    /// <summary>geth's caps: at most 1000 addresses and 1000 topics in one position.</summary>
    public const int MaxAddresses = 1000, MaxTopicsPerPosition = 1000;

    public static LogCriteria Parse(JsonElement e, int index)
    {
        if (e.ValueKind != JsonValueKind.Object) throw RpcException.InvalidParams($"invalid argument {index}: filter object expected");
        var c = new LogCriteria();
        if (e.TryGetProperty("blockHash", out var bh) && bh.ValueKind != JsonValueKind.Null)
        {
            if (bh.ValueKind != JsonValueKind.String || !Hash256.TryParse(bh.GetString(), out var h)) throw RpcException.InvalidParams("invalid blockHash");
            if (e.TryGetProperty("fromBlock", out var fb) && fb.ValueKind != JsonValueKind.Null || e.TryGetProperty("toBlock", out var tb) && tb.ValueKind != JsonValueKind.Null)
                throw RpcException.InvalidParams("cannot specify both BlockHash and FromBlock/ToBlock, choose one or the other");
            c = c with { BlockHash = h };
        }
        c = c with { FromTag = Tag(e, "fromBlock"), ToTag = Tag(e, "toBlock") };
        if (e.TryGetProperty("address", out var a) && a.ValueKind != JsonValueKind.Null)
        {
            if (a.ValueKind == JsonValueKind.Array && a.GetArrayLength() > MaxAddresses)
                throw RpcException.InvalidParams($"invalid argument {index}: {a.GetArrayLength()} addresses, limit {MaxAddresses}");
            var list = new List<Address>();
            foreach (var item in a.ValueKind == JsonValueKind.Array ? a.EnumerateArray().ToArray() : [a])
                list.Add(item.ValueKind == JsonValueKind.String && Address.TryParse(item.GetString(), out var addr) ? addr : throw RpcException.InvalidParams("invalid address in filter"));
            c = c with { Addresses = list };
        }
        if (e.TryGetProperty("topics", out var t) && t.ValueKind != JsonValueKind.Null)
        {
            if (t.ValueKind != JsonValueKind.Array) throw RpcException.InvalidParams("filter topics must be an array");
            if (t.GetArrayLength() > 4) throw RpcException.InvalidParams("filter topics: at most 4 positions");
            var topics = new List<IReadOnlyList<Hash256>?>();
            foreach (var pos in t.EnumerateArray())
            {
                if (pos.ValueKind == JsonValueKind.Null) topics.Add(null);
                else if (pos.ValueKind == JsonValueKind.String) topics.Add([ParseTopic(pos)]);
                else if (pos.ValueKind == JsonValueKind.Array && pos.GetArrayLength() > MaxTopicsPerPosition)
                    throw RpcException.InvalidParams($"invalid argument {index}: {pos.GetArrayLength()} topics in one position, limit {MaxTopicsPerPosition}");
                else if (pos.ValueKind == JsonValueKind.Array) topics.Add(pos.EnumerateArray().Select(ParseTopic).ToArray());
                else throw RpcException.InvalidParams("filter topics: each position is null, a topic or an array of topics");
            }
            if (topics.Count > 4) throw RpcException.InvalidParams("filter topics: at most 4 positions");
            c = c with { Topics = topics };
        }
        return c;
    }

    private static Hash256 ParseTopic(JsonElement e) =>
        e.ValueKind == JsonValueKind.String && Hash256.TryParse(e.GetString(), out var h) ? h : throw RpcException.InvalidParams("filter topics must be 32-byte hex");

    private static string? Tag(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind != JsonValueKind.Null
            ? v.ValueKind == JsonValueKind.String ? v.GetString() : throw RpcException.InvalidParams($"{name}: block number or tag expected")
            : null;

    public bool Matches(LogEntry log)
    {
        if (Addresses.Count > 0 && !Addresses.Contains(log.Address)) return false;
        if (Topics.Count > log.Topics.Length) return false;
        for (int i = 0; i < Topics.Count; i++)
            if (Topics[i] is { Count: > 0 } set && !set.Contains(log.Topics[i])) return false;
        return true;
    }

    /// <summary>False only when the block's bloom proves no log can match.</summary>
    public bool MayMatch(BlockHeader header)
    {
        var bloom = new Bloom(header.LogsBloom);
        if (Addresses.Count > 0 && !Addresses.Any(a => bloom.MayContain(a.Bytes))) return false;
        foreach (var set in Topics)
            if (set is { Count: > 0 } && !set.Any(t => bloom.MayContain(t.Bytes))) return false;
        return true;
    }

    /// <summary>Matching logs of one block, in order, as JSON.</summary>
    public void Collect(Blockchain chain, BlockHeader header, JsonArray into, int limit)
    {
        if (!MayMatch(header)) return;
        var hash = header.Hash;
        var block = chain.Store.GetBlock(hash);
        var receipts = chain.Store.GetReceipts(hash);
        if (block is null || receipts is null) return;
        int logIndex = 0;
        for (int i = 0; i < receipts.Count; i++)
        {
            foreach (var log in receipts[i].Logs)
            {
                if (Matches(log))
                {
                    if (into.Count >= limit) throw new RpcException(RpcErrorCodes.LimitExceeded, $"query returned more than {limit} results");
                    into.Add(RpcFormat.Log(log, header, block.TransactionHashes[i], i, logIndex, removed: false, hash));
                }
                logIndex++;
            }
        }
    }
}
