using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using OpenLedger.Tools.Benchmarks;

namespace OpenLedger.Node.Cli;

/// <summary>
/// `openledger bench precompiles [--rounds N] [--filter NAME] [--json]`: gas per second of each precompile on
/// representative inputs, relative to ecrecover's in the same run (the gas schedule prices precompiles against it);
/// the target is at least 0.5x. Cases run interleaved in rounds; the best time per call is reported, with the median.
/// Exits 0 when a target is missed (it is a report) and 1 when a precompile returns a wrong result.
/// </summary>
public static class BenchPrecompilesCommand
{
    public const double Target = 0.5;

    public static Command Create()
    {
        var rounds = new Option<int>("--rounds") { Description = "Timed rounds (1..1000); each runs every case for about 5 ms and at least 3 calls.", DefaultValueFactory = _ => 20 };
        var filter = new Option<string?>("--filter") { Description = "Only cases whose name contains this text (ecrecover always runs as the reference)." };
        var json = new Option<bool>("--json") { Description = "Print the results as JSON instead of a table." };
        var cmd = new Command("precompiles", "Benchmark the precompiles in gas per second against ecrecover.") { rounds, filter, json };
        cmd.SetAction(parse =>
        {
            int n = parse.GetValue(rounds);
            if (n < 1 || n > 1000) throw new CliException($"--rounds must be 1..1000, got {n}", CliApp.UsageError);
            string? f = parse.GetValue(filter);
            var workloads = PrecompileWorkloads.All()
                .Where(w => w.Name == PrecompileWorkloads.Reference || string.IsNullOrEmpty(f) || w.Name.Contains(f, StringComparison.OrdinalIgnoreCase))
                .ToList();
            if (!string.IsNullOrEmpty(f) && workloads.Count == 1 && !PrecompileWorkloads.Reference.Contains(f, StringComparison.OrdinalIgnoreCase))
                throw new CliException($"--filter '{f}' matches no case", CliApp.UsageError);

            string started = $"{DateTime.UtcNow:yyyy-MM-dd HH:mm:ss} UTC, load average {LoadAverage()}";
            IReadOnlyList<PrecompileTiming> timings;
            try { timings = PrecompileBenchmark.Run(workloads, n); }
            catch (PrecompileMismatchException e) { throw new CliException(e.Message); }
            double reference = timings.First(t => t.Workload.Name == PrecompileWorkloads.Reference).MgasPerSecond;

            if (parse.GetValue(json)) PrintJson(timings, reference, n, started);
            else PrintTable(timings, reference, n, started);
            return CliApp.Ok;
        });
        return cmd;
    }

    private static void PrintTable(IReadOnlyList<PrecompileTiming> timings, double reference, int rounds, string started)
    {
        var inv = CultureInfo.InvariantCulture;
        Console.WriteLine($"bench precompiles: {rounds} rounds, started {started}, {Environment.ProcessorCount} cores");
        Console.WriteLine($"arithmetic paths: {PrecompileBenchmark.FieldBackend}");
        Console.WriteLine($"{"case",-17} {"gas",9} {"best us/call",13} {"median us",10} {"Mgas/s",9} {"x ecrecover",12}  {"target " + Target.ToString("0.0", inv) + "x",-11} description");
        foreach (var t in timings)
        {
            double ratio = t.MgasPerSecond / reference;
            Console.WriteLine(string.Create(inv,
                $"{t.Workload.Name,-17} {t.Gas,9} {t.BestNsPerCall / 1e3,13:F3} {t.MedianNsPerCall / 1e3,10:F3} {t.MgasPerSecond,9:F1} {ratio,12:F2}  {(ratio >= Target ? "PASS" : "FAIL"),-11} {t.Workload.Description}"));
        }
        Console.WriteLine($"finished {DateTime.UtcNow:yyyy-MM-dd HH:mm:ss} UTC, load average {LoadAverage()}; all outputs checked");
    }

    private static void PrintJson(IReadOnlyList<PrecompileTiming> timings, double reference, int rounds, string started)
    {
        var doc = new
        {
            rounds,
            started,
            fieldArithmetic = PrecompileBenchmark.FieldBackend,
            target = Target,
            cases = timings.Select(t => new
            {
                name = t.Workload.Name,
                description = t.Workload.Description,
                gas = t.Gas,
                bestNsPerCall = Math.Round(t.BestNsPerCall, 1),
                medianNsPerCall = Math.Round(t.MedianNsPerCall, 1),
                calls = t.Calls,
                mgasPerSecond = Math.Round(t.MgasPerSecond, 2),
                ratioToEcrecover = Math.Round(t.MgasPerSecond / reference, 3),
                pass = t.MgasPerSecond / reference >= Target,
            }),
        };
        Console.WriteLine(JsonSerializer.Serialize(doc, new JsonSerializerOptions { WriteIndented = true }));
    }

    /// <summary>The 1/5/15-minute load average where the OS reports it (Linux), else "n/a".</summary>
    private static string LoadAverage()
    {
        try { return string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)); }
        catch (IOException) { return "n/a"; }
        catch (UnauthorizedAccessException) { return "n/a"; }
    }
}
