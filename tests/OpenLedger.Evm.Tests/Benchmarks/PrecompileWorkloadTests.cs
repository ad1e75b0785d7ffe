using OpenLedger.Tools.Benchmarks;

namespace OpenLedger.Evm.Tests.Benchmarks;

/// <summary>The `bench precompiles` workloads compute what they claim (no timings are asserted).</summary>
public class PrecompileWorkloadTests
{
    [Fact]
    public void Every_workload_succeeds_with_its_expected_output_and_charges_gas()
    {
        var all = PrecompileWorkloads.All();
        Assert.Equal(PrecompileWorkloads.Reference, all[0].Name);
        Assert.Equal(all.Count, all.Select(w => w.Name).Distinct().Count());
        foreach (var w in all)
        {
            Assert.True(w.RunAndCheck(), w.Name);
            Assert.True(w.Gas > 0, w.Name);
        }
        Assert.Equal(3000, all[0].Gas);
        Assert.Equal(12, all.Single(w => w.Name == "blake2f_12").Gas);
        Assert.Equal(50000, all.Single(w => w.Name == "point_evaluation").Gas);
    }

    [Fact]
    public void A_wrong_expected_output_is_caught()
    {
        var w = PrecompileWorkloads.All().Single(w => w.Name == "bn254_pairing2");
        var broken = w with { Expected = new byte[32] };
        Assert.False(broken.RunAndCheck());
        Assert.Throws<PrecompileMismatchException>(() => PrecompileBenchmark.Verify([broken]));
    }

    [Fact]
    public void One_round_times_every_selected_workload()
    {
        var cheap = PrecompileWorkloads.All().Where(w => w.Name is "ecrecover" or "identity" or "blake2f_12").ToList();
        var timings = PrecompileBenchmark.Run(cheap, 1, TimeSpan.FromMilliseconds(20), TimeSpan.FromMilliseconds(2));
        Assert.Equal(cheap.Count, timings.Count);
        Assert.All(timings, t => Assert.True(t.Calls > 0 && t.BestNsPerCall > 0 && t.BestNsPerCall <= t.MedianNsPerCall * 1.0000001 + 1e-9));
    }
}
