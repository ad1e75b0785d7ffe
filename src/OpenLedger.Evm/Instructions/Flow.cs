using OpenLedger.Evm.Execution;
using OpenLedger.Primitives;

namespace OpenLedger.Evm.Instructions;

/// <summary>0x00, 0x56-0x5b, 0xfe: STOP JUMP JUMPI PC GAS JUMPDEST INVALID.</summary>
public static unsafe class Flow
{
    internal static void Register(InstructionTable t, GasSchedule g)
    {
        t.Set(Opcode.STOP, &Stop, g.Zero, 0, 0);
        t.Set(Opcode.JUMP, &Jump, g.Mid, 1, 0);
        t.Set(Opcode.JUMPI, &JumpI, g.High, 2, 0);
        t.Set(Opcode.PC, &Pc, g.Base, 0, 1);
        t.Set(Opcode.GAS, &Gas, g.Base, 0, 1);
        t.Set(Opcode.JUMPDEST, &JumpDest, g.JumpDest, 0, 0);
        t.Set(Opcode.INVALID, &Invalid, 0, 0, 0);
    }

    public static EvmStatus Stop(EvmFrame f) => EvmStatus.Stop;
    public static EvmStatus Invalid(EvmFrame f) => EvmStatus.InvalidOpcode;
    public static EvmStatus JumpDest(EvmFrame f) => EvmStatus.Continue;

    public static EvmStatus Jump(EvmFrame f)
    {
        ref var dest = ref f.Pop();
        if (!JumpDestAnalysis.IsValid(f.JumpDests, dest, f.Code.Length)) return EvmStatus.InvalidJump;
        f.Pc = (int)dest.u0;
        return EvmStatus.Continue;
    }

    public static EvmStatus JumpI(EvmFrame f)
    {
        ref var dest = ref f.Pop();
        ref var cond = ref f.Pop();
        if (cond.IsZero) return EvmStatus.Continue;
        if (!JumpDestAnalysis.IsValid(f.JumpDests, dest, f.Code.Length)) return EvmStatus.InvalidJump;
        f.Pc = (int)dest.u0;
        return EvmStatus.Continue;
    }

    // The dispatch loop has already advanced Pc past this opcode.
    public static EvmStatus Pc(EvmFrame f) { f.Push(new UInt256((ulong)(f.Pc - 1))); return EvmStatus.Continue; }

    public static EvmStatus Gas(EvmFrame f) { f.Push(new UInt256((ulong)f.Gas)); return EvmStatus.Continue; }
}
