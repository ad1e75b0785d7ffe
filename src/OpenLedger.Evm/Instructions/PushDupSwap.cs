using OpenLedger.Evm.Execution;
using OpenLedger.Primitives;

namespace OpenLedger.Evm.Instructions;

/// <summary>0x5f-0x9f: PUSH0 (EIP-3855), PUSH1-32, DUP1-16, SWAP1-16. One handler per family; the opcode byte gives N.</summary>
public static unsafe class PushDupSwap
{
    internal static void Register(InstructionTable t, ForkSpec spec)
    {
        var g = spec.Gas;
        if (spec.HasPush0) t.Set(Opcode.PUSH0, &Push0, g.Base, 0, 1);
        for (int n = 1; n <= 32; n++) t.Set((Opcode)((int)Opcode.PUSH1 + (n - 1)), &Push, g.VeryLow, 0, 1);
        for (int n = 1; n <= 16; n++) t.Set((Opcode)((int)Opcode.DUP1 + (n - 1)), &Dup, g.VeryLow, n, n + 1);
        for (int n = 1; n <= 16; n++) t.Set((Opcode)((int)Opcode.SWAP1 + (n - 1)), &Swap, g.VeryLow, n + 1, n + 1);
    }

    public static EvmStatus Push0(EvmFrame f) { f.Push(UInt256.Zero); return EvmStatus.Continue; }

    public static EvmStatus Push(EvmFrame f)
    {
        var code = f.Code;
        int start = f.Pc;
        int n = code[start - 1] - (byte)Opcode.PUSH0;
        // Immediate bytes past the end of code read as zero.
        int available = Math.Clamp(code.Length - start, 0, n);
        if (available == n && n <= 8)
        {
            // Most pushes are short: build the low limb directly.
            ulong v = 0;
            for (int i = 0; i < n; i++) v = (v << 8) | code[start + i];
            f.Push(new UInt256(v));
        }
        else if (available == n)
        {
            f.Push(Word.FromBigEndian(code.AsSpan(start, n)));
        }
        else
        {
            Span<byte> buf = stackalloc byte[32];
            buf.Clear();
            code.AsSpan(start, available).CopyTo(buf[(32 - n)..]);
            f.Push(Word.FromBigEndian(buf));
        }
        f.Pc = start + n;
        return EvmStatus.Continue;
    }

    public static EvmStatus Dup(EvmFrame f)
    {
        int n = f.Code[f.Pc - 1] - (byte)Opcode.DUP1 + 1;
        f.Push(f.Peek(n - 1));
        return EvmStatus.Continue;
    }

    public static EvmStatus Swap(EvmFrame f)
    {
        int n = f.Code[f.Pc - 1] - (byte)Opcode.SWAP1 + 1;
        ref var top = ref f.Peek(0);
        ref var other = ref f.Peek(n);
        (top, other) = (other, top);
        return EvmStatus.Continue;
    }
}
