using System.Runtime.CompilerServices;
using OpenLedger.Evm;
using OpenLedger.Evm.Execution;
using OpenLedger.Evm.Instructions;
using OpenLedger.State.World;

namespace OpenLedger.Rpc.Execution;

/// <summary>
/// The fork a simulation runs under: the chain's, with JUMPDEST replaced by one that checks the request's
/// <see cref="ExecutionBudget"/> every 4,096 jump destinations (every loop passes one). This costs a thread-static
/// decrement per loop iteration where a per-opcode tracer would more than double the time of a tight loop; a budget
/// exceeded mid-execution throws out of the interpreter (the simulation's world state is thrown away).
/// </summary>
public static unsafe class SimulationSpec
{
    private const int CheckEvery = 4096;
    private static readonly ConditionalWeakTable<ForkSpec, ForkSpec> Derived = new();
    // The budget of the simulation running on this thread; frames that continue on a big-stack thread find it by world state.
    [ThreadStatic] private static ExecutionBudget? _current;
    [ThreadStatic] private static int _countdown;
    private static readonly ConditionalWeakTable<WorldState, ExecutionBudget> ByWorld = new();

    public static ForkSpec For(ForkSpec spec) => Derived.GetValue(spec, s => InstructionTable.WithHandler(s, Opcode.JUMPDEST, &WatchedJumpDest));

    /// <summary>Makes <paramref name="budget"/> the one checked while <paramref name="world"/> executes on this thread; dispose when done.</summary>
    public static Scope Enter(ExecutionBudget budget, WorldState world)
    {
        ByWorld.AddOrUpdate(world, budget);
        var previous = _current;
        _current = budget;
        _countdown = CheckEvery;
        return new Scope(previous, world);
    }

    public readonly struct Scope(ExecutionBudget? previous, WorldState world) : IDisposable
    {
        public void Dispose()
        {
            _current = previous;
            ByWorld.Remove(world);
        }
    }

    private static EvmStatus WatchedJumpDest(EvmFrame f)
    {
        if (--_countdown > 0) return EvmStatus.Continue;
        _countdown = CheckEvery;
        var budget = _current ?? (f.Host is WorldStateHost h && ByWorld.TryGetValue(h.World, out var b) ? b : null);
        budget?.ThrowIfExceeded();
        return EvmStatus.Continue;
    }
}
