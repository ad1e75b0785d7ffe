using System.Collections.Concurrent;
using OpenLedger.Evm.Instructions;
using OpenLedger.Primitives;

namespace OpenLedger.Evm.Execution;

/// <summary>
/// Valid JUMPDEST positions as a bitmap (JUMPDEST bytes not inside PUSH data), cached per code hash:
/// deployed code is analysed once per process, init code each time it runs.
/// </summary>
public static class JumpDestAnalysis
{
    private const int MaxCached = 16384;
    private static readonly ConcurrentDictionary<Hash256, ulong[]> Cache = new();

    public static ulong[] Get(byte[] code, Hash256? codeHash)
    {
        if (codeHash is not { } h) return Analyse(code);
        if (Cache.TryGetValue(h, out var bits)) return bits;
        bits = Analyse(code);
        if (Cache.Count >= MaxCached) Cache.Clear();
        Cache[h] = bits;
        return bits;
    }

    public static ulong[] Analyse(ReadOnlySpan<byte> code)
    {
        var bits = new ulong[(code.Length >> 6) + 1];
        for (int pc = 0; pc < code.Length; pc++)
        {
            byte op = code[pc];
            if (op == (byte)Opcode.JUMPDEST) bits[pc >> 6] |= 1UL << (pc & 63);
            else if (op >= (byte)Opcode.PUSH1 && op <= (byte)Opcode.PUSH32) pc += op - (byte)Opcode.PUSH1 + 1;
        }
        return bits;
    }

    public static bool IsValid(ulong[] bits, in UInt256 dest, int codeLength)
    {
        if (!dest.IsUlong || dest.u0 >= (ulong)codeLength) return false;
        int d = (int)dest.u0;
        return (bits[d >> 6] & (1UL << (d & 63))) != 0;
    }
}
