using OpenLedger.Primitives;
using OpenLedger.State.World;

namespace OpenLedger.Evm.Tracing;

/// <summary>The machine state just before an opcode runs.</summary>
public readonly ref struct StepInfo
{
    public required int Pc { get; init; }
    public required byte Op { get; init; }
    public required string OpName { get; init; }
    public required long Gas { get; init; }
    /// <summary>Bottom first.</summary>
    public required ReadOnlySpan<UInt256> Stack { get; init; }
    public required long MemorySize { get; init; }
    /// <summary>1 for the transaction's own frame (EIP-3155).</summary>
    public required int Depth { get; init; }
    public required long Refund { get; init; }
    /// <summary>The frame's memory (<see cref="MemorySize"/> bytes); tracers copy what they keep.</summary>
    public ReadOnlySpan<byte> Memory { get; init; }
}

/// <summary>
/// Observes execution. <see cref="OnStep"/> comes before each opcode, <see cref="OnStepCost"/> once its full cost is known
/// (before a child frame's first step, for calls and creates). A tracer that wants nothing per step is just not installed.
/// </summary>
public interface IEvmTracer
{
    void OnStep(in StepInfo step);
    void OnStepCost(long gasCost, string? error);
    void OnTransactionEnd(ReadOnlySpan<byte> output, long gasUsed, string? error);

    /// <summary>
    /// A message call or creation starts (depth 0 is the transaction's own). <paramref name="type"/> is CALL, CALLCODE,
    /// DELEGATECALL, STATICCALL, CREATE or CREATE2; <paramref name="from"/> is the account whose code made the call and
    /// <paramref name="to"/> the code that runs (the new address for creations).
    /// </summary>
    void OnEnter(string type, Address from, Address to, in UInt256 value, long gas, ReadOnlySpan<byte> input, int depth) { }

    /// <summary>The call or creation last entered ended: gas it used, output (return or revert data) and error (null on success).</summary>
    void OnExit(long gasUsed, ReadOnlySpan<byte> output, string? error, bool reverted) { }

    /// <summary>A LOG0-LOG4 in the frame last entered emitted <paramref name="log"/> (it is dropped again if the frame reverts).</summary>
    void OnLog(LogEntry log) { }
}
