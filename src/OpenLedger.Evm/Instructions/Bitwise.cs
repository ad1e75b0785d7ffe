using OpenLedger.Evm.Execution;

namespace OpenLedger.Evm.Instructions;

/// <summary>0x16-0x1e: AND OR XOR NOT BYTE SHL SHR SAR (EIP-145), CLZ (EIP-7939, Osaka).</summary>
public static unsafe class Bitwise
{
    internal static void Register(InstructionTable t, ForkSpec spec)
    {
        var g = spec.Gas;
        if (spec.HasClz) t.Set(Opcode.CLZ, &Clz, g.Low, 1, 1);
        t.Set(Opcode.AND, &And, g.VeryLow, 2, 1);
        t.Set(Opcode.OR, &Or, g.VeryLow, 2, 1);
        t.Set(Opcode.XOR, &Xor, g.VeryLow, 2, 1);
        t.Set(Opcode.NOT, &Not, g.VeryLow, 1, 1);
        t.Set(Opcode.BYTE, &Byte, g.VeryLow, 2, 1);
        t.Set(Opcode.SHL, &Shl, g.VeryLow, 2, 1);
        t.Set(Opcode.SHR, &Shr, g.VeryLow, 2, 1);
        t.Set(Opcode.SAR, &Sar, g.VeryLow, 2, 1);
    }

    /// <summary>Count of leading zero bits; 256 for zero.</summary>
    public static EvmStatus Clz(EvmFrame f)
    {
        ref var a = ref f.Peek(0);
        a = new Primitives.UInt256((ulong)(256 - a.BitLength));
        return EvmStatus.Continue;
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
