using System.Text.Json.Nodes;
using OpenLedger.Evm.Tracing;
using OpenLedger.Primitives;
using OpenLedger.Primitives.Abi;
using OpenLedger.State.World;

using OpenLedger.Rpc.JsonRpc;

namespace OpenLedger.Rpc.Debug;

/// <summary>
/// geth's callTracer: the tree of message calls and creations with type, from, to, value, gas, gasUsed,
/// input, output, error and revertReason. `onlyTopCall` keeps just the transaction's own frame. `withLog` adds each
/// frame's logs (address, topics, data, index = the log's index in the block, position = how many of the frame's
/// subcalls came before it); logs of a frame that failed, or whose ancestor failed, are left out, as the chain drops them.
/// </summary>
public sealed class CallTracer(bool onlyTopCall, bool withLog = false, int firstLogIndex = 0) : IEvmTracer, ITraceResult
{
    private readonly Stack<JsonObject> _open = new();
    private readonly Stack<int> _logIndexAtEnter = new();
    private int _nextLogIndex = firstLogIndex;
    private JsonObject? _root;
    private long _txGasLimit;
    // Estimated JSON size held so far; past MaxBytes frames are no longer kept and the result is a limit error.
    private long _bytes;
    private bool _tooBig;
    private static readonly JsonObject Discarded = new();

    /// <summary>The call tree's size as JSON is held under this (a tree of millions of tiny calls would otherwise fill memory).</summary>
    public long MaxBytes { get; init; } = RpcLimits.DefaultMaxResponseBytes;

    private bool Charge(long bytes)
    {
        _bytes += bytes;
        if (_bytes > MaxBytes) _tooBig = true;
        return !_tooBig;
    }

    /// <summary>geth reports the transaction's gas limit and total gas used (intrinsic included) on the top frame.</summary>
    public void SetTransactionGasLimit(long gasLimit) => _txGasLimit = gasLimit;

    public void OnStep(in StepInfo step) { }
    public void OnStepCost(long gasCost, string? error) { }

    public void OnEnter(string type, Address from, Address to, in UInt256 value, long gas, ReadOnlySpan<byte> input, int depth)
    {
        if ((onlyTopCall && _open.Count > 0) || !Charge(250 + 2L * input.Length))
        {
            _open.Push(_open.Count == 0 ? _root ??= new JsonObject() : Discarded);
            _logIndexAtEnter.Push(_nextLogIndex);
            return;
        }
        var frame = new JsonObject
        {
            ["type"] = type,
            ["from"] = from.ToLowerHex(),
            ["to"] = to.ToLowerHex(),
            ["gas"] = Q(gas),
            ["gasUsed"] = "0x0",
            ["input"] = Hex.Encode(input),
        };
        if (type is not ("DELEGATECALL" or "STATICCALL")) frame["value"] = value.ToHexString();
        if (_open.Count == 0)
        {
            _root ??= frame;
        }
        else if (!onlyTopCall)
        {
            var parent = _open.Peek();
            if (parent["calls"] is not JsonArray calls) parent["calls"] = calls = new JsonArray();
            calls.Add(frame);
        }
        _open.Push(frame);
        _logIndexAtEnter.Push(_nextLogIndex);
    }

    public void OnLog(LogEntry log)
    {
        if (!withLog || _open.Count == 0) return;
        int index = _nextLogIndex++; // a reverted frame gives its indices back (OnExit), as the state's log list does
        if (onlyTopCall && _open.Count > 1) return;
        var frame = _open.Peek();
        if (ReferenceEquals(frame, Discarded) || !Charge(200 + 70L * log.Topics.Length + 2L * log.Data.Length)) return;
        if (frame["logs"] is not JsonArray logs) frame["logs"] = logs = new JsonArray();
        logs.Add(new JsonObject
        {
            ["address"] = log.Address.ToLowerHex(),
            ["topics"] = Eth.RpcFormat.Topics(log),
            ["data"] = Hex.Encode(log.Data),
            ["index"] = Q(index),
            ["position"] = Q(frame["calls"] is JsonArray calls ? calls.Count : 0),
        });
    }

    public void OnExit(long gasUsed, ReadOnlySpan<byte> output, string? error, bool reverted)
    {
        if (_open.Count == 0) return;
        var frame = _open.Pop();
        int indexAtEnter = _logIndexAtEnter.Pop();
        if (error != null) _nextLogIndex = indexAtEnter;
        if (ReferenceEquals(frame, Discarded)) return;
        frame["gasUsed"] = Q(gasUsed);
        if (output.Length > 0 && Charge(2L * output.Length)) frame["output"] = Hex.Encode(output);
        if (error != null)
        {
            frame["error"] = error;
            if (reverted && RevertReason.Decode(output) is { Kind: RevertKind.Error, Message: { } reason }) frame["revertReason"] = reason;
        }
    }

    public void OnTransactionEnd(ReadOnlySpan<byte> output, long gasUsed, string? error)
    {
        if (_root is null) return;
        _root["gasUsed"] = Q(gasUsed);
        if (_txGasLimit > 0) _root["gas"] = Q(_txGasLimit);
    }

    public JsonObject Result()
    {
        if (_tooBig) throw new RpcException(RpcErrorCodes.LimitExceeded, $"trace exceeds {MaxBytes} bytes (rpc.maxResponseBytes); try \"onlyTopCall\": true");
        if (_root is null) return new JsonObject();
        if (withLog) DropFailedLogs(_root, parentFailed: false);
        return _root;
    }

    private static void DropFailedLogs(JsonObject frame, bool parentFailed)
    {
        bool failed = parentFailed || frame["error"] is not null;
        if (failed) frame.Remove("logs");
        if (frame["calls"] is JsonArray calls)
            foreach (var child in calls)
                if (child is JsonObject c) DropFailedLogs(c, failed);
    }

    private static string Q(long v) => "0x" + v.ToString("x", System.Globalization.CultureInfo.InvariantCulture);
}

/// <summary>A tracer whose outcome is a JSON document (struct logs or a call tree).</summary>
public interface ITraceResult
{
    JsonObject Result();
}
