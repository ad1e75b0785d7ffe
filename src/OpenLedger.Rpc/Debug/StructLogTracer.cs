using System.Text.Json.Nodes;
using OpenLedger.Evm.Tracing;
using OpenLedger.Primitives;
using OpenLedger.Rpc.JsonRpc;

namespace OpenLedger.Rpc.Debug;

/// <summary>Options of geth's default (struct log) tracer.</summary>
public sealed record StructLogOptions(bool DisableStack = false, bool DisableStorage = false, int Limit = 0)
{
    /// <summary>The trace's size as JSON is held under this; a bigger one is refused with a limit error (memory stays bounded).</summary>
    public long MaxBytes { get; init; } = RpcLimits.DefaultMaxResponseBytes;
}

/// <summary>
/// geth's struct-log trace: one entry per executed opcode with pc, op, gas, gasCost, depth, stack and,
/// on SLOAD/SSTORE, the storage slots of that frame seen so far. Memory is not captured (geth's default).
/// </summary>
public sealed class StructLogTracer(StructLogOptions options) : IEvmTracer, ITraceResult
{
    /// <summary>A trace bigger than this is refused rather than allowed to exhaust memory.</summary>
    public const int HardLimit = 1_000_000;

    private readonly JsonArray _logs = [];
    private readonly Dictionary<int, JsonObject> _storageByDepth = [];
    private JsonObject? _pending;
    private long _gasUsed;
    private string? _error;
    private byte[] _output = [];
    // The JSON size of what is held so far, estimated from its parts (about 100 bytes per entry, 70 per stack word, 140 per storage slot).
    private long _bytes;
    private bool _tooBig;

    public void OnStep(in StepInfo step)
    {
        int limit = options.Limit > 0 ? Math.Min(options.Limit, HardLimit) : HardLimit;
        if (_logs.Count >= limit || _tooBig)
        {
            // Never throw from inside the interpreter: note it and refuse the result afterwards.
            _overflow = options.Limit <= 0 || _tooBig;
            _pending = null;
            return;
        }
        long size = 100 + (options.DisableStack ? 0 : 70L * step.Stack.Length);
        if (_bytes + size > options.MaxBytes)
        {
            _tooBig = _overflow = true;
            _pending = null;
            return;
        }
        _bytes += size;
        var entry = new JsonObject
        {
            ["pc"] = step.Pc,
            ["op"] = step.OpName,
            ["gas"] = step.Gas,
            ["gasCost"] = 0,
            ["depth"] = step.Depth,
        };
        if (step.Refund != 0) entry["refund"] = step.Refund;
        if (!options.DisableStack)
            entry["stack"] = new JsonArray(StackStrings(step.Stack));
        if (!options.DisableStorage && step.Op is 0x54 or 0x55 && step.Stack.Length >= (step.Op == 0x55 ? 2 : 1))
        {
            // Storage as geth shows it: the slots this frame has read or written, SSTORE's new value included.
            if (step.Depth == 1 || !_storageByDepth.ContainsKey(step.Depth)) _storageByDepth.TryAdd(step.Depth, new JsonObject());
            var storage = _storageByDepth[step.Depth];
            var key = Word(step.Stack[^1]);
            if (step.Op == 0x55) storage[key] = Word(step.Stack[^2]);
            else storage.TryAdd(key, null);
            _bytes += 140L * storage.Count;
            if (_bytes > options.MaxBytes)
            {
                _tooBig = _overflow = true;
                _pending = null;
                return;
            }
            entry["storage"] = storage.DeepClone();
        }
        _logs.Add(entry);
        _pending = entry;
    }

    public void OnStepCost(long gasCost, string? error)
    {
        if (_pending is null) return;
        _pending["gasCost"] = gasCost;
        if (error != null) _pending["error"] = error;
        _pending = null;
    }

    public void OnTransactionEnd(ReadOnlySpan<byte> output, long gasUsed, string? error)
    {
        _output = output.ToArray();
        _gasUsed = gasUsed;
        _error = error;
    }

    private bool _overflow;

    public JsonObject Result() => _tooBig
        ? throw new RpcException(RpcErrorCodes.LimitExceeded, $"trace exceeds {options.MaxBytes} bytes (rpc.maxResponseBytes); pass a smaller \"limit\" or \"disableStack\": true")
        : _overflow
        ? throw new RpcException(RpcErrorCodes.LimitExceeded, $"trace exceeds {HardLimit} steps; pass a smaller \"limit\"")
        : new()
    {
        ["gas"] = _gasUsed,
        ["failed"] = _error != null,
        ["returnValue"] = Convert.ToHexStringLower(_output),
        ["structLogs"] = _logs,
    };

    private static JsonNode?[] StackStrings(ReadOnlySpan<UInt256> stack)
    {
        var arr = new JsonNode?[stack.Length];
        for (int i = 0; i < stack.Length; i++) arr[i] = stack[i].ToHexString();
        return arr;
    }

    private static string Word(in UInt256 v) => Convert.ToHexStringLower(v.ToBigEndian());
}
