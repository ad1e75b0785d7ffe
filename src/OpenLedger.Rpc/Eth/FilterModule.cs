using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using OpenLedger.Chain;
using OpenLedger.Primitives;
using OpenLedger.Rpc.JsonRpc;

namespace OpenLedger.Rpc.Eth;

/// <summary>
/// eth_getLogs, polling filters (eth_newFilter and friends, expiring after 5 idle minutes, like geth)
/// and WebSocket subscriptions (newHeads, logs, newPendingTransactions).
/// Block production and the pool only append to two bounded journals (<see cref="EventJournal{T}"/>);
/// polling filters read them when polled and one delivery loop feeds subscriptions, so no client
/// work runs on the producer's thread and memory does not grow with the number of filters.
/// </summary>
public sealed class FilterModule : IDisposable
{
    private static readonly TimeSpan FilterTimeout = TimeSpan.FromMinutes(5);

    private abstract class Filter(long cursor)
    {
        public DateTime LastPoll = DateTime.UtcNow;
        public long Cursor = cursor;
    }

    private sealed class BlockFilter(long cursor) : Filter(cursor);
    private sealed class PendingFilter(long cursor) : Filter(cursor);
    private sealed class LogsFilter(LogCriteria criteria, long cursor) : Filter(cursor)
    {
        public LogCriteria Criteria { get; } = criteria;
    }

    private sealed class Subscription(string id, string kind, IRpcConnection connection, LogCriteria? criteria, long cursor)
    {
        public string Id { get; } = id;
        public string Kind { get; } = kind;
        public IRpcConnection Connection { get; } = connection;
        public LogCriteria? Criteria { get; } = criteria;
        public long Cursor = cursor;
    }

    private readonly Blockchain _chain;
    private readonly BlockResolver _blocks;
    private readonly EthRpcOptions _options;
    private readonly Dictionary<string, Filter> _filters = new();
    private readonly Dictionary<string, Subscription> _subscriptions = new();
    private readonly Dictionary<string, int> _subscriptionsPerConnection = new();
    private readonly EventJournal<NewBlock> _blockJournal;
    private readonly EventJournal<Hash256> _pendingJournal;
    private readonly SemaphoreSlim _deliverSignal = new(0, 1);
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _delivery;
    private readonly Timer _sweeper;

    public FilterModule(Blockchain chain, BlockResolver blocks, EthRpcOptions options)
    {
        _chain = chain;
        _blocks = blocks;
        _options = options;
        _blockJournal = ChainEvents.Blocks(options.FilterJournalBlocks, options.FilterJournalLogs);
        _pendingJournal = ChainEvents.Pending(options.FilterJournalTransactions);
        _blockJournal.Appended += Signal;
        _pendingJournal.Appended += Signal;
        chain.BlockCommitted += OnBlock;
        chain.Pool.Added += OnPending;
        _delivery = Task.Factory.StartNew(() => DeliverLoopAsync(_stop.Token), TaskCreationOptions.LongRunning).Unwrap();
        _sweeper = new Timer(_ => Sweep(), null, TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(1));
    }

    /// <summary>Installed polling filters and live subscriptions (for metrics and tests).</summary>
    public int FilterCount { get { lock (_filters) return _filters.Count; } }
    public int SubscriptionCount { get { lock (_subscriptions) return _subscriptions.Count; } }
    /// <summary>Journal entries dropped because clients fell behind (oldest first).</summary>
    public long EntriesDropped => _blockJournal.Dropped + _pendingJournal.Dropped;

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
            return Install(new LogsFilter(LogCriteria.Parse(p.Required(0, "filter"), 0), _blockJournal.Next));
        });
        r.Add("eth_newBlockFilter", p => { p.ExpectAtMost(0); return Install(new BlockFilter(_blockJournal.Next)); });
        r.Add("eth_newPendingTransactionFilter", p => { p.ExpectAtMost(1); return Install(new PendingFilter(_pendingJournal.Next)); });
        r.Add("eth_uninstallFilter", p =>
        {
            p.ExpectAtMost(1);
            var id = p.RequiredString(0, "id");
            lock (_filters) return _filters.Remove(id);
        });
        r.Add("eth_getFilterChanges", p =>
        {
            p.ExpectAtMost(1);
            var id = p.RequiredString(0, "id");
            var f = Find(id);
            lock (f)
            {
                f.LastPoll = DateTime.UtcNow;
                return Changes(id, f);
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
            long cursor;
            switch (kind)
            {
                case "newHeads":
                    cursor = _blockJournal.Next;
                    break;
                case "newPendingTransactions":
                    cursor = _pendingJournal.Next;
                    break;
                // This node never syncs from peers (the sequencer makes the chain), so its sync status never changes and,
                // as geth does while in sync, a syncing subscription receives no notification.
                case "syncing":
                    cursor = 0;
                    break;
                case "logs":
                    criteria = p.Has(1) ? LogCriteria.Parse(p[1], 1) : new LogCriteria();
                    cursor = _blockJournal.Next;
                    break;
                default:
                    throw RpcException.InvalidParams($"no \"{kind}\" subscription in eth namespace");
            }
            var conn = ctx.Connection;
            var id = NewId();
            lock (_subscriptions)
            {
                bool first = !_subscriptionsPerConnection.TryGetValue(conn.Id, out int n);
                if (n >= _options.MaxSubscriptionsPerConnection)
                    throw new RpcException(RpcErrorCodes.LimitExceeded, $"too many subscriptions on this connection: limit {_options.MaxSubscriptionsPerConnection} (rpc.maxSubscriptionsPerConnection)");
                _subscriptionsPerConnection[conn.Id] = n + 1;
                _subscriptions[id] = new Subscription(id, kind, conn, criteria, cursor);
                if (first) conn.OnClose(() => RemoveConnection(conn.Id));
            }
            return ValueTask.FromResult<object?>(id);
        });
        r.Add("eth_unsubscribe", p =>
        {
            p.ExpectAtMost(1);
            var id = p.RequiredString(0, "id");
            lock (_subscriptions)
            {
                if (!_subscriptions.Remove(id, out var sub)) return false;
                _subscriptionsPerConnection[sub.Connection.Id]--;
                return true;
            }
        });
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
        var id = NewId();
        lock (_filters)
        {
            if (_filters.Count >= _options.MaxFilters)
                throw new RpcException(RpcErrorCodes.LimitExceeded, $"too many filters installed: limit {_options.MaxFilters} (rpc.maxFilters)");
            _filters[id] = f;
        }
        return id;
    }

    private Filter Find(string id)
    {
        lock (_filters) return _filters.TryGetValue(id, out var f) ? f : throw new RpcException(RpcErrorCodes.ServerError, "filter not found");
    }

    private static string NewId() => "0x" + Convert.ToHexStringLower(Guid.NewGuid().ToByteArray());

    /// <summary>What the filter gained since it was last polled, at most the log result limit per call (the rest comes next time).</summary>
    private JsonArray Changes(string id, Filter f)
    {
        var result = new JsonArray();
        int max = _options.MaxLogResults;
        bool missed;
        if (f is PendingFilter)
        {
            var hashes = new List<Hash256>();
            f.Cursor = _pendingJournal.Read(f.Cursor, max, hashes, out missed);
            if (!missed) foreach (var h in hashes) result.Add(h.ToString());
        }
        else
        {
            var blocks = new List<NewBlock>();
            long cursor = f.Cursor;
            missed = false;
            while (result.Count < max)
            {
                blocks.Clear();
                long next = _blockJournal.Read(cursor, 16, blocks, out bool m);
                missed |= m;
                if (missed || blocks.Count == 0) break;
                foreach (var nb in blocks)
                {
                    if (f is BlockFilter) result.Add(nb.Block.Hash.ToString());
                    else ForEachMatch(((LogsFilter)f).Criteria, nb, (log, txi, li) => result.Add(RpcFormat.Log(log, nb.Block.Header, nb.Block.TransactionHashes[txi], txi, li, removed: false, nb.Block.Hash)));
                }
                cursor = next;
            }
            f.Cursor = cursor;
        }
        if (missed)
        {
            // The filter fell further behind than the journal reaches: say so (geth's text first, which clients look for) and drop it.
            lock (_filters) _filters.Remove(id);
            throw new RpcException(RpcErrorCodes.ServerError, "filter not found: it fell behind the node's event journal (rpc.filterJournal* limits) and was removed; install a new filter");
        }
        return result;
    }

    private static void ForEachMatch(LogCriteria c, NewBlock nb, Action<OpenLedger.State.World.LogEntry, int, int> sink)
    {
        int logIndex = 0;
        for (int i = 0; i < nb.Receipts.Count; i++)
        {
            foreach (var log in nb.Receipts[i].Logs)
            {
                if (c.Matches(log)) sink(log, i, logIndex);
                logIndex++;
            }
        }
    }

    // The producer's thread and RPC threads only append here.
    private void OnBlock(NewBlock nb) => _blockJournal.Append(nb);
    private void OnPending(Chain.TxPool.PooledTransaction ptx) => _pendingJournal.Append(ptx.Hash);

    private void Signal()
    {
        // At most one pending wake-up: the loop reads everything new each time.
        try { if (_deliverSignal.CurrentCount == 0) _deliverSignal.Release(); }
        catch (SemaphoreFullException) { }
    }

    private async Task DeliverLoopAsync(CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            try
            {
                await _deliverSignal.WaitAsync(ct);
                Deliver();
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                return;
            }
            catch (Exception)
            {
                // Delivery must outlive a bad notification; the next signal retries from the cursors.
            }
        }
    }

    /// <summary>Pushes what each subscription has not seen yet into its connection's bounded send queue.</summary>
    private void Deliver()
    {
        Subscription[] subs;
        lock (_subscriptions) subs = [.. _subscriptions.Values];
        var blocks = new List<NewBlock>();
        var hashes = new List<Hash256>();
        var headJson = new Dictionary<long, string>();
        foreach (var sub in subs)
        {
            if (sub.Kind == "newPendingTransactions")
            {
                hashes.Clear();
                sub.Cursor = _pendingJournal.Read(sub.Cursor, int.MaxValue, hashes, out bool missed);
                if (missed) { Lagged(sub); continue; }
                foreach (var h in hashes) Notify(sub, "\"" + h + "\"");
                continue;
            }
            if (sub.Kind == "syncing") continue;
            blocks.Clear();
            sub.Cursor = _blockJournal.Read(sub.Cursor, int.MaxValue, blocks, out bool m);
            if (m) { Lagged(sub); continue; }
            long seq = sub.Cursor - blocks.Count;
            foreach (var nb in blocks)
            {
                if (sub.Kind == "newHeads")
                {
                    if (!headJson.TryGetValue(seq, out var json)) headJson[seq] = json = RpcFormat.Header(nb.Block.Header).ToJsonString(RpcDispatcher.ResultOptions);
                    Notify(sub, json);
                }
                else
                {
                    ForEachMatch(sub.Criteria!, nb, (log, txi, li) =>
                        Notify(sub, RpcFormat.Log(log, nb.Block.Header, nb.Block.TransactionHashes[txi], txi, li, removed: false, nb.Block.Hash).ToJsonString(RpcDispatcher.ResultOptions)));
                }
                seq++;
            }
        }
    }

    private static void Notify(Subscription sub, string resultJson)
    {
        var bytes = Encoding.UTF8.GetBytes($"{{\"jsonrpc\":\"2.0\",\"method\":\"eth_subscription\",\"params\":{{\"subscription\":\"{sub.Id}\",\"result\":{resultJson}}}}}");
        // The connection's queue is bounded: a client that stops reading is disconnected there, never waited for here.
        _ = sub.Connection.SendAsync(bytes, CancellationToken.None);
    }

    /// <summary>Notifications this subscription never got were dropped: it cannot continue as if nothing happened.</summary>
    private static void Lagged(Subscription sub) =>
        sub.Connection.Close("subscription fell behind the node's event journal; notifications were dropped");

    private void RemoveConnection(string connectionId)
    {
        lock (_subscriptions)
        {
            foreach (var (id, sub) in _subscriptions.ToArray())
                if (sub.Connection.Id == connectionId) _subscriptions.Remove(id);
            _subscriptionsPerConnection.Remove(connectionId);
        }
    }

    private void Sweep()
    {
        var cutoff = DateTime.UtcNow - FilterTimeout;
        lock (_filters)
            foreach (var (id, f) in _filters.ToArray())
                if (f.LastPoll < cutoff) _filters.Remove(id);
    }

    public void Dispose()
    {
        _chain.BlockCommitted -= OnBlock;
        _chain.Pool.Added -= OnPending;
        _stop.Cancel();
        try { _delivery.Wait(TimeSpan.FromSeconds(5)); } catch (AggregateException) { }
        _sweeper.Dispose();
        _stop.Dispose();
    }
}
