using OpenLedger.Primitives;

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
}
