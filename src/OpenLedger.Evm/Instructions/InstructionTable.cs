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
    /// <summary>Per opcode what the fast loop needs in one place (see <see cref="OpMeta"/>); filled when the table is built.</summary>
    internal readonly OpMeta[] Meta = new OpMeta[256];
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
        // The replaced opcode must reach its handler: the interpreter's built-in code for it no longer applies.
        table.Meta[(byte)opcode].Kind = OpMeta.CallHandler;
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
        t.FillMeta(spec.MaxStackSize);
        return t;
    }

    private void FillMeta(int maxStack)
    {
        for (int op = 0; op < 256; op++)
        {
            int min = StackIn[op];
            // Allowed stack heights before the opcode: min <= sp <= maxStack - growth (and never above maxStack).
            int max = Math.Min(maxStack, maxStack - StackGrowth[op]);
            Meta[op] = new OpMeta
            {
                Gas = StaticGas[op],
                MinStack = min,
                StackRange = max - min,
                Kind = _defined[op] && EvmExecutor.HasInlineCode((byte)op) ? op : OpMeta.CallHandler,
            };
        }
    }
}

/// <summary>
/// One opcode's entry for the fast loop: static gas, the allowed stack heights as one unsigned range check
/// (<c>(uint)(sp - MinStack) &lt;= (uint)StackRange</c>), and <see cref="Kind"/>: the opcode itself when the
/// interpreter runs it inline, else <see cref="CallHandler"/> (undefined in this fork, or a replaced handler).
/// </summary>
internal struct OpMeta
{
    public const int CallHandler = 256;
    public long Gas;
    public int MinStack;
    public int StackRange;
    public int Kind;
}
