using OpenLedger.Evm.Execution;
using OpenLedger.Primitives;

namespace OpenLedger.Evm.Instructions;

/// <summary>0x20: KECCAK256 (30 + 6 per word + memory).</summary>
public static unsafe class Keccak
{
    internal static void Register(InstructionTable t, GasSchedule g) => t.Set(Opcode.KECCAK256, &Keccak256Op, g.Keccak, 2, 1);

    public static EvmStatus Keccak256Op(EvmFrame f)
    {
        ref var offset = ref f.Pop();
        ref var size = ref f.Peek(0);
        if (!f.ExpandMemory(offset, size) || !f.UseWordGas(size, f.Spec.Gas.KeccakWord)) return EvmStatus.OutOfGas;
        size = Keccak256.HashToUInt256(size.IsZero ? [] : f.Memory.Span((long)offset.u0, (long)size.u0));
        return EvmStatus.Continue;
    }
}
