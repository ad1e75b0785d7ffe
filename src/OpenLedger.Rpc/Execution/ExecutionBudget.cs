using System.Diagnostics;
using OpenLedger.Evm.Tracing;
using OpenLedger.Primitives;
using OpenLedger.Rpc.JsonRpc;
using OpenLedger.State.World;

namespace OpenLedger.Rpc.Execution;

/// <summary>
/// What one simulating request (eth_call, eth_estimateGas, eth_simulateV1, debug_trace*) may use: a gas cap per
/// execution, a wall-clock budget for the whole request and a number of such requests running at once.
/// geth's `--rpc.gascap` (50M) and `--rpc.evmtimeout` (5 s) are the defaults.
/// </summary>
public sealed record ExecutionLimits
{
    public ulong GasCap { get; init; } = 50_000_000;
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(5);
    /// <summary>Simulations running at once; later ones wait (their wait counts against their timeout).</summary>
    public int MaxConcurrent { get; init; } = Math.Max(1, Environment.ProcessorCount);
}

/// <summary>The request ran out of its wall-clock budget (geth's words and code).</summary>
public sealed class ExecutionAbortedException(TimeSpan timeout)
    : RpcException(RpcErrorCodes.ServerError, $"execution aborted (timeout = {timeout.TotalSeconds:0.###}s)");

/// <summary>Hands out <see cref="ExecutionBudget"/>s, at most <see cref="ExecutionLimits.MaxConcurrent"/> at a time.</summary>
public sealed class ExecutionGate(ExecutionLimits limits)
{
    private readonly SemaphoreSlim _slots = new(limits.MaxConcurrent, limits.MaxConcurrent);

    public ExecutionLimits Limits { get; } = limits;

    private long _started;
    private int _inFlight;

    /// <summary>Budgets handed out so far, and those still running (metrics, tests).</summary>
    public long Started => Interlocked.Read(ref _started);
    public int InFlight => Volatile.Read(ref _inFlight);

    /// <summary>
    /// Waits for a slot (within the timeout) and starts the request's budget; dispose it when the request is done.
    /// <paramref name="cancellation"/> is the client's connection: when it goes, the execution stops.
    /// </summary>
    public async Task<ExecutionBudget> StartAsync(CancellationToken cancellation)
    {
        var started = Stopwatch.GetTimestamp();
        if (!await _slots.WaitAsync(Limits.Timeout, cancellation)) throw new ExecutionAbortedException(Limits.Timeout);
        Interlocked.Increment(ref _started);
        Interlocked.Increment(ref _inFlight);
        return new ExecutionBudget(Limits, started, cancellation, () =>
        {
            Interlocked.Decrement(ref _inFlight);
            _slots.Release();
        });
    }

    /// <summary>A budget without a slot (the synchronous paths: one execution, already on a request thread).</summary>
    public ExecutionBudget Start(CancellationToken cancellation) => new(Limits, Stopwatch.GetTimestamp(), cancellation, null);
}

/// <summary>
/// One request's budget: caps gas, and stops the EVM on timeout or disconnect, through <see cref="SimulationSpec"/>
/// (calls, via <see cref="Eth.CallExecutor"/>) or <see cref="Watch"/> (replays that already trace every step).
/// </summary>
public sealed class ExecutionBudget : IDisposable
{
    private readonly long _started;
    private readonly Action? _release;
    private int _disposed;

    public ExecutionLimits Limits { get; }
    public CancellationToken Cancellation { get; }

    internal ExecutionBudget(ExecutionLimits limits, long started, CancellationToken cancellation, Action? release)
    {
        Limits = limits;
        _started = started;
        Cancellation = cancellation;
        _release = release;
    }

    /// <summary>A budget with no limits beyond the gas cap of <paramref name="limits"/> (tests, internal callers).</summary>
    public static ExecutionBudget Unbounded(ExecutionLimits? limits = null) =>
        new(limits ?? new ExecutionLimits { Timeout = System.Threading.Timeout.InfiniteTimeSpan }, Stopwatch.GetTimestamp(), CancellationToken.None, null);

    /// <summary>The gas one execution may use: the requested amount, never above the cap (geth caps silently too).</summary>
    public ulong CapGas(ulong requested) => Limits.GasCap == 0 ? requested : Math.Min(requested, Limits.GasCap);

    /// <summary>Throws when the time is up or the client has gone; call between executions.</summary>
    public void ThrowIfExceeded()
    {
        Cancellation.ThrowIfCancellationRequested();
        if (Limits.Timeout != System.Threading.Timeout.InfiniteTimeSpan && Stopwatch.GetElapsedTime(_started) > Limits.Timeout)
            throw new ExecutionAbortedException(Limits.Timeout);
    }

    /// <summary>
    /// A tracer that checks the budget every few thousand opcodes and forwards everything to <paramref name="inner"/>.
    /// Throwing out of the interpreter is safe here: a simulation's world state is thrown away, and the executor's frames
    /// are simply not returned to the pool.
    /// </summary>
    public IEvmTracer Watch(IEvmTracer? inner = null) => new BudgetTracer(this, inner);

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0) _release?.Invoke();
    }

    private sealed class BudgetTracer(ExecutionBudget budget, IEvmTracer? inner) : IEvmTracer
    {
        private const int CheckEvery = 4096;
        private int _steps;

        public void OnStep(in StepInfo step)
        {
            if (++_steps == CheckEvery)
            {
                _steps = 0;
                budget.ThrowIfExceeded();
            }
            inner?.OnStep(step);
        }

        public void OnStepCost(long gasCost, string? error) => inner?.OnStepCost(gasCost, error);
        public void OnTransactionEnd(ReadOnlySpan<byte> output, long gasUsed, string? error) => inner?.OnTransactionEnd(output, gasUsed, error);

        public void OnEnter(string type, Address from, Address to, in UInt256 value, long gas, ReadOnlySpan<byte> input, int depth)
        {
            // Calls that do little each (precompile loops) still pass through here.
            budget.ThrowIfExceeded();
            inner?.OnEnter(type, from, to, value, gas, input, depth);
        }

        public void OnExit(long gasUsed, ReadOnlySpan<byte> output, string? error, bool reverted) => inner?.OnExit(gasUsed, output, error, reverted);
        public void OnLog(LogEntry log) => inner?.OnLog(log);
    }
}
