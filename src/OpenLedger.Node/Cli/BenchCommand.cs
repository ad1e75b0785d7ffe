using System.CommandLine;
using OpenLedger.Tools.Benchmarks;
using OpenLedger.Node.Devnet;

namespace OpenLedger.Node.Cli;

/// <summary>
/// `openledger bench evm [--scale X] [--rounds N] [--workloads a,b] [--no-anvil]`: Mgas/s of this EVM on the
/// workloads of <see cref="EvmWorkloads"/> and, unless --no-anvil, of anvil's eth_call running the same code via state
/// overrides, interleaved per round, with the ratio per workload (<see cref="EvmComparison"/>).
/// </summary>
public static class BenchCommand
{
    public static Command Create()
    {
        var scale = new Option<double>("--scale") { Description = "Loop-count multiplier (1 = about 60-120 Mgas per workload).", DefaultValueFactory = _ => 1.0 };
        var noAnvil = new Option<bool>("--no-anvil") { Description = "Skip the comparison with anvil's eth_call." };
        var rounds = new Option<int>("--rounds") { Description = "Interleaved rounds (ours, then anvil, per workload); medians are printed.", DefaultValueFactory = _ => 3 };
        var only = new Option<string?>("--workloads") { Description = "Comma-separated workload names (default: all)." };
        var evm = new Command("evm", "Benchmark the EVM interpreter against anvil.") { scale, noAnvil, rounds, only };
        evm.SetAction(async (parse, ct) =>
        {
            double s = parse.GetValue(scale);
            if (!(s > 0 && s <= 8)) throw new CliException($"--scale must be in (0, 8], got {s}", CliApp.UsageError);
            int r = parse.GetValue(rounds);
            if (r is < 1 or > 50) throw new CliException($"--rounds must be in [1, 50], got {r}", CliApp.UsageError);
            var workloads = EvmWorkloads.All(s);
            if (parse.GetValue(only) is { } names)
            {
                var wanted = names.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
                if (wanted.FirstOrDefault(n => workloads.All(w => w.Name != n)) is { } unknown)
                    throw new CliException($"unknown workload '{unknown}' (known: {string.Join(", ", workloads.Select(w => w.Name))})", CliApp.UsageError);
                workloads = [.. workloads.Where(w => wanted.Contains(w.Name))];
            }
            AnvilProcess? anvil = null;
            try
            {
                if (!parse.GetValue(noAnvil))
                {
                    try { anvil = await AnvilProcess.StartAsync(ToolLocator.Find("anvil"), AnvilProcess.FreePort(), ["--disable-block-gas-limit", "--hardfork", "osaka"], ct); }
                    catch (Exception e) when (e is InvalidOperationException or FileNotFoundException or TimeoutException)
                    {
                        throw new CliException($"cannot start anvil for the comparison ({e.Message}); use --no-anvil");
                    }
                }
                Console.WriteLine($"bench evm: scale {s}, {r} rounds, started {DateTime.UtcNow:yyyy-MM-dd HH:mm:ss} UTC, load average {LoadAverage()}, {Environment.ProcessorCount} cores; ours: {EvmBenchmark.Spec.Name}, anvil --hardfork osaka");
                using var timer = anvil == null ? null : new AnvilEvmTimer(anvil.RpcUrl);
                IReadOnlyList<EvmComparisonRow> rows;
                try { rows = await EvmComparison.RunAsync(workloads, timer, r, Console.Error, ct); }
                catch (InvalidOperationException e) { throw new CliException(e.Message); }
                EvmComparison.Print(rows, Console.Out);
                Console.WriteLine($"finished {DateTime.UtcNow:yyyy-MM-dd HH:mm:ss} UTC, load average {LoadAverage()}");
                if (rows.FirstOrDefault(row => !row.OutputsMatch) is { } diff)
                    throw new CliException($"workload {diff.Workload.Name}: anvil returned different output than the OpenLedger EVM");
            }
            finally
            {
                if (anvil != null) await anvil.DisposeAsync();
            }
            return CliApp.Ok;
        });
        return new Command("bench", "Benchmarks.")
        {
            evm, BenchRpcCommand.Create(), BenchPrecompilesCommand.Create(), BenchDatanetsCommand.Create(),
            BenchRollupCommand.Create(), BenchModelCommand.Create(), BenchServeCommand.Create(), BenchBridgeCommand.Create(),
        };
    }

    private static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "n/a";
}
