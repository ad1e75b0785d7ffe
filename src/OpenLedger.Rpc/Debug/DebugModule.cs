using System.Text.Json;
using System.Text.Json.Nodes;
using OpenLedger.Chain;
using OpenLedger.Chain.Blocks;
using OpenLedger.Chain.Execution;
using OpenLedger.Evm.Tracing;
using OpenLedger.Evm.Transactions;
using OpenLedger.Primitives;
using OpenLedger.Rpc.Eth;
using OpenLedger.Rpc.Execution;
using OpenLedger.Rpc.JsonRpc;
using OpenLedger.State.World;

namespace OpenLedger.Rpc.Debug;

/// <summary>
/// debug_traceTransaction, debug_traceCall, debug_traceBlockByNumber and debug_traceBlockByHash with geth's
/// struct-log tracer (the default), callTracer and prestateTracer.
/// Every trace runs under the node's execution budget (timeout, cancel on disconnect) and its result is held under
/// the response size limit.
public sealed class DebugModule(Blockchain chain, BlockResolver blocks, ExecutionGate? gate = null, long maxTraceBytes = RpcLimits.DefaultMaxResponseBytes)
{
    private readonly ExecutionGate _gate = gate ?? new ExecutionGate(new ExecutionLimits());
    private readonly CallExecutor _calls = new(chain);

    public void Register(RpcMethodRegistry r)
    {
        r.Add("debug_traceTransaction", async (p, ctx) =>
        {
            p.ExpectAtMost(2);
            var hash = p.Hash(0);
            var config = TraceConfig.Parse(p, 1);
            var loc = chain.Store.GetTxLocation(hash) ?? throw new RpcException(RpcErrorCodes.ServerError, $"transaction {hash} not found");
            var block = chain.Store.GetBlock(loc.BlockHash) ?? throw new RpcException(RpcErrorCodes.ServerError, "block not found");
            using var budget = await _gate.StartAsync(ctx.Cancellation);
            return (object?)TraceBlock(block, config, only: loc.Index, budget)[0];
        });
        r.Add("debug_traceBlockByNumber", async (p, ctx) =>
        {
            p.ExpectAtMost(2);
            var header = blocks.TryResolveNumber(p, 0) ?? throw new RpcException(RpcErrorCodes.ServerError, $"block #{p.RequiredString(0, "block")} not found");
            var config = TraceConfig.Parse(p, 1);
            using var budget = await _gate.StartAsync(ctx.Cancellation);
            return (object?)BlockResult(chain.Store.GetBlock(header.Hash)!, config, budget);
        });
        r.Add("debug_traceBlockByHash", async (p, ctx) =>
        {
            p.ExpectAtMost(2);
            var hash = p.Hash(0);
            var config = TraceConfig.Parse(p, 1);
            var block = chain.Store.GetBlock(hash) ?? throw new RpcException(RpcErrorCodes.ServerError, $"block {hash} not found");
            using var budget = await _gate.StartAsync(ctx.Cancellation);
            return (object?)BlockResult(block, config, budget);
        });
        r.Add("debug_traceCall", async (p, ctx) =>
        {
            p.ExpectAtMost(3);
            var args = CallArgs.Parse(p.Required(0, "transaction"), 0);
            var header = blocks.Resolve(p, 1);
            var config = TraceConfig.Parse(p, 2);
            IReadOnlyDictionary<Address, AccountOverride>? overrides = null;
            if (p.Has(2) && p[2].TryGetProperty("stateOverrides", out var so) && so.ValueKind != JsonValueKind.Null) overrides = OverrideWorldSource.Parse(so, 2);
            ulong gas = _calls.GasFor(args, header);
            RecordingWorldSource? reads = null;
            var world = _calls.WorldAt(header, overrides, config.Tracer == TracerKind.Prestate ? s => reads = new RecordingWorldSource(s) : null);
            var tracer = config.Create(0, (long)gas, maxTraceBytes);
            using var budget = await _gate.StartAsync(ctx.Cancellation);
            _calls.Execute(world, _calls.ContextFor(header, args), args, gas, tracer, budget: budget);
            return (object?)Finish(tracer, reads, world);
        });
    }

    private JsonArray BlockResult(Block block, TraceConfig config, ExecutionBudget budget)
    {
        var results = TraceBlock(block, config, only: null, budget);
        var arr = new JsonArray();
        for (int i = 0; i < results.Count; i++)
            arr.Add(new JsonObject { ["txHash"] = block.TransactionHashes[i].ToString(), ["result"] = results[i] });
        return arr;
    }

    /// <summary>
    /// Re-executes the block's transactions on its parent's state, tracing each (or only the one at <paramref name="only"/>,
    /// after replaying those before it). Each transaction runs on a fresh world over the changes of the earlier ones,
    /// so a prestate trace sees exactly what was there before that transaction.
    /// </summary>
    private List<JsonNode> TraceBlock(Block block, TraceConfig config, int? only, ExecutionBudget budget)
    {
        var parent = chain.Store.GetHeader(block.Header.ParentHash) ?? throw new RpcException(RpcErrorCodes.ServerError, "parent block not found");
        var source = new TrieWorldSource(chain.StateAt(parent));
        var context = chain.ContextFor(block.Header);
        // The block's fork, under a spec whose JUMPDEST checks the request's budget.
        var processor = BlockProducer.CreateProcessor(chain.Config, SimulationSpec.For(chain.SpecAt(block.Header.Timestamp)), simulation: false);
        // The block's system calls ran before its transactions (EIP-2935): replay them too.
        var system = new WorldState(source);
        Evm.Transactions.SystemCall.StoreParentHash(system, processor.Spec, context, block.Header.ParentHash);
        source.Apply(system.Commit());
        var receipts = chain.Store.GetReceipts(block.Hash);
        var results = new List<JsonNode>();
        int firstLogIndex = 0;
        int last = only ?? block.Transactions.Count - 1;
        for (int i = 0; i <= last; i++)
        {
            var tx = block.Transactions[i];
            bool traced = only is null || only == i;
            RecordingWorldSource? reads = traced && config.Tracer == TracerKind.Prestate ? new RecordingWorldSource(source) : null;
            var world = new WorldState((IWorldSource?)reads ?? source);
            var tracer = traced ? config.Create(firstLogIndex, (long)tx.GasLimit, maxTraceBytes) : null;
            budget.ThrowIfExceeded();
            TransactionResult result;
            using (SimulationSpec.Enter(budget, world))
                result = processor.Execute(world, context, tx, receipts?[i].From ?? tx.RecoverSender(), tracer);
            if (!result.IsValid) throw new RpcException(RpcErrorCodes.InternalError, $"replay of transaction {i} in block {block.Number} was rejected: {result.Rejection}");
            if (tracer != null) results.Add(Finish(tracer, reads, world));
            firstLogIndex += receipts?[i].Logs.Count ?? result.Logs.Count;
            if (i < last) source.Apply(world.Commit());
        }
        return results;
    }

    private static JsonNode Finish(IEvmTracer tracer, RecordingWorldSource? reads, WorldState world) => tracer switch
    {
        PrestateTracer pt => pt.Result(reads!, world),
        ITraceResult tr => tr.Result(),
        _ => throw new InvalidOperationException("unknown tracer"),
    };
}

public enum TracerKind { StructLog, Call, Prestate }

/// <summary>The trace config object of the debug_trace* methods, validated.</summary>
public sealed record TraceConfig(TracerKind Tracer, StructLogOptions StructLog, bool OnlyTopCall, bool WithLog, bool DiffMode)
{
    /// <param name="maxBytes">The struct-log and call tracers stop growing past this (the response limit) and answer -32005.</param>
    public IEvmTracer Create(int firstLogIndex, long gasLimit, long maxBytes = RpcLimits.DefaultMaxResponseBytes)
    {
        switch (Tracer)
        {
            case TracerKind.Call:
                var ct = new CallTracer(OnlyTopCall, WithLog, firstLogIndex) { MaxBytes = maxBytes };
                ct.SetTransactionGasLimit(gasLimit);
                return ct;
            case TracerKind.Prestate:
                return new PrestateTracer(DiffMode);
            default:
                return new StructLogTracer(StructLog with { MaxBytes = maxBytes });
        }
    }

    public static TraceConfig Parse(RpcParams p, int index)
    {
        if (!p.Has(index)) return new TraceConfig(TracerKind.StructLog, new StructLogOptions(), false, false, false);
        var o = p[index];
        if (o.ValueKind != JsonValueKind.Object) throw RpcException.InvalidParams($"invalid argument {index} (trace config): object expected");
        var kind = TracerKind.StructLog;
        if (o.TryGetProperty("tracer", out var t) && t.ValueKind != JsonValueKind.Null)
        {
            kind = t.ValueKind != JsonValueKind.String ? throw RpcException.InvalidParams($"invalid argument {index} (tracer): string expected")
                : t.GetString() switch
                {
                    "callTracer" => TracerKind.Call,
                    "prestateTracer" => TracerKind.Prestate,
                    var other => throw new RpcException(RpcErrorCodes.InvalidParams, $"tracer \"{other}\" is not available on this node; use \"callTracer\", \"prestateTracer\" or omit \"tracer\" for struct logs"),
                };
        }
        bool onlyTop = false, withLog = false, diff = false;
        if (o.TryGetProperty("tracerConfig", out var cfg) && cfg.ValueKind != JsonValueKind.Null)
        {
            if (cfg.ValueKind != JsonValueKind.Object) throw RpcException.InvalidParams($"invalid argument {index} (tracerConfig): object expected");
            onlyTop = Flag(cfg, "onlyTopCall", $"{index} (tracerConfig.onlyTopCall)");
            withLog = Flag(cfg, "withLog", $"{index} (tracerConfig.withLog)");
            diff = Flag(cfg, "diffMode", $"{index} (tracerConfig.diffMode)");
        }
        int limit = 0;
        if (o.TryGetProperty("limit", out var l) && l.ValueKind != JsonValueKind.Null)
            limit = l.ValueKind == JsonValueKind.Number && l.TryGetInt32(out var n) && n >= 0 ? n : throw RpcException.InvalidParams($"invalid argument {index} (limit): non-negative integer expected");
        var structLog = new StructLogOptions(Flag(o, "disableStack", $"{index} (disableStack)"), Flag(o, "disableStorage", $"{index} (disableStorage)"), limit,
            Flag(o, "enableMemory", $"{index} (enableMemory)"));
        return new TraceConfig(kind, structLog, onlyTop, withLog, diff);
    }

    private static bool Flag(JsonElement o, string name, string where) =>
        !o.TryGetProperty(name, out var v) || v.ValueKind == JsonValueKind.Null ? false
        : v.ValueKind is JsonValueKind.True or JsonValueKind.False ? v.GetBoolean()
        : throw RpcException.InvalidParams($"invalid argument {where}: boolean expected");
}
