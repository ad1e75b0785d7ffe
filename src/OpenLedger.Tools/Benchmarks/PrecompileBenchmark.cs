using System.Diagnostics;
using OpenLedger.Crypto.Blake2;
using OpenLedger.Crypto.Bls12381;
using OpenLedger.Crypto.Bn254;
using OpenLedger.Crypto.FieldMath;
using OpenLedger.Evm;

namespace OpenLedger.Tools.Benchmarks;

/// <summary>Timing of one workload: gas per call, the best and the median time per call.</summary>
public sealed record PrecompileTiming(PrecompileWorkload Workload, long Gas, double BestNsPerCall, double MedianNsPerCall, long Calls)
{
    /// <summary>Million gas per second at the best time per call (the least disturbed figure on a shared machine).</summary>
    public double MgasPerSecond => Gas / BestNsPerCall * 1e3;
}

/// <summary>A precompile failed or returned something other than the workload's expected output.</summary>
public sealed class PrecompileMismatchException(string workload)
    : Exception($"precompile workload {workload} failed or returned a wrong result")
{
    public string Workload { get; } = workload;
}

/// <summary>
/// Times precompile workloads interleaved: after a warm-up, each round runs every workload for a short slice, so
/// a burst of load from other processes hits all of them alike instead of one whole workload. Calls run in
/// batches sized in the warm-up (about a tenth of a slice) to keep clock reads out of the per-call time.
/// Every call's output is compared with the expected one; any mismatch throws <see cref="PrecompileMismatchException"/>.
/// </summary>
public static class PrecompileBenchmark
{
    /// <summary>Which field arithmetic the pairing precompiles and modexp run on here (OPENLEDGER_NATIVE_FIELD=0 forces managed).</summary>
    public static string FieldBackend =>
        $"BLS12-381 {Describe(NativeFq.EnsureInitialized() && NativeFq.Enabled, NativeFq.DisabledReason)}, " +
        $"BN254 {Describe(NativeBn254Fq.EnsureInitialized() && NativeBn254Fq.Enabled, NativeBn254Fq.DisabledReason)}, " +
        $"modexp {Describe(NativeMontMul.EnsureInitialized() && NativeMontMul.Enabled, NativeMontMul.DisabledReason)}; " +
        $"blake2f {Blake2bCompression.PathChoice.Reason}";

    private static string Describe(bool native, string? reason) =>
        native ? "x86-64 assembly kernels" : $"managed C# ({reason ?? "switched off"})";

    public static readonly TimeSpan DefaultWarmUp = TimeSpan.FromSeconds(2);
    public static readonly TimeSpan DefaultSlice = TimeSpan.FromMilliseconds(5);

    /// <summary>
    /// A call longer than the slice (modexp 2048, 4-pair pairing: several ms) still gets this many samples per round,
    /// so under heavy load its best time does not rest on one sample per round.
    /// </summary>
    private const int MinBatchesPerSlice = 3;

    /// <summary>Runs every workload once and checks its output (throws on a mismatch).</summary>
    public static void Verify(IEnumerable<PrecompileWorkload> workloads)
    {
        foreach (var w in workloads)
            if (!w.RunAndCheck()) throw new PrecompileMismatchException(w.Name);
    }

    public static IReadOnlyList<PrecompileTiming> Run(IReadOnlyList<PrecompileWorkload> workloads, int rounds, TimeSpan? warmUp = null, TimeSpan? slice = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(rounds, 1);
        Verify(workloads);
        long sliceTicks = Ticks(slice ?? DefaultSlice), batchTarget = Math.Max(1, sliceTicks / 10);
        int n = workloads.Count;
        var batch = new int[n];
        Array.Fill(batch, 1);

        // Warm-up (lets tiered compilation reach optimized code) and batch sizing: double each batch until it takes
        // about a tenth of a slice.
        long warmEnd = Stopwatch.GetTimestamp() + Ticks(warmUp ?? DefaultWarmUp);
        do
        {
            for (int i = 0; i < n; i++)
                if (RunBatch(workloads[i], batch[i]) < batchTarget && batch[i] < 1 << 24) batch[i] *= 2;
        } while (Stopwatch.GetTimestamp() < warmEnd);

        var best = new double[n];
        Array.Fill(best, double.MaxValue);
        var perRound = new double[n][];
        var calls = new long[n];
        for (int i = 0; i < n; i++) perRound[i] = new double[rounds];
        for (int r = 0; r < rounds; r++)
        {
            for (int i = 0; i < n; i++)
            {
                long start = Stopwatch.GetTimestamp(), total = 0, done = 0;
                int batches = 0;
                do
                {
                    long t = RunBatch(workloads[i], batch[i]);
                    total += t;
                    done += batch[i];
                    batches++;
                    best[i] = Math.Min(best[i], Ns(t) / batch[i]);
                } while (Stopwatch.GetTimestamp() - start < sliceTicks || batches < MinBatchesPerSlice);
                perRound[i][r] = Ns(total) / done;
                calls[i] += done;
            }
        }
        var result = new PrecompileTiming[n];
        for (int i = 0; i < n; i++)
        {
            Array.Sort(perRound[i]);
            double median = rounds % 2 == 1 ? perRound[i][rounds / 2] : (perRound[i][rounds / 2 - 1] + perRound[i][rounds / 2]) / 2;
            result[i] = new PrecompileTiming(workloads[i], workloads[i].Gas, best[i], median, calls[i]);
        }
        return result;
    }

    /// <summary>Runs <paramref name="count"/> checked calls; returns the elapsed Stopwatch ticks.</summary>
    private static long RunBatch(PrecompileWorkload w, int count)
    {
        long start = Stopwatch.GetTimestamp();
        for (int k = 0; k < count; k++)
            if (!w.RunAndCheck()) throw new PrecompileMismatchException(w.Name);
        return Stopwatch.GetTimestamp() - start;
    }

    private static long Ticks(TimeSpan t) => (long)(t.TotalSeconds * Stopwatch.Frequency);

    private static double Ns(long ticks) => ticks * 1e9 / Stopwatch.Frequency;
}
