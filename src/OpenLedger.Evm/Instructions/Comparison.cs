using OpenLedger.Evm.Execution;
using OpenLedger.Primitives;

namespace OpenLedger.Evm.Instructions;

/// <summary>0x10-0x15: LT GT SLT SGT EQ ISZERO.</summary>
public static unsafe class Comparison
{
    internal static void Register(InstructionTable t, GasSchedule g)
    {
        t.Set(Opcode.LT, &Lt, g.VeryLow, 2, 1);
        t.Set(Opcode.GT, &Gt, g.VeryLow, 2, 1);
        t.Set(Opcode.SLT, &Slt, g.VeryLow, 2, 1);
        t.Set(Opcode.SGT, &Sgt, g.VeryLow, 2, 1);
        t.Set(Opcode.EQ, &Eq, g.VeryLow, 2, 1);
        t.Set(Opcode.ISZERO, &IsZero, g.VeryLow, 1, 1);
    }

    private static UInt256 Bool(bool b) => b ? UInt256.One : UInt256.Zero;

    public static EvmStatus Lt(EvmFrame f)
    {
        ref var a = ref f.Pop();
        ref var b = ref f.Peek(0);
        b = Bool(a < b);
        return EvmStatus.Continue;
    }

    public static EvmStatus Gt(EvmFrame f)
    {
        ref var a = ref f.Pop();
        ref var b = ref f.Peek(0);
        b = Bool(a > b);
        return EvmStatus.Continue;
    }

    public static EvmStatus Slt(EvmFrame f)
    {
        ref var a = ref f.Pop();
        ref var b = ref f.Peek(0);
        b = Bool(UInt256.SignedLessThan(a, b));
        return EvmStatus.Continue;
    }

    public static EvmStatus Sgt(EvmFrame f)
    {
        ref var a = ref f.Pop();
        ref var b = ref f.Peek(0);
        b = Bool(UInt256.SignedGreaterThan(a, b));
        return EvmStatus.Continue;
    }

    public static EvmStatus Eq(EvmFrame f)
    {
        ref var a = ref f.Pop();
        ref var b = ref f.Peek(0);
        b = Bool(a == b);
        return EvmStatus.Continue;
    }

    public static EvmStatus IsZero(EvmFrame f)
    {
        ref var a = ref f.Peek(0);
        a = Bool(a.IsZero);
        return EvmStatus.Continue;
    }
}
