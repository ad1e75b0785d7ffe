using System.Diagnostics;
using OpenLedger.Evm;
using OpenLedger.Evm.Execution;
using OpenLedger.Evm.Transactions;
using OpenLedger.Primitives;
using OpenLedger.Primitives.Transactions;
using OpenLedger.State.World;

namespace OpenLedger.Tools.Benchmarks;

public sealed record EvmBenchmarkResult(string Name, long GasUsed, TimeSpan Elapsed, bool Success)
{
    public double MgasPerSecond => GasUsed / 1e6 / Elapsed.TotalSeconds;
}

/// <summary>
/// Times a workload on this EVM: a fresh in-memory state per run, the best of several runs after a warm-up.
/// The warm-up runs the workload for at least <see cref="WarmUpTime"/>: the JIT promotes methods to optimized
/// code only after they have been called for a while (tiered compilation), and a workload that takes a few
/// milliseconds would otherwise be timed while the SSTORE path still runs unoptimized code.
/// </summary>
public static class EvmBenchmark
{
    public static readonly Address Caller = Address.Parse("0x00000000000000000000000000000000000ca11e");

    public static readonly TimeSpan WarmUpTime = TimeSpan.FromSeconds(1.5);
    private const int MaxWarmUpRuns = 300;

    public static EvmBenchmarkResult Run(EvmWorkload w, int runs = 5) => EvmThread.Run(() =>
    {
        var warm = Stopwatch.StartNew();
        for (int i = 0; i < MaxWarmUpRuns && (i == 0 || warm.Elapsed < WarmUpTime); i++) RunOnce(w);
        EvmBenchmarkResult? best = null;
        for (int i = 0; i < runs; i++)
        {
            // Start each timed run with an empty heap, so it pays for its own garbage only.
            GC.Collect();
            GC.WaitForPendingFinalizers();
            var r = RunOnce(w);
            if (best == null || r.Elapsed < best.Elapsed) best = r;
        }
        return best!;
    });

    private static EvmBenchmarkResult RunOnce(EvmWorkload w)
    {
        var pre = new MemoryWorldSource();
        pre.SetAccount(Caller, 0, UInt256.Zero, []);
        foreach (var (address, code, storage) in w.Accounts) pre.SetAccount(address, 1, UInt256.Zero, code, storage);
        var world = new WorldState(pre);
        var block = new BlockContext { Number = 1, Timestamp = 1, GasLimit = w.GasLimit, BaseFee = UInt256.Zero };
        var tx = new Transaction { Type = TxType.Legacy, GasLimit = w.GasLimit, To = w.Target, Data = w.Input, GasPrice = UInt256.Zero };
        var sw = Stopwatch.StartNew();
        var result = new TransactionProcessor(ForkSpec.Cancun).Execute(world, block, tx, Caller);
        sw.Stop();
        return new EvmBenchmarkResult(w.Name, result.GasUsed, sw.Elapsed, result.Success);
    }
}
