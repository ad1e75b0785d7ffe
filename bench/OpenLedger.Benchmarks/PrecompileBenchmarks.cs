using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using OpenLedger.Tools.Benchmarks;

namespace OpenLedger.Benchmarks;

/// <summary>
/// Gas throughput of the precompiles on the shared `bench precompiles` workloads, with ecrecover (0x01, 3000 gas) in the same run as
/// the reference: the "Mgas/s" column is gas per call / the fastest iteration's time per call (the best guide on a
/// shared machine; Mean is reported too), "x ecrecover" its ratio to ecrecover's.
/// Run: dotnet run -c Release --project bench/OpenLedger.Benchmarks -- --filter '*PrecompileBenchmarks*'
/// </summary>
[Config(typeof(GasConfig))]
public class PrecompileBenchmarks
{
    /// <summary>The workloads of `openledger bench precompiles` (src/OpenLedger.Tools/Benchmarks/PrecompileWorkloads.cs).</summary>
    private static readonly Dictionary<string, PrecompileWorkload> Workloads = PrecompileWorkloads.All().ToDictionary(w => w.Name);

    public static IEnumerable<string> Names => Workloads.Keys;

    [ParamsSource(nameof(Names))]
    public string Case { get; set; } = PrecompileWorkloads.Reference;

    private PrecompileWorkload _workload = null!;

    [GlobalSetup]
    public void Setup()
    {
        _workload = Workloads[Case];
        PrecompileBenchmark.Verify([_workload]);
    }

    [Benchmark]
    public byte[] Call()
    {
        if (!_workload.Precompile.TryRun(_workload.Input, out var output)) throw new InvalidOperationException(Case + " failed");
        return output;
    }

    private static string? CaseOf(BenchmarkCase c) => c.Parameters["Case"] as string;

    /// <summary>In-process runs with enough iterations for a meaningful Min, plus the two gas columns.</summary>
    private sealed class GasConfig : ManualConfig
    {
        public GasConfig()
        {
            AddJob(Job.ShortRun.WithIterationCount(15).WithToolchain(InProcessEmitToolchain.Instance));
            AddColumn(StatisticColumn.Min, new GasColumn(ratio: false), new GasColumn(ratio: true));
        }
    }

    private sealed class GasColumn(bool ratio) : IColumn
    {
        public string Id => ratio ? "XEcrecover" : "MgasPerSec";
        public string ColumnName => ratio ? "x ecrecover" : "Mgas/s";
        public bool AlwaysShow => true;
        public ColumnCategory Category => ColumnCategory.Custom;
        public int PriorityInCategory => ratio ? 1 : 0;
        public bool IsNumeric => true;
        public UnitType UnitType => UnitType.Dimensionless;
        public string Legend => ratio ? "Gas/s relative to ecrecover's in the same run" : "Million gas per second (gas per call / Min)";
        public bool IsAvailable(Summary summary) => true;
        public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;
        public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style) => GetValue(summary, benchmarkCase);

        public string GetValue(Summary summary, BenchmarkCase benchmarkCase)
        {
            double? own = GasPerSecond(summary, benchmarkCase);
            if (own is null) return "-";
            if (!ratio) return (own.Value / 1e6).ToString("F1");
            var reference = summary.BenchmarksCases.FirstOrDefault(c => CaseOf(c) == PrecompileWorkloads.Reference);
            double? refRate = reference is null ? null : GasPerSecond(summary, reference);
            return refRate is null ? "-" : (own.Value / refRate.Value).ToString("F2");
        }

        private static double? GasPerSecond(Summary summary, BenchmarkCase c)
        {
            var stats = summary[c]?.ResultStatistics;
            if (stats is null || CaseOf(c) is not { } name || !Workloads.TryGetValue(name, out var w)) return null;
            return w.Gas / (stats.Min * 1e-9);
        }
    }
}
