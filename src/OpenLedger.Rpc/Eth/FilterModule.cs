using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using OpenLedger.Chain;
using OpenLedger.Chain.TxPool;
using OpenLedger.Primitives;
using OpenLedger.Rpc.JsonRpc;

namespace OpenLedger.Rpc.Eth;

/// <summary>
/// eth_getLogs, polling filters (eth_newFilter and friends, expiring after 5 idle minutes, like geth)
/// and WebSocket subscriptions (newHeads, logs, newPendingTransactions).
/// </summary>
public sealed class FilterModule : IDisposable
{
    private static readonly TimeSpan FilterTimeout = TimeSpan.FromMinutes(5);
    private const int MaxBufferedPerFilter = 10_000;

    private abstract class Filter
    {
        public DateTime LastPoll = DateTime.UtcNow;
        public readonly List<JsonNode> Buffer = [];
    }

    private sealed class BlockFilter : Filter;
    private sealed class PendingFilter : Filter;
    private sealed class LogsFilter(LogCriteria criteria) : Filter
    {
        public LogCriteria Criteria { get; } = criteria;
    }

    private sealed record Subscription(string Kind, IRpcConnection Connection, LogCriteria? Criteria);

    private readonly Blockchain _chain;
    private readonly BlockResolver _blocks;
    private readonly EthRpcOptions _options;
    private readonly ConcurrentDictionary<string, Filter> _filters = new();
    private readonly ConcurrentDictionary<string, Subscription> _subscriptions = new();
    private readonly Timer _sweeper;

    public FilterModule(Blockchain chain, BlockResolver blocks, EthRpcOptions options)
    {
        _chain = chain;
        _blocks = blocks;
        _options = options;
        chain.BlockCommitted += OnBlock;
        chain.Pool.Added += OnPending;
        _sweeper = new Timer(_ => Sweep(), null, TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(1));
    }

    public void Register(RpcMethodRegistry r)
    {
        r.Add("eth_getLogs", p =>
        {
            p.ExpectAtMost(1);
            return GetLogs(LogCriteria.Parse(p.Required(0, "filter"), 0));
        });
        r.Add("eth_newFilter", p =>
        {
            p.ExpectAtMost(1);
            return Install(new LogsFilter(LogCriteria.Parse(p.Required(0, "filter"), 0)));
        });
        r.Add("eth_newBlockFilter", p => { p.ExpectAtMost(0); return Install(new BlockFilter()); });
        r.Add("eth_newPendingTransactionFilter", p => { p.ExpectAtMost(1); return Install(new PendingFilter()); });
        r.Add("eth_uninstallFilter", p => { p.ExpectAtMost(1); return _filters.TryRemove(p.RequiredString(0, "id"), out _); });
        r.Add("eth_getFilterChanges", p =>
        {
            p.ExpectAtMost(1);
            var f = Find(p.RequiredString(0, "id"));
            lock (f)
            {
                f.LastPoll = DateTime.UtcNow;
                var items = new JsonArray(f.Buffer.ToArray());
                f.Buffer.Clear();
                return items;
            }
        });
        r.Add("eth_getFilterLogs", p =>
        {
            p.ExpectAtMost(1);
            if (Find(p.RequiredString(0, "id")) is not LogsFilter f) throw new RpcException(RpcErrorCodes.ServerError, "filter not found");
            f.LastPoll = DateTime.UtcNow;
            return GetLogs(f.Criteria);
        });
        r.Add("eth_subscribe", (p, ctx) =>
        {
            if (ctx.Connection is null) throw new RpcException(RpcErrorCodes.MethodNotFound, "notifications not supported");
            p.ExpectAtMost(2);
            var kind = p.RequiredString(0, "subscription type");
            LogCriteria? criteria = null;
            switch (kind)
            {
                case "newHeads":
                case "newPendingTransactions":
                // This node never syncs from peers (the sequencer makes the chain), so its sync status never changes and,
                // as geth does while in sync, a syncing subscription receives no notification.
                case "syncing":
                    break;
                case "logs":
                    criteria = p.Has(1) ? LogCriteria.Parse(p[1], 1) : new LogCriteria();
                    break;
                default:
                    throw RpcException.InvalidParams($"no \"{kind}\" subscription in eth namespace");
            }
            var id = NewId();
            _subscriptions[id] = new Subscription(kind, ctx.Connection, criteria);
            ctx.Connection.OnClose(() => _subscriptions.TryRemove(id, out _));
            return ValueTask.FromResult<object?>(id);
        });
        r.Add("eth_unsubscribe", p => { p.ExpectAtMost(1); return _subscriptions.TryRemove(p.RequiredString(0, "id"), out _); });
    }

    public JsonArray GetLogs(LogCriteria c)
    {
        var result = new JsonArray();
        if (c.BlockHash is { } hash)
        {
            var header = _chain.Store.GetHeader(hash) ?? throw new RpcException(RpcErrorCodes.ServerError, "unknown block");
            c.Collect(_chain, header, result, _options.MaxLogResults);
            return result;
        }
        ulong head = _chain.Head.Number;
        ulong from = c.FromTag is null ? head : _blocks.ParseTag(c.FromTag, 0, "fromBlock")!.Value;
        ulong to = c.ToTag is null ? head : _blocks.ParseTag(c.ToTag, 0, "toBlock")!.Value;
        if (from > to) throw new RpcException(RpcErrorCodes.InvalidParams, "invalid block range params");
        to = Math.Min(to, head);
        if (from <= to && to - from + 1 > _options.MaxLogBlockRange)
            throw new RpcException(RpcErrorCodes.LimitExceeded, $"block range exceeds {_options.MaxLogBlockRange} blocks");
        for (ulong n = from; n <= to && from <= to; n++)
        {
            if (_chain.Store.GetHeader(n) is { } header) c.Collect(_chain, header, result, _options.MaxLogResults);
        }
        return result;
    }

    private string Install(Filter f)
    {
        if (_filters.Count >= 10_000) throw new RpcException(RpcErrorCodes.LimitExceeded, "too many filters installed");
        var id = NewId();
        _filters[id] = f;
        return id;
    }

    private Filter Find(string id) => _filters.TryGetValue(id, out var f) ? f : throw new RpcException(RpcErrorCodes.ServerError, "filter not found");

    private static string NewId() => "0x" + Convert.ToHexStringLower(Guid.NewGuid().ToByteArray());

    private void OnBlock(NewBlock nb)
    {
        var header = nb.Block.Header;
        var headJson = RpcFormat.Header(header);
        foreach (var f in _filters.Values)
        {
            lock (f)
            {
                if (f is BlockFilter) Append(f, JsonValue.Create(header.Hash.ToString()));
                else if (f is LogsFilter lf) AppendMatching(lf.Criteria, nb, (node) => Append(f, node));
            }
        }
        foreach (var (id, sub) in _subscriptions)
        {
            if (sub.Kind == "newHeads") Notify(sub, id, headJson.DeepClone());
            else if (sub.Kind == "logs") AppendMatching(sub.Criteria!, nb, node => Notify(sub, id, node));
        }
    }

    private static void AppendMatching(LogCriteria c, NewBlock nb, Action<JsonNode> sink)
    {
        int logIndex = 0;
        var hash = nb.Block.Hash;
        for (int i = 0; i < nb.Receipts.Count; i++)
        {
            foreach (var log in nb.Receipts[i].Logs)
            {
                if (c.Matches(log)) sink(RpcFormat.Log(log, nb.Block.Header, nb.Block.TransactionHashes[i], i, logIndex, removed: false, hash));
                logIndex++;
            }
        }
    }

    private void OnPending(PooledTransaction ptx)
    {
        var hash = ptx.Hash.ToString();
        foreach (var f in _filters.Values)
            if (f is PendingFilter)
                lock (f) Append(f, JsonValue.Create(hash));
        foreach (var (id, sub) in _subscriptions)
            if (sub.Kind == "newPendingTransactions") Notify(sub, id, JsonValue.Create(hash));
    }

    private static void Append(Filter f, JsonNode? node)
    {
        if (node is null) return;
        // A client that stops polling must not grow memory without bound.
        if (f.Buffer.Count >= MaxBufferedPerFilter) f.Buffer.RemoveAt(0);
        f.Buffer.Add(node);
    }

    private static void Notify(Subscription sub, string id, JsonNode? result)
    {
        var msg = new JsonObject
        {
            ["jsonrpc"] = "2.0",
            ["method"] = "eth_subscription",
            ["params"] = new JsonObject { ["subscription"] = id, ["result"] = result },
        };
        var bytes = Encoding.UTF8.GetBytes(msg.ToJsonString(JsonRpc.RpcDispatcher.ResultOptions));
        // Fire and forget: a slow client must not stall block production.
        _ = sub.Connection.SendAsync(bytes, CancellationToken.None).AsTask().ContinueWith(_ => { }, TaskScheduler.Default);
    }

    private void Sweep()
    {
        var cutoff = DateTime.UtcNow - FilterTimeout;
        foreach (var (id, f) in _filters)
            if (f.LastPoll < cutoff) _filters.TryRemove(id, out _);
    }

    public void Dispose()
    {
        _sweeper.Dispose();
        _chain.BlockCommitted -= OnBlock;
        _chain.Pool.Added -= OnPending;
    }
}
