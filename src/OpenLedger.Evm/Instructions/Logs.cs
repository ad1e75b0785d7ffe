using OpenLedger.Evm.Execution;
using OpenLedger.Primitives;
using OpenLedger.State.World;

namespace OpenLedger.Evm.Instructions;

/// <summary>0xa0-0xa4: LOG0-LOG4 (375 + 375 per topic + 8 per byte + memory); forbidden in static calls.</summary>
public static unsafe class Logs
{
    internal static void Register(InstructionTable t, GasSchedule g)
    {
        for (int n = 0; n <= 4; n++) t.Set((Opcode)((int)Opcode.LOG0 + n), &Log, g.Log + n * g.LogTopic, n + 2, 0);
    }

    public static EvmStatus Log(EvmFrame f)
    {
        if (f.IsStatic) return EvmStatus.StaticCallViolation;
        int n = f.Code[f.Pc - 1] - 0xa0;
        ref var offset = ref f.Pop();
        ref var size = ref f.Pop();
        if (!f.ExpandMemory(offset, size)) return EvmStatus.OutOfGas;
        if (!size.IsUlong || size.u0 > EvmMemory.MaxSize || !f.UseGas(f.Spec.Gas.LogDataByte * (long)size.u0)) return EvmStatus.OutOfGas;
        var topics = new Hash256[n];
        for (int i = 0; i < n; i++) topics[i] = Word.ToHash(f.Pop());
        var data = size.IsZero ? [] : f.Memory.Span((long)offset.u0, (long)size.u0).ToArray();
        var log = new LogEntry(f.Self, topics, data);
        f.Host.AddLog(log);
        f.Evm.Tracer?.OnLog(log);
        return EvmStatus.Continue;
    }
}
