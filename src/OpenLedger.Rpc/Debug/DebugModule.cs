using System.Text.Json;
using OpenLedger.Chain;
using OpenLedger.Chain.Execution;
using OpenLedger.Evm.Tracing;
using OpenLedger.Evm.Transactions;
using OpenLedger.Rpc.Eth;
using OpenLedger.Rpc.JsonRpc;
using OpenLedger.State.World;

namespace OpenLedger.Rpc.Debug;

/// <summary>debug_traceTransaction and debug_traceCall with geth's struct-log tracer.</summary>
public sealed class DebugModule(Blockchain chain, BlockResolver blocks)
{
    private readonly CallExecutor _calls = new(chain);

    public void Register(RpcMethodRegistry r)
    {
        r.Add("debug_traceTransaction", p =>
        {
            p.ExpectAtMost(2);
            var hash = p.Hash(0);
            var loc = chain.Store.GetTxLocation(hash) ?? throw new RpcException(RpcErrorCodes.ServerError, $"transaction {hash} not found");
            var block = chain.Store.GetBlock(loc.BlockHash) ?? throw new RpcException(RpcErrorCodes.ServerError, "block not found");
            var parent = chain.Store.GetHeader(block.Header.ParentHash) ?? throw new RpcException(RpcErrorCodes.ServerError, "parent block not found");

            // Re-execute the block's earlier transactions on the parent state, then the traced one.
            var world = new WorldState(new TrieWorldSource(chain.StateAt(parent)));
            var context = chain.ContextFor(block.Header);
            var processor = new TransactionProcessor(chain.SpecAt(block.Header.Timestamp));
            var receipts = chain.Store.GetReceipts(block.Hash);
            // geth numbers a traced transaction's logs within the block: count the earlier transactions' logs.
            int firstLogIndex = receipts is null ? 0 : receipts.Take(loc.Index).Sum(r => r.Logs.Count);
            var tracer = CreateTracer(p, 1, firstLogIndex);
            for (int i = 0; i <= loc.Index; i++)
            {
                var tx = block.Transactions[i];
                if (i == loc.Index && tracer is CallTracer ct) ct.SetTransactionGasLimit((long)tx.GasLimit);
                var result = processor.Execute(world, context, tx, receipts?[i].From ?? tx.RecoverSender(), i == loc.Index ? (IEvmTracer)tracer : null);
                if (!result.IsValid) throw new RpcException(RpcErrorCodes.InternalError, $"replay of transaction {i} in block {block.Number} was rejected: {result.Rejection}");
            }
            return tracer.Result();
        });
        r.Add("debug_traceCall", p =>
        {
            p.ExpectAtMost(3);
            var args = CallArgs.Parse(p.Required(0, "transaction"), 0);
            var header = blocks.Resolve(p, 1);
            var tracer = CreateTracer(p, 2);
            IReadOnlyDictionary<OpenLedger.Primitives.Address, AccountOverride>? overrides = null;
            if (p.Has(2) && p[2].TryGetProperty("stateOverrides", out var so)) overrides = OverrideWorldSource.Parse(so, 2);
            ulong gas = _calls.GasFor(args, header);
            if (tracer is CallTracer ct) ct.SetTransactionGasLimit((long)gas);
            _calls.Run(args, header, overrides, gas, (IEvmTracer)tracer);
            return tracer.Result();
        });
    }

    private static ITraceResult CreateTracer(RpcParams p, int index, int firstLogIndex = 0)
    {
        if (!p.Has(index)) return new StructLogTracer(new StructLogOptions());
        var o = p[index];
        if (o.ValueKind != JsonValueKind.Object) throw RpcException.InvalidParams($"invalid argument {index} (trace config): object expected");
        if (o.TryGetProperty("tracer", out var t) && t.ValueKind == JsonValueKind.String)
        {
            if (t.GetString() != "callTracer")
                throw new RpcException(RpcErrorCodes.InvalidParams, $"tracer \"{t.GetString()}\" is not available on this node; use \"callTracer\" or omit \"tracer\" for struct logs");
            bool onlyTop = false, withLog = false;
            if (o.TryGetProperty("tracerConfig", out var cfg))
            {
                if (cfg.ValueKind != JsonValueKind.Object) throw RpcException.InvalidParams($"invalid argument {index} (tracerConfig): object expected");
                onlyTop = ConfigFlag(cfg, "onlyTopCall", index);
                withLog = ConfigFlag(cfg, "withLog", index);
            }
            return new CallTracer(onlyTop, withLog, firstLogIndex);
        }
        static bool ConfigFlag(JsonElement cfg, string name, int index) =>
            !cfg.TryGetProperty(name, out var v) ? false
            : v.ValueKind is JsonValueKind.True or JsonValueKind.False ? v.GetBoolean()
            : throw RpcException.InvalidParams($"invalid argument {index} (tracerConfig.{name}): boolean expected");
        bool Flag(string name) => o.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.True;
        int limit = o.TryGetProperty("limit", out var l) && l.TryGetInt32(out var n) && n > 0 ? n : 0;
        if (Flag("enableMemory")) throw new RpcException(RpcErrorCodes.InvalidParams, "enableMemory is not supported: memory capture is not available on this node");
        return new StructLogTracer(new StructLogOptions(Flag("disableStack"), Flag("disableStorage"), limit));
    }
}
