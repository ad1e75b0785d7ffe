using System.Numerics;

namespace OpenLedger.Attribution.Shares;

/// <summary>
/// Hamilton's largest-remainder apportionment in exact integers: each part gets floor(total * w_i / W), and the
/// units left over go one each to the largest remainders (total * w_i mod W), ties to the smaller tie key.
/// The parts always sum to <c>total</c> exactly, which is what lets anyone re-derive a reward root bit for bit.
/// </summary>
public static class LargestRemainder
{
    public const int BasisPoints = 10_000;

    /// <summary>Splits <paramref name="total"/> over non-negative weights. Tie keys must be distinct. The weights must not all be zero unless the total is zero.</summary>
    public static BigInteger[] Apportion(BigInteger total, IReadOnlyList<BigInteger> weights, IReadOnlyList<ulong> tieKeys)
    {
        ArgumentNullException.ThrowIfNull(weights);
        ArgumentNullException.ThrowIfNull(tieKeys);
        if (total.Sign < 0) throw new ArgumentOutOfRangeException(nameof(total), "the total to split must not be negative");
        if (weights.Count != tieKeys.Count) throw new ArgumentException("one tie key per weight is required");
        int n = weights.Count;
        var result = new BigInteger[n];
        if (n == 0)
        {
            if (!total.IsZero) throw new ArgumentException("a non-zero total needs at least one weight");
            return result;
        }
        BigInteger sum = BigInteger.Zero;
        for (int i = 0; i < n; i++)
        {
            if (weights[i].Sign < 0) throw new ArgumentOutOfRangeException(nameof(weights), $"weight {i} is negative");
            sum += weights[i];
        }
        if (sum.IsZero)
        {
            if (!total.IsZero) throw new ArgumentException("all weights are zero: nothing to split a non-zero total by");
            return result;
        }
        if (new HashSet<ulong>(tieKeys).Count != n) throw new ArgumentException("tie keys must be distinct");

        var remainders = new BigInteger[n];
        BigInteger given = BigInteger.Zero;
        for (int i = 0; i < n; i++)
        {
            result[i] = BigInteger.DivRem(total * weights[i], sum, out remainders[i]);
            given += result[i];
        }
        var leftover = (int)(total - given); // < n, since each part lost less than one unit
        if (leftover > 0)
        {
            var order = Enumerable.Range(0, n).ToArray();
            Array.Sort(order, (a, b) =>
            {
                int c = remainders[b].CompareTo(remainders[a]); // larger remainder first
                return c != 0 ? c : tieKeys[a].CompareTo(tieKeys[b]);
            });
            for (int j = 0; j < leftover; j++) result[order[j]] += 1;
        }
        return result;
    }

    /// <summary>Shares in basis points (summing to exactly 10,000) for positive weights keyed by contribution id.</summary>
    public static int[] ToBasisPoints(IReadOnlyList<BigInteger> weights, IReadOnlyList<ulong> ids)
    {
        var parts = Apportion(BasisPoints, weights, ids);
        var bps = new int[parts.Length];
        for (int i = 0; i < parts.Length; i++) bps[i] = (int)parts[i];
        return bps;
    }
}
