using OpenLedger.Evm.Execution;

namespace OpenLedger.Evm.Instructions;

/// <summary>0x16-0x1d: AND OR XOR NOT BYTE SHL SHR SAR (EIP-145).</summary>
public static unsafe class Bitwise
{
    internal static void Register(InstructionTable t, GasSchedule g)
    {
        t.Set(0x16, "AND", &And, g.VeryLow, 2, 1);
        t.Set(0x17, "OR", &Or, g.VeryLow, 2, 1);
        t.Set(0x18, "XOR", &Xor, g.VeryLow, 2, 1);
        t.Set(0x19, "NOT", &Not, g.VeryLow, 1, 1);
        t.Set(0x1a, "BYTE", &Byte, g.VeryLow, 2, 1);
        t.Set(0x1b, "SHL", &Shl, g.VeryLow, 2, 1);
        t.Set(0x1c, "SHR", &Shr, g.VeryLow, 2, 1);
        t.Set(0x1d, "SAR", &Sar, g.VeryLow, 2, 1);
    }

    public static EvmStatus And(EvmFrame f)
    {
        ref var a = ref f.Pop();
        ref var b = ref f.Peek(0);
        b = Word.And(a, b);
        return EvmStatus.Continue;
    }

    public static EvmStatus Or(EvmFrame f)
    {
        ref var a = ref f.Pop();
        ref var b = ref f.Peek(0);
        b = Word.Or(a, b);
        return EvmStatus.Continue;
    }

    public static EvmStatus Xor(EvmFrame f)
    {
        ref var a = ref f.Pop();
        ref var b = ref f.Peek(0);
        b = Word.Xor(a, b);
        return EvmStatus.Continue;
    }

    public static EvmStatus Not(EvmFrame f)
    {
        ref var a = ref f.Peek(0);
        a = Word.Not(a);
        return EvmStatus.Continue;
    }

    public static EvmStatus Byte(EvmFrame f)
    {
        ref var i = ref f.Pop();
        ref var x = ref f.Peek(0);
        x = Word.Byte(i, x);
        return EvmStatus.Continue;
    }

    public static EvmStatus Shl(EvmFrame f)
    {
        ref var s = ref f.Pop();
        ref var x = ref f.Peek(0);
        x = Word.ShiftLeft(x, Word.ShiftAmount(s));
        return EvmStatus.Continue;
    }

    public static EvmStatus Shr(EvmFrame f)
    {
        ref var s = ref f.Pop();
        ref var x = ref f.Peek(0);
        x = Word.ShiftRight(x, Word.ShiftAmount(s));
        return EvmStatus.Continue;
    }

    public static EvmStatus Sar(EvmFrame f)
    {
        ref var s = ref f.Pop();
        ref var x = ref f.Peek(0);
        x = Word.ShiftRightArithmetic(x, Word.ShiftAmount(s));
        return EvmStatus.Continue;
    }
}
