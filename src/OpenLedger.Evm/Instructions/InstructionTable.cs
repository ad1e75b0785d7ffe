using OpenLedger.Evm.Execution;

namespace OpenLedger.Evm.Instructions;

/// <summary>
/// The 256-entry dispatch table: per opcode a handler, its static gas, how many words it pops and the net stack growth.
/// Built from a <see cref="ForkSpec"/>; undefined opcodes halt with <see cref="EvmStatus.InvalidOpcode"/>.
/// </summary>
public sealed unsafe class InstructionTable
{
    internal readonly delegate*<EvmFrame, EvmStatus>[] Handlers = new delegate*<EvmFrame, EvmStatus>[256];
    internal readonly long[] StaticGas = new long[256];
    internal readonly int[] StackIn = new int[256];
    internal readonly int[] StackGrowth = new int[256];
    private readonly string[] _names = new string[256];
    private readonly bool[] _defined = new bool[256];

    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<ForkSpec, InstructionTable> Built = new();

    private InstructionTable()
    {
        for (int i = 0; i < 256; i++) Undefine((byte)i);
    }

    public string Name(byte op) => _names[op];
    public bool IsDefined(byte op) => _defined[op];
    public long GetStaticGas(byte op) => StaticGas[op];

    /// <summary>Installs or replaces an opcode; its name is the enum's.</summary>
    internal void Set(Opcode opcode, delegate*<EvmFrame, EvmStatus> handler, long staticGas, int pops, int pushes) =>
        Set((byte)opcode, opcode.ToString(), handler, staticGas, pops, pushes);

    private void Set(byte op, string name, delegate*<EvmFrame, EvmStatus> handler, long staticGas, int pops, int pushes)
    {
        Handlers[op] = handler;
        StaticGas[op] = staticGas;
        StackIn[op] = pops;
        StackGrowth[op] = pushes - pops;
        _names[op] = name;
        _defined[op] = true;
    }

    private void Undefine(byte op)
    {
        Set(op, $"0x{op:x2}", &Flow.Invalid, 0, 0, 0);
        _defined[op] = false;
    }

    /// <summary>The table for a spec, built once per spec instance.</summary>
    public static InstructionTable For(ForkSpec spec) => Built.GetValue(spec, Build);

    /// <summary>
    /// A copy of <paramref name="spec"/> (a distinct instance, so it has a table of its own) whose table is the fork's
    /// with <paramref name="opcode"/>'s handler replaced; its gas and stack effect stay the fork's. The RPC layer uses it
    /// to check a request's time budget at JUMPDEST without a branch in everyone's interpreter loop.
    /// </summary>
    public static ForkSpec WithHandler(ForkSpec spec, Opcode opcode, delegate*<EvmFrame, EvmStatus> handler)
    {
        var derived = spec with { };
        var table = Build(spec);
        table.Handlers[(byte)opcode] = handler;
        Built.AddOrUpdate(derived, table);
        return derived;
    }

    private static InstructionTable Build(ForkSpec spec)
    {
        var t = new InstructionTable();
        var g = spec.Gas;
        Arithmetic.Register(t, g);
        Comparison.Register(t, g);
        Bitwise.Register(t, spec);
        Keccak.Register(t, g);
        EnvironmentOps.Register(t, g);
        BlockOps.Register(t, spec);
        StackMemoryStorage.Register(t, spec);
        Flow.Register(t, g);
        PushDupSwap.Register(t, spec);
        Logs.Register(t, g);
        SystemOps.Register(t, g);
        return t;
    }
}
