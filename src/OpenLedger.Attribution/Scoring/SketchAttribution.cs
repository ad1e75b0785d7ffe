using System.Numerics;
using OpenLedger.Attribution.Shares;

namespace OpenLedger.Attribution.Scoring;

/// <summary>From scored candidates to basis-point shares, in integers only.</summary>
public static class SketchAttribution
{
    /// <summary>
    /// Shares over the candidates with a positive score (a negative score means the example pushed the output the
    /// other way; it earns nothing). Largest remainder, ties by contribution id; empty when no score is positive.
    /// Returned in contribution-id order so the encoding of a record does not depend on score order.
    /// </summary>
    public static ContributionShare[] Shares(IReadOnlyList<ScoredContribution> candidates)
    {
        ArgumentNullException.ThrowIfNull(candidates);
        var positive = candidates.Where(c => c.Score > 0).OrderBy(c => c.ContributionId).ToArray();
        if (positive.Length == 0) return [];
        var bps = LargestRemainder.ToBasisPoints(positive.Select(c => (BigInteger)c.Score).ToArray(), positive.Select(c => c.ContributionId).ToArray());
        var shares = new List<ContributionShare>(positive.Length);
        for (int i = 0; i < positive.Length; i++)
            if (bps[i] > 0) shares.Add(new ContributionShare(positive[i].ContributionId, bps[i]));
        return shares.ToArray();
    }
}
