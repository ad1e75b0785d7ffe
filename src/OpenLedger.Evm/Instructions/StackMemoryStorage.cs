using OpenLedger.Evm.Execution;
using OpenLedger.Primitives;

namespace OpenLedger.Evm.Instructions;

/// <summary>0x50-0x55, 0x59, 0x5c-0x5e: POP MLOAD MSTORE MSTORE8 SLOAD SSTORE MSIZE TLOAD TSTORE MCOPY.</summary>
public static unsafe class StackMemoryStorage
{
    internal static void Register(InstructionTable t, ForkSpec spec)
    {
        var g = spec.Gas;
        t.Set(Opcode.POP, &Pop, g.Base, 1, 0);
        t.Set(Opcode.MLOAD, &MLoad, g.VeryLow, 1, 1);
        t.Set(Opcode.MSTORE, &MStore, g.VeryLow, 2, 0);
        t.Set(Opcode.MSTORE8, &MStore8, g.VeryLow, 2, 0);
        t.Set(Opcode.SLOAD, &SLoad, 0, 1, 1);
        t.Set(Opcode.SSTORE, &SStore, 0, 2, 0);
        t.Set(Opcode.MSIZE, &MSize, g.Base, 0, 1);
        if (spec.HasTransientStorage)
        {
            t.Set(Opcode.TLOAD, &TLoad, g.TransientAccess, 1, 1);
            t.Set(Opcode.TSTORE, &TStore, g.TransientAccess, 2, 0);
        }
        if (spec.HasMcopy) t.Set(Opcode.MCOPY, &MCopy, g.VeryLow, 3, 0);
    }

    private static readonly UInt256 ThirtyTwo = new(32);

    public static EvmStatus Pop(EvmFrame f) { f.Sp--; return EvmStatus.Continue; }

    public static EvmStatus MLoad(EvmFrame f)
    {
        ref var offset = ref f.Peek(0);
        if (!f.ExpandMemory(offset, ThirtyTwo)) return EvmStatus.OutOfGas;
        offset = Word.FromBigEndian(f.Memory.Span((long)offset.u0, 32));
        return EvmStatus.Continue;
    }

    public static EvmStatus MStore(EvmFrame f)
    {
        ref var offset = ref f.Pop();
        ref var value = ref f.Pop();
        if (!f.ExpandMemory(offset, ThirtyTwo)) return EvmStatus.OutOfGas;
        Word.WriteBigEndian(value, f.Memory.Span((long)offset.u0, 32));
        return EvmStatus.Continue;
    }

    public static EvmStatus MStore8(EvmFrame f)
    {
        ref var offset = ref f.Pop();
        ref var value = ref f.Pop();
        if (!f.ExpandMemory(offset, UInt256.One)) return EvmStatus.OutOfGas;
        f.Memory.Span((long)offset.u0, 1)[0] = (byte)value.u0;
        return EvmStatus.Continue;
    }

    public static EvmStatus MSize(EvmFrame f) { f.Push(new UInt256((ulong)f.Memory.Size)); return EvmStatus.Continue; }

    public static EvmStatus SLoad(EvmFrame f)
    {
        ref var key = ref f.Peek(0);
        var g = f.Spec.Gas;
        var value = f.Host.AccessStorage(f.Self, key, out bool cold);
        if (!f.UseGas(cold ? g.ColdSload : g.WarmAccess)) return EvmStatus.OutOfGas;
        key = value;
        return EvmStatus.Continue;
    }

    /// <summary>EIP-2200 net metering with EIP-2929 cold surcharge and EIP-3529 refunds.</summary>
    public static EvmStatus SStore(EvmFrame f)
    {
        if (f.IsStatic) return EvmStatus.StaticCallViolation;
        var g = f.Spec.Gas;
        // EIP-2200 sentry: SSTORE needs more than a call stipend left.
        if (f.Gas <= g.SstoreSentry) return EvmStatus.OutOfGas;
        var key = f.Pop();
        var value = f.Pop();
        var host = f.Host;
        // Reads and writes in one lookup; the gas is charged afterwards (running out reverts the frame, write included).
        var current = host.StoreStorage(f.Self, key, value, out var original, out bool cold);
        long cost = cold ? g.ColdSload : 0;
        if (current == value)
        {
            cost += g.WarmAccess;
        }
        else
        {
            if (original == current)
            {
                cost += original.IsZero ? g.SstoreSet : g.SstoreReset;
                if (!original.IsZero && value.IsZero) host.AddRefund(g.SstoreClearsRefund);
            }
            else
            {
                cost += g.WarmAccess;
                if (!original.IsZero)
                {
                    if (current.IsZero) host.SubtractRefund(g.SstoreClearsRefund);
                    else if (value.IsZero) host.AddRefund(g.SstoreClearsRefund);
                }
                if (original == value)
                    host.AddRefund(original.IsZero ? g.SstoreSet - g.WarmAccess : g.SstoreReset - g.WarmAccess);
            }
        }
        return f.UseGas(cost) ? EvmStatus.Continue : EvmStatus.OutOfGas;
    }

    public static EvmStatus TLoad(EvmFrame f)
    {
        ref var key = ref f.Peek(0);
        key = f.Host.GetTransient(f.Self, key);
        return EvmStatus.Continue;
    }

    public static EvmStatus TStore(EvmFrame f)
    {
        if (f.IsStatic) return EvmStatus.StaticCallViolation;
        ref var key = ref f.Pop();
        ref var value = ref f.Pop();
        f.Host.SetTransient(f.Self, key, value);
        return EvmStatus.Continue;
    }

    /// <summary>EIP-5656: memory expansion covers both ranges; overlapping copies behave like memmove.</summary>
    public static EvmStatus MCopy(EvmFrame f)
    {
        ref var dest = ref f.Pop();
        ref var src = ref f.Pop();
        ref var size = ref f.Pop();
        if (!f.ExpandMemory(src, size) || !f.ExpandMemory(dest, size) || !f.UseWordGas(size, f.Spec.Gas.CopyWord)) return EvmStatus.OutOfGas;
        if (size.IsZero) return EvmStatus.Continue;
        f.Memory.Span((long)src.u0, (long)size.u0).CopyTo(f.Memory.Span((long)dest.u0, (long)size.u0));
        return EvmStatus.Continue;
    }
}
