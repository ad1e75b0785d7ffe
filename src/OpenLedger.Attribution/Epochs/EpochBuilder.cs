using System.Numerics;
using OpenLedger.Attribution.Records;
using OpenLedger.Attribution.Shares;
using OpenLedger.Primitives;
using OpenLedger.Primitives.Merkle;

namespace OpenLedger.Attribution.Epochs;

/// <summary>Who gets paid: contributors by contribution id, model owners by model id, and the stakers' pool.</summary>
public sealed record EpochAccounts(
    IReadOnlyDictionary<ulong, Address> Contributors,
    IReadOnlyDictionary<Hash256, Address> ModelOwners,
    Address StakersPool);

/// <summary>An epoch's payout: per-account amounts summing exactly to the distributable fees, and the reward tree.</summary>
public sealed class EpochResult
{
    internal EpochResult(ulong epoch, UInt256 totalFees, UInt256 distributable, IReadOnlyList<(Address Account, UInt256 Amount)> amounts, StandardMerkleTree? tree)
    {
        Epoch = epoch; TotalFees = totalFees; Distributable = distributable; Amounts = amounts; Tree = tree;
    }

    public ulong Epoch { get; }
    public UInt256 TotalFees { get; }
    /// <summary>floor(fees · (10,000 − protocol bps) / 10,000): the tree's total, as <c>AttributionRewards.postRoot</c> checks it.</summary>
    public UInt256 Distributable { get; }
    /// <summary>fees − distributable: left in the contract and released to the treasury, never a leaf.</summary>
    public UInt256 ProtocolAmount => TotalFees - Distributable;
    /// <summary>Non-zero amounts, ascending by address; they sum to <see cref="Distributable"/> exactly.</summary>
    public IReadOnlyList<(Address Account, UInt256 Amount)> Amounts { get; }
    /// <summary>Null when nothing is distributable (no fees, or a 100% protocol share).</summary>
    public StandardMerkleTree? Tree { get; }
    public Hash256 Root => Tree?.Root ?? Hash256.Zero;
}

/// <summary>
/// Rolls attribution records up into an epoch, matching the on-chain <c>AttributionRewards</c> contract:
/// 1. fees F = Σ record fees; distributable D = floor(F · (10,000 − protocol) / 10,000), the protocol keeping F − D;
/// 2. every record gives each account an exact weight (in units of fee · bps · bps): its contributors
///    fee · data bps · share bps, the model's owner fee · owner bps · 10,000, the stakers' pool
///    fee · stakers bps · 10,000; a record with no shares (nothing attributable) gives its data part to the owner;
/// 3. D is split over accounts by their summed weights with largest remainder, ties to the smaller address.
/// One rounding step for the whole epoch: amounts sum to D exactly and each is within one wei of its exact share.
/// </summary>
public static class EpochBuilder
{
    public static EpochResult Build(ulong epoch, IReadOnlyList<AttributionRecord> records, GovernanceSplit split, EpochAccounts accounts)
    {
        ArgumentNullException.ThrowIfNull(records);
        ArgumentNullException.ThrowIfNull(split);
        ArgumentNullException.ThrowIfNull(accounts);
        split.Validate();
        var seen = new HashSet<Hash256>();
        var weights = new Dictionary<Address, BigInteger>();
        BigInteger fees = BigInteger.Zero;
        const int full = LargestRemainder.BasisPoints;

        foreach (var record in records)
        {
            if (!seen.Add(record.InferenceId)) throw new ArgumentException($"inference {record.InferenceId} appears twice in the epoch");
            if (!accounts.ModelOwners.TryGetValue(record.ModelId, out var owner))
                throw new ArgumentException($"model {record.ModelId} has no registered owner");
            var fee = record.Fee.ToBigInteger();
            fees += fee;
            Add(weights, accounts.StakersPool, fee * split.StakersBps * full);
            if (record.Shares.Count == 0)
            {
                Add(weights, owner, fee * (split.ModelOwnerBps + split.DataContributorsBps) * full);
                continue;
            }
            Add(weights, owner, fee * split.ModelOwnerBps * full);
            foreach (var share in record.Shares)
            {
                if (!accounts.Contributors.TryGetValue(share.ContributionId, out var contributor))
                    throw new ArgumentException($"contribution {share.ContributionId} has no registered contributor");
                Add(weights, contributor, fee * split.DataContributorsBps * share.BasisPoints);
            }
        }

        var distributable = fees * (full - split.ProtocolBps) / full;
        var accountsInOrder = weights.Keys.Order().ToArray();
        var parts = LargestRemainder.Apportion(distributable,
            accountsInOrder.Select(a => weights[a]).ToArray(),
            Enumerable.Range(0, accountsInOrder.Length).Select(i => (ulong)i).ToArray()); // tie key = address order

        var amounts = accountsInOrder.Zip(parts).Where(p => !p.Second.IsZero)
            .Select(p => (p.First, UInt256.FromBigInteger(p.Second))).ToArray();
        var tree = amounts.Length == 0 ? null : StandardMerkleTree.Of(amounts);
        return new EpochResult(epoch, UInt256.FromBigInteger(fees), UInt256.FromBigInteger(distributable), amounts, tree);
    }

    private static void Add(Dictionary<Address, BigInteger> weights, Address a, BigInteger w) =>
        weights[a] = weights.GetValueOrDefault(a) + w;
}
