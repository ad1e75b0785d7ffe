using System.Globalization;

namespace OpenLedger.Tools.Benchmarks;

/// <summary>One workload's figures over all rounds: medians of the per-round values.</summary>
public sealed record EvmComparisonRow(
    EvmWorkload Workload,
    long GasUsed,
    double OursMgasPerSecond,
    double? AnvilMgasPerSecond,
    double? AnvilRoundTripMs,
    double? Ratio,
    double? NetRatio,
    bool OutputsMatch)
{
    /// <summary>The target is judged on <see cref="NetRatio"/>: anvil's time without its JSON-RPC round trip.</summary>
    public bool MeetsTarget => NetRatio >= EvmWorkload.TargetRatio;
}

/// <summary>
/// `bench evm`: our EVM and anvil on the same workloads, interleaved. Each round times every workload on our side
/// (best of <see cref="CallsPerRound"/> runs) and right after on anvil (best of as many eth_calls, plus as many
/// requests of the same size to an account without code, which is anvil's round trip and override cost). The ratio of
/// a round is anvil's time over ours, so load that changes between rounds hits both sides of a ratio alike; the
/// printed figures are medians over the rounds. "ratio" compares with anvil's full eth_call time, "net" with that time
/// less the round trip (stricter: it credits anvil with an RPC layer that costs nothing).
/// </summary>
public static class EvmComparison
{
    public const int CallsPerRound = 3;

    public static async Task<IReadOnlyList<EvmComparisonRow>> RunAsync(IReadOnlyList<EvmWorkload> workloads, AnvilEvmTimer? anvil,
        int rounds, TextWriter log, CancellationToken ct)
    {
        var ours = workloads.Select(_ => new List<EvmBenchmarkResult>()).ToArray();
        var theirs = workloads.Select(_ => new List<AnvilCallTiming>()).ToArray();
        var roundTrips = workloads.Select(_ => new List<TimeSpan>()).ToArray();
        foreach (var w in workloads)
        {
            EvmBenchmark.WarmUp(w);
            if (anvil != null) await anvil.BestAsync(w, 1, ct);
        }
        for (int round = 0; round < rounds; round++)
        {
            for (int i = 0; i < workloads.Count; i++)
            {
                var w = workloads[i];
                var r = EvmBenchmark.Best(w, CallsPerRound);
                if (!r.Success) throw new InvalidOperationException($"workload {w.Name} failed on the OpenLedger EVM");
                ours[i].Add(r);
                if (anvil == null) continue;
                theirs[i].Add(await anvil.BestAsync(w, CallsPerRound, ct));
                roundTrips[i].Add(await anvil.RoundTripAsync(w, CallsPerRound, ct));
            }
            log.WriteLine($"round {round + 1}/{rounds} done");
        }
        var rows = new List<EvmComparisonRow>();
        for (int i = 0; i < workloads.Count; i++)
        {
            long gas = ours[i][0].GasUsed;
            double oursMgas = Median(ours[i].Select(r => r.MgasPerSecond));
            if (anvil == null)
            {
                rows.Add(new EvmComparisonRow(workloads[i], gas, oursMgas, null, null, null, null, true));
                continue;
            }
            var ratios = new List<double>();
            var netRatios = new List<double>();
            for (int k = 0; k < rounds; k++)
            {
                double o = ours[i][k].Elapsed.TotalSeconds, a = theirs[i][k].Elapsed.TotalSeconds, rt = roundTrips[i][k].TotalSeconds;
                ratios.Add(a / o);
                netRatios.Add(Math.Max(0, a - rt) / o);
            }
            bool match = theirs[i].All(t => t.Output.AsSpan().SequenceEqual(ours[i][0].Output));
            rows.Add(new EvmComparisonRow(workloads[i], gas, oursMgas, Median(theirs[i].Select(t => gas / 1e6 / t.Elapsed.TotalSeconds)),
                Median(roundTrips[i].Select(t => t.TotalMilliseconds)), Median(ratios), Median(netRatios), match));
        }
        return rows;
    }

    public static void Print(IReadOnlyList<EvmComparisonRow> rows, TextWriter o)
    {
        o.WriteLine($"{"workload",-20} {"gas",14} {"ours Mgas/s",12} {"anvil Mgas/s",13} {"anvil rpc ms",13} {"ratio",7} {"net",7}  {"target",6}  description");
        foreach (var r in rows)
        {
            string F(double? v, string f) => v is { } x ? x.ToString(f, CultureInfo.InvariantCulture) : "-";
            string target = r.NetRatio == null ? "-" : !r.OutputsMatch ? "DIFF" : r.MeetsTarget ? "PASS" : "FAIL";
            o.WriteLine($"{r.Workload.Name,-20} {r.GasUsed,14:N0} {r.OursMgasPerSecond,12:F1} {F(r.AnvilMgasPerSecond, "F1"),13} {F(r.AnvilRoundTripMs, "F2"),13} {F(r.Ratio, "F2"),7} {F(r.NetRatio, "F2"),7}  {target,6}  {r.Workload.Description}");
        }
    }

    private static double Median(IEnumerable<double> values)
    {
        var v = values.Order().ToArray();
        return v.Length % 2 == 1 ? v[v.Length / 2] : (v[v.Length / 2 - 1] + v[v.Length / 2]) / 2;
    }
}
