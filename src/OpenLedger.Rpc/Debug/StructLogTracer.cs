using System.Text.Json.Nodes;
using OpenLedger.Evm.Tracing;
using OpenLedger.Primitives;
using OpenLedger.Rpc.JsonRpc;

namespace OpenLedger.Rpc.Debug;

/// <summary>Options of geth's default (struct log) tracer.</summary>
public sealed record StructLogOptions(bool DisableStack = false, bool DisableStorage = false, int Limit = 0, bool EnableMemory = false);

/// <summary>
/// geth's struct-log trace: one entry per executed opcode with pc, op, gas, gasCost, depth, stack, memory (with
/// enableMemory, as 32-byte words) and, on SLOAD/SSTORE, the storage slots of that frame seen so far (an SLOAD
/// shows the value it loaded, a zero word for an empty slot). Words are unprefixed hex as geth writes them.
/// </summary>
public sealed class StructLogTracer(StructLogOptions options) : IEvmTracer, ITraceResult
{
    /// <summary>A trace longer than this is refused rather than allowed to exhaust memory.</summary>
    public const int HardLimit = 1_000_000;

    /// <summary>Memory captured over the whole trace (each step copies its frame's memory) is capped at this many bytes.</summary>
    public const long MemoryCaptureLimit = 64L * 1024 * 1024;

    private static readonly string ZeroWord = new('0', 64);

    private readonly JsonArray _logs = [];
    private readonly Dictionary<int, JsonObject> _storageByDepth = [];
    private JsonObject? _pending;
    // An SLOAD's value is the top of the stack at the frame's next step: patched into the SLOAD's entry then.
    private (int Depth, string Key, JsonObject EntryStorage)? _pendingLoad;
    private long _memoryCaptured;
    private bool _overflow, _memoryOverflow;
    private long _gasUsed;
    private string? _error;
    private byte[] _output = [];

    public void OnEnter(string type, Address from, Address to, in UInt256 value, long gas, ReadOnlySpan<byte> input, int depth) =>
        _storageByDepth[depth + 1] = new JsonObject(); // a new frame starts with no slots seen

    public void OnStep(in StepInfo step)
    {
        ResolvePendingLoad(step);
        int limit = options.Limit > 0 ? Math.Min(options.Limit, HardLimit) : HardLimit;
        if (_logs.Count >= limit || _memoryOverflow)
        {
            // Never throw from inside the interpreter: note it and refuse the result afterwards.
            _overflow |= options.Limit <= 0 && !_memoryOverflow;
            _pending = null;
            return;
        }
        var entry = new JsonObject
        {
            ["pc"] = step.Pc,
            ["op"] = step.OpName,
            ["gas"] = step.Gas,
            ["gasCost"] = 0,
            ["depth"] = step.Depth,
        };
        if (!options.DisableStack)
            entry["stack"] = new JsonArray(StackStrings(step.Stack));
        if (options.EnableMemory)
        {
            _memoryCaptured += step.Memory.Length;
            if (_memoryCaptured > MemoryCaptureLimit)
            {
                _memoryOverflow = true;
                _pending = null;
                return;
            }
            var words = new JsonNode?[step.Memory.Length / 32];
            for (int i = 0; i < words.Length; i++) words[i] = Convert.ToHexStringLower(step.Memory.Slice(i * 32, 32));
            entry["memory"] = new JsonArray(words);
        }
        if (!options.DisableStorage && step.Op is 0x54 or 0x55 && step.Stack.Length >= (step.Op == 0x55 ? 2 : 1))
        {
            if (!_storageByDepth.TryGetValue(step.Depth, out var storage)) _storageByDepth[step.Depth] = storage = new JsonObject();
            var key = Word(step.Stack[^1]);
            if (step.Op == 0x55)
            {
                storage[key] = Word(step.Stack[^2]);
                entry["storage"] = storage.DeepClone();
            }
            else
            {
                storage[key] = storage[key]?.GetValue<string>() ?? ZeroWord;
                var snapshot = (JsonObject)storage.DeepClone();
                entry["storage"] = snapshot;
                _pendingLoad = (step.Depth, key, snapshot);
            }
        }
        if (step.Refund != 0) entry["refund"] = step.Refund;
        _logs.Add(entry);
        _pending = entry;
    }

    private void ResolvePendingLoad(in StepInfo step)
    {
        if (_pendingLoad is not { } load) return;
        _pendingLoad = null;
        if (step.Depth != load.Depth || step.Stack.Length == 0) return; // the SLOAD failed and its frame ended
        var value = Word(step.Stack[^1]);
        load.EntryStorage[load.Key] = value;
        if (_storageByDepth.TryGetValue(load.Depth, out var storage)) storage[load.Key] = value;
    }

    public void OnStepCost(long gasCost, string? error)
    {
        if (_pending is null) return;
        _pending["gasCost"] = gasCost;
        if (error != null)
        {
            _pending["error"] = error;
            _pendingLoad = null;
        }
        _pending = null;
    }

    public void OnTransactionEnd(ReadOnlySpan<byte> output, long gasUsed, string? error)
    {
        _output = output.ToArray();
        _gasUsed = gasUsed;
        _error = error;
    }

    public JsonObject Result()
    {
        if (_memoryOverflow)
            throw new RpcException(RpcErrorCodes.LimitExceeded, $"trace memory capture exceeds {MemoryCaptureLimit} bytes; pass a smaller \"limit\" or leave \"enableMemory\" off");
        if (_overflow)
            throw new RpcException(RpcErrorCodes.LimitExceeded, $"trace exceeds {HardLimit} steps; pass a smaller \"limit\"");
        return new()
        {
            ["gas"] = _gasUsed,
            ["failed"] = _error != null,
            ["returnValue"] = RpcHex.Data(_output),
            ["structLogs"] = _logs,
        };
    }

    private static JsonNode?[] StackStrings(ReadOnlySpan<UInt256> stack)
    {
        var arr = new JsonNode?[stack.Length];
        for (int i = 0; i < stack.Length; i++) arr[i] = stack[i].ToHexString();
        return arr;
    }

    private static string Word(in UInt256 v) => Convert.ToHexStringLower(v.ToBigEndian());
}
