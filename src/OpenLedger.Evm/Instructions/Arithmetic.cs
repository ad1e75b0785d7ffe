using OpenLedger.Evm.Execution;
using OpenLedger.Primitives;

namespace OpenLedger.Evm.Instructions;

/// <summary>0x01-0x0b: ADD ... SIGNEXTEND. Division by zero yields zero, as the EVM defines.</summary>
public static unsafe class Arithmetic
{
    internal static void Register(InstructionTable t, GasSchedule g)
    {
        t.Set(Opcode.ADD, &Add, g.VeryLow, 2, 1);
        t.Set(Opcode.MUL, &Mul, g.Low, 2, 1);
        t.Set(Opcode.SUB, &Sub, g.VeryLow, 2, 1);
        t.Set(Opcode.DIV, &Div, g.Low, 2, 1);
        t.Set(Opcode.SDIV, &SDiv, g.Low, 2, 1);
        t.Set(Opcode.MOD, &Mod, g.Low, 2, 1);
        t.Set(Opcode.SMOD, &SMod, g.Low, 2, 1);
        t.Set(Opcode.ADDMOD, &AddMod, g.Mid, 3, 1);
        t.Set(Opcode.MULMOD, &MulMod, g.Mid, 3, 1);
        t.Set(Opcode.EXP, &Exp, g.Exp, 2, 1);
        t.Set(Opcode.SIGNEXTEND, &SignExtend, g.Low, 2, 1);
    }

    public static EvmStatus Add(EvmFrame f)
    {
        ref var a = ref f.Pop();
        ref var b = ref f.Peek(0);
        UInt256.Add(a, b, out var r);
        b = r;
        return EvmStatus.Continue;
    }

    public static EvmStatus Mul(EvmFrame f)
    {
        ref var a = ref f.Pop();
        ref var b = ref f.Peek(0);
        UInt256.Multiply(a, b, out var r);
        b = r;
        return EvmStatus.Continue;
    }

    public static EvmStatus Sub(EvmFrame f)
    {
        ref var a = ref f.Pop();
        ref var b = ref f.Peek(0);
        UInt256.Subtract(a, b, out var r);
        b = r;
        return EvmStatus.Continue;
    }

    public static EvmStatus Div(EvmFrame f)
    {
        ref var a = ref f.Pop();
        ref var b = ref f.Peek(0);
        if (b.IsZero) return EvmStatus.Continue;
        UInt256.Divide(a, b, out var r);
        b = r;
        return EvmStatus.Continue;
    }

    public static EvmStatus SDiv(EvmFrame f)
    {
        ref var a = ref f.Pop();
        ref var b = ref f.Peek(0);
        if (b.IsZero) return EvmStatus.Continue;
        UInt256.SDivide(a, b, out var r);
        b = r;
        return EvmStatus.Continue;
    }

    public static EvmStatus Mod(EvmFrame f)
    {
        ref var a = ref f.Pop();
        ref var b = ref f.Peek(0);
        if (b.IsZero) return EvmStatus.Continue;
        UInt256.Mod(a, b, out var r);
        b = r;
        return EvmStatus.Continue;
    }

    public static EvmStatus SMod(EvmFrame f)
    {
        ref var a = ref f.Pop();
        ref var b = ref f.Peek(0);
        if (b.IsZero) return EvmStatus.Continue;
        UInt256.SMod(a, b, out var r);
        b = r;
        return EvmStatus.Continue;
    }

    public static EvmStatus AddMod(EvmFrame f)
    {
        ref var a = ref f.Pop();
        ref var b = ref f.Pop();
        ref var m = ref f.Peek(0);
        if (m.IsZero) return EvmStatus.Continue;
        UInt256.AddMod(a, b, m, out var r);
        m = r;
        return EvmStatus.Continue;
    }

    public static EvmStatus MulMod(EvmFrame f)
    {
        ref var a = ref f.Pop();
        ref var b = ref f.Pop();
        ref var m = ref f.Peek(0);
        if (m.IsZero) return EvmStatus.Continue;
        UInt256.MulMod(a, b, m, out var r);
        m = r;
        return EvmStatus.Continue;
    }

    public static EvmStatus Exp(EvmFrame f)
    {
        ref var a = ref f.Pop();
        ref var e = ref f.Peek(0);
        if (!f.UseGas(f.Spec.Gas.ExpByte * e.ByteLength)) return EvmStatus.OutOfGas;
        UInt256.Exp(a, e, out var r);
        e = r;
        return EvmStatus.Continue;
    }

    public static EvmStatus SignExtend(EvmFrame f)
    {
        ref var b = ref f.Pop();
        ref var x = ref f.Peek(0);
        x = Word.SignExtend(b, x);
        return EvmStatus.Continue;
    }
}
