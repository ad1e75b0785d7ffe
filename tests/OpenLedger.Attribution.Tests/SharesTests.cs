using System.Numerics;
using OpenLedger.Attribution.Scoring;
using OpenLedger.Attribution.Shares;

namespace OpenLedger.Attribution.Tests;

public class SharesTests
{
    [Fact]
    public void Three_equal_weights_give_the_spare_unit_to_the_smallest_id()
    {
        var bps = LargestRemainder.ToBasisPoints([1, 1, 1], [30UL, 10UL, 20UL]);
        Assert.Equal(new[] { 3333, 3334, 3333 }, bps);
    }

    [Fact]
    public void Largest_remainders_win_the_leftover_units()
    {
        // 10000·{1,2,4}/7 = 1428.57, 2857.14, 5714.28 → floors sum 9999; the .57 remainder gets the unit.
        Assert.Equal(new[] { 1429, 2857, 5714 }, LargestRemainder.ToBasisPoints([1, 2, 4], [1UL, 2UL, 3UL]));
    }

    [Fact]
    public void Random_weights_always_sum_exactly_and_stay_within_one_unit_of_exact()
    {
        var rng = new Random(9);
        for (int trial = 0; trial < 200; trial++)
        {
            int n = rng.Next(1, 40);
            var w = Enumerable.Range(0, n).Select(_ => new BigInteger(rng.NextInt64(0, long.MaxValue)) * rng.Next(1, 1000)).ToArray();
            if (w.All(x => x.IsZero)) w[0] = 1;
            var total = new BigInteger(rng.NextInt64(0, long.MaxValue)) * 12345;
            var parts = LargestRemainder.Apportion(total, w, Enumerable.Range(0, n).Select(i => (ulong)i).ToArray());
            Assert.Equal(total, parts.Aggregate(BigInteger.Zero, (a, b) => a + b));
            var sum = w.Aggregate(BigInteger.Zero, (a, b) => a + b);
            for (int i = 0; i < n; i++)
            {
                var floor = total * w[i] / sum;
                Assert.True(parts[i] == floor || parts[i] == floor + 1);
            }
        }
    }

    [Fact]
    public void Bad_input_is_rejected()
    {
        Assert.Throws<ArgumentException>(() => LargestRemainder.ToBasisPoints([0, 0], [1UL, 2UL]));
        Assert.Throws<ArgumentOutOfRangeException>(() => LargestRemainder.ToBasisPoints([-1, 2], [1UL, 2UL]));
        Assert.Throws<ArgumentException>(() => LargestRemainder.ToBasisPoints([1, 2], [1UL, 1UL]));
    }

    [Fact]
    public void Only_positive_scores_earn_and_shares_come_in_id_order()
    {
        var scored = new[]
        {
            new ScoredContribution(9, 1, 10, 300),
            new ScoredContribution(4, 1, 10, 100),
            new ScoredContribution(7, 1, -3, -50),
            new ScoredContribution(2, 1, 0, 0),
        };
        var shares = SketchAttribution.Shares(scored);
        Assert.Equal(new[] { new ContributionShare(4, 2500), new ContributionShare(9, 7500) }, shares);
        Assert.Empty(SketchAttribution.Shares([new ScoredContribution(1, 1, -1, -1)]));
    }
}
