using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using OpenLedger.Primitives;

namespace OpenLedger.Evm.Execution;

/// <summary>
/// One call frame: code, program counter, gas, the 1024-word stack and memory. Frames are pooled per call depth
/// by <see cref="EvmExecutor"/>, so running an opcode allocates nothing.
/// </summary>
public sealed class EvmFrame
{
    public EvmExecutor Evm { get; internal set; } = null!;
    public byte[] Code = [];
    internal ulong[] JumpDests = [];
    public int Pc;
    public long Gas;
    public readonly UInt256[] Stack;
    public int Sp;
    public readonly EvmMemory Memory = new();
    /// <summary>Output of the last call made from this frame (RETURNDATASIZE/COPY).</summary>
    public byte[] ReturnData = [];
    /// <summary>This frame's RETURN/REVERT data.</summary>
    public byte[] Output = [];

    public Address Caller;
    /// <summary>The account whose storage and balance this frame acts on (ADDRESS).</summary>
    public Address Self;
    public UInt256 Value;
    public byte[] Input = [];
    public bool IsStatic;
    /// <summary>0 for the transaction's own frame.</summary>
    public int Depth;

    // tracing: gas when the current opcode started, and whether its step is still open
    internal long TraceGasBefore;
    internal bool TraceOpen;

    internal EvmFrame(int stackSize) => Stack = new UInt256[stackSize];

    public IEvmHost Host => Evm.Host;
    public ForkSpec Spec => Evm.Spec;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool UseGas(long gas)
    {
        if ((ulong)gas > (ulong)Gas) return false;
        Gas -= gas;
        return true;
    }

    // Stack access skips bounds checks: the dispatch loop has checked depth and room against the
    // opcode's table entry before any handler runs, and handlers stay within what they declared.

    /// <summary>The i-th word from the top (0 = top).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ref UInt256 Peek(int i) => ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(Stack), Sp - 1 - i);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Push(in UInt256 v) => Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(Stack), Sp++) = v;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ref UInt256 Pop() => ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(Stack), --Sp);

    /// <summary>Charges memory expansion for [offset, offset+size) and grows; false means out of gas.</summary>
    public bool ExpandMemory(in UInt256 offset, in UInt256 size)
    {
        if (size.IsZero) return true;
        if (!offset.IsUlong || !size.IsUlong || offset.u0 > EvmMemory.MaxSize || size.u0 > EvmMemory.MaxSize) return false;
        ulong end = offset.u0 + size.u0;
        if (end > EvmMemory.MaxSize) return false;
        if ((long)end <= Memory.Size) return true;
        long newWords = (long)((end + 31) / 32);
        long newCost = EvmMemory.Cost(newWords, Spec.Gas);
        if (!UseGas(newCost - Memory.PaidCost)) return false;
        Memory.Grow(newWords * 32);
        Memory.PaidCost = newCost;
        return true;
    }

    /// <summary>Charges per-word gas for a copy or hash of <paramref name="size"/> bytes (size already bounded by memory expansion).</summary>
    public bool UseWordGas(in UInt256 size, long perWord)
    {
        if (size.IsZero) return true;
        if (!size.IsUlong || size.u0 > EvmMemory.MaxSize) return false;
        return UseGas(perWord * (long)((size.u0 + 31) / 32));
    }

    internal void Reset()
    {
        Memory.Reset();
        Sp = 0;
        Pc = 0;
        ReturnData = [];
        Output = [];
        Code = [];
        Input = [];
        TraceOpen = false;
    }
}
