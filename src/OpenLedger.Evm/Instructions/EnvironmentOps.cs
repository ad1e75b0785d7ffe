using OpenLedger.Evm.Execution;
using OpenLedger.Primitives;

namespace OpenLedger.Evm.Instructions;

/// <summary>0x30-0x3f and 0x47: ADDRESS ... EXTCODEHASH, SELFBALANCE. Account reads pay EIP-2929 warm/cold access.</summary>
public static unsafe class EnvironmentOps
{
    internal static void Register(InstructionTable t, GasSchedule g)
    {
        t.Set(Opcode.ADDRESS, &AddressOp, g.Base, 0, 1);
        t.Set(Opcode.BALANCE, &Balance, 0, 1, 1);
        t.Set(Opcode.ORIGIN, &Origin, g.Base, 0, 1);
        t.Set(Opcode.CALLER, &Caller, g.Base, 0, 1);
        t.Set(Opcode.CALLVALUE, &CallValue, g.Base, 0, 1);
        t.Set(Opcode.CALLDATALOAD, &CallDataLoad, g.VeryLow, 1, 1);
        t.Set(Opcode.CALLDATASIZE, &CallDataSize, g.Base, 0, 1);
        t.Set(Opcode.CALLDATACOPY, &CallDataCopy, g.VeryLow, 3, 0);
        t.Set(Opcode.CODESIZE, &CodeSize, g.Base, 0, 1);
        t.Set(Opcode.CODECOPY, &CodeCopy, g.VeryLow, 3, 0);
        t.Set(Opcode.GASPRICE, &GasPrice, g.Base, 0, 1);
        t.Set(Opcode.EXTCODESIZE, &ExtCodeSize, 0, 1, 1);
        t.Set(Opcode.EXTCODECOPY, &ExtCodeCopy, 0, 4, 0);
        t.Set(Opcode.RETURNDATASIZE, &ReturnDataSize, g.Base, 0, 1);
        t.Set(Opcode.RETURNDATACOPY, &ReturnDataCopy, g.VeryLow, 3, 0);
        t.Set(Opcode.EXTCODEHASH, &ExtCodeHash, 0, 1, 1);
        t.Set(Opcode.SELFBALANCE, &SelfBalance, g.Low, 0, 1);
    }

    /// <summary>Charges warm (100) or cold (2600) account access and warms the address.</summary>
    internal static bool ChargeAccountAccess(EvmFrame f, Address a)
    {
        var g = f.Spec.Gas;
        return f.UseGas(f.Host.WarmAddress(a) ? g.ColdAccountAccess : g.WarmAccess);
    }

    /// <summary>Copies data[srcOffset..srcOffset+size) into memory, zero-filling past the end of data.</summary>
    internal static void CopyPadded(EvmFrame f, ReadOnlySpan<byte> data, in UInt256 memOffset, in UInt256 srcOffset, in UInt256 size)
    {
        if (size.IsZero) return;
        var dest = f.Memory.Span((long)memOffset.u0, (long)size.u0);
        if (!srcOffset.IsUlong || srcOffset.u0 >= (ulong)data.Length) { dest.Clear(); return; }
        var src = data[(int)srcOffset.u0..];
        int n = Math.Min(src.Length, dest.Length);
        src[..n].CopyTo(dest);
        dest[n..].Clear();
    }

    private static EvmStatus Copy(EvmFrame f, ReadOnlySpan<byte> data)
    {
        ref var mem = ref f.Pop();
        ref var src = ref f.Pop();
        ref var size = ref f.Pop();
        if (!f.ExpandMemory(mem, size) || !f.UseWordGas(size, f.Spec.Gas.CopyWord)) return EvmStatus.OutOfGas;
        CopyPadded(f, data, mem, src, size);
        return EvmStatus.Continue;
    }

    public static EvmStatus AddressOp(EvmFrame f) { f.Push(Word.FromAddress(f.Self)); return EvmStatus.Continue; }
    public static EvmStatus Origin(EvmFrame f) { f.Push(Word.FromAddress(f.Evm.Tx.Origin)); return EvmStatus.Continue; }
    public static EvmStatus Caller(EvmFrame f) { f.Push(Word.FromAddress(f.Caller)); return EvmStatus.Continue; }
    public static EvmStatus CallValue(EvmFrame f) { f.Push(f.Value); return EvmStatus.Continue; }
    public static EvmStatus CallDataSize(EvmFrame f) { f.Push(new UInt256((ulong)f.Input.Length)); return EvmStatus.Continue; }
    public static EvmStatus CodeSize(EvmFrame f) { f.Push(new UInt256((ulong)f.Code.Length)); return EvmStatus.Continue; }
    public static EvmStatus GasPrice(EvmFrame f) { f.Push(f.Evm.Tx.GasPrice); return EvmStatus.Continue; }
    public static EvmStatus ReturnDataSize(EvmFrame f) { f.Push(new UInt256((ulong)f.ReturnData.Length)); return EvmStatus.Continue; }
    public static EvmStatus SelfBalance(EvmFrame f) { f.Push(f.Host.GetBalance(f.Self)); return EvmStatus.Continue; }

    public static EvmStatus Balance(EvmFrame f)
    {
        ref var a = ref f.Peek(0);
        var address = Word.ToAddress(a);
        if (!ChargeAccountAccess(f, address)) return EvmStatus.OutOfGas;
        a = f.Host.GetBalance(address);
        return EvmStatus.Continue;
    }

    public static EvmStatus CallDataLoad(EvmFrame f)
    {
        ref var offset = ref f.Peek(0);
        if (offset.IsUlong && offset.u0 <= (ulong)f.Input.Length && (ulong)f.Input.Length - offset.u0 >= 32)
        {
            offset = UInt256.FromBigEndian(f.Input.AsSpan((int)offset.u0, 32));
            return EvmStatus.Continue;
        }
        Span<byte> word = stackalloc byte[32];
        word.Clear();
        if (offset.IsUlong && offset.u0 < (ulong)f.Input.Length)
        {
            var src = f.Input.AsSpan((int)offset.u0);
            src[..Math.Min(32, src.Length)].CopyTo(word);
        }
        offset = Word.FromBigEndian(word);
        return EvmStatus.Continue;
    }

    public static EvmStatus CallDataCopy(EvmFrame f) => Copy(f, f.Input);
    public static EvmStatus CodeCopy(EvmFrame f) => Copy(f, f.Code);

    public static EvmStatus ExtCodeSize(EvmFrame f)
    {
        ref var a = ref f.Peek(0);
        var address = Word.ToAddress(a);
        if (!ChargeAccountAccess(f, address)) return EvmStatus.OutOfGas;
        a = new UInt256((ulong)f.Host.GetCode(address).Length);
        return EvmStatus.Continue;
    }

    public static EvmStatus ExtCodeCopy(EvmFrame f)
    {
        var address = Word.ToAddress(f.Pop());
        ref var mem = ref f.Pop();
        ref var src = ref f.Pop();
        ref var size = ref f.Pop();
        if (!ChargeAccountAccess(f, address)) return EvmStatus.OutOfGas;
        if (!f.ExpandMemory(mem, size) || !f.UseWordGas(size, f.Spec.Gas.CopyWord)) return EvmStatus.OutOfGas;
        CopyPadded(f, f.Host.GetCode(address), mem, src, size);
        return EvmStatus.Continue;
    }

    public static EvmStatus ReturnDataCopy(EvmFrame f)
    {
        ref var mem = ref f.Pop();
        ref var src = ref f.Pop();
        ref var size = ref f.Pop();
        // EIP-211: reading past the end of the return data is an exceptional halt, not zero padding.
        if (UInt256.AddOverflow(src, size, out var end) || end > new UInt256((ulong)f.ReturnData.Length)) return EvmStatus.ReturnDataOutOfBounds;
        if (!f.ExpandMemory(mem, size) || !f.UseWordGas(size, f.Spec.Gas.CopyWord)) return EvmStatus.OutOfGas;
        CopyPadded(f, f.ReturnData, mem, src, size);
        return EvmStatus.Continue;
    }

    public static EvmStatus ExtCodeHash(EvmFrame f)
    {
        ref var a = ref f.Peek(0);
        var address = Word.ToAddress(a);
        if (!ChargeAccountAccess(f, address)) return EvmStatus.OutOfGas;
        a = f.Host.IsDeadAccount(address) ? UInt256.Zero : Word.FromHash(f.Host.GetCodeHash(address));
        return EvmStatus.Continue;
    }
}
