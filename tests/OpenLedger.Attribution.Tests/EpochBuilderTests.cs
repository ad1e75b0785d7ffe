using System.Numerics;
using OpenLedger.Attribution.Epochs;
using OpenLedger.Attribution.Records;
using OpenLedger.Attribution.Shares;
using OpenLedger.Primitives;
using OpenLedger.Primitives.Merkle;

namespace OpenLedger.Attribution.Tests;

public class EpochBuilderTests
{
    private static Address Addr(int i)
    {
        var b = new byte[20];
        b[0] = (byte)(i * 29); b[19] = (byte)i;
        return new Address(b);
    }

    private static readonly GovernanceSplit Split = new(7000, 1500, 1000, 500);

    private static EpochAccounts Accounts() => new(
        new Dictionary<ulong, Address> { [1] = Addr(1), [2] = Addr(2), [3] = Addr(3), [4] = Addr(1) },
        new Dictionary<Hash256, Address> { [TestData.ModelId(1)] = Addr(10) },
        Addr(20));

    private static AttributionRecord Rec(int n, ulong fee, params ContributionShare[] shares) =>
        AttributionRecord.ForSpans(TestData.ModelId(1), TestData.ModelId((byte)(100 + n)), [], fee, shares);

    [Fact]
    public void Small_epoch_matches_a_hand_computation()
    {
        // F = 1001, D = floor(1001 · 9500 / 10000) = 950, protocol keeps 51.
        // Exact shares of D: contributors 233.31 / 233.38 / 233.31, owner 150, stakers 100 → floors sum 949;
        // the one spare wei goes to the largest remainder (.38, contribution 2's contributor).
        var r = Rec(1, 1001, new(1, 3333), new(2, 3334), new(3, 3333));
        var e = EpochBuilder.Build(7, [r], Split, Accounts());
        var byAccount = e.Amounts.ToDictionary(a => a.Account, a => (ulong)a.Amount);
        Assert.Equal(233UL, byAccount[Addr(1)]);
        Assert.Equal(234UL, byAccount[Addr(2)]);
        Assert.Equal(233UL, byAccount[Addr(3)]);
        Assert.Equal(150UL, byAccount[Addr(10)]);
        Assert.Equal(100UL, byAccount[Addr(20)]);
        Assert.Equal(5, byAccount.Count);
        Assert.Equal(new UInt256(950), e.Distributable);
        Assert.Equal(new UInt256(51), e.ProtocolAmount);
        Assert.Equal(950UL, e.Amounts.Aggregate(0UL, (s, a) => s + (ulong)a.Amount));
    }

    [Fact]
    public void Tiny_fees_never_exceed_what_the_contract_allows()
    {
        // Rounding per record would hand out every 1-wei fee; one epoch-level rounding keeps the total ≤ the contract's bound.
        var records = Enumerable.Range(0, 40).Select(i => Rec(i, 1, new ContributionShare(1, 10_000))).ToArray();
        var e = EpochBuilder.Build(1, records, Split, Accounts());
        Assert.Equal(new UInt256(38), e.Distributable); // floor(40 · 0.95)
        Assert.Equal(38UL, e.Amounts.Aggregate(0UL, (s, a) => s + (ulong)a.Amount));
    }

    [Fact]
    public void Random_epochs_pay_out_exactly_the_fees_and_every_proof_verifies()
    {
        var rng = new Random(3);
        var records = new List<AttributionRecord>();
        for (int i = 0; i < 60; i++)
        {
            var ids = Enumerable.Range(1, 4).Where(_ => rng.Next(2) == 0).Select(x => (ulong)x).ToArray();
            ContributionShare[] shares = [];
            if (ids.Length > 0)
            {
                var bps = LargestRemainder.ToBasisPoints(ids.Select(_ => (BigInteger)rng.Next(1, 1000)).ToArray(), ids);
                shares = ids.Zip(bps).Where(p => p.Second > 0).Select(p => new ContributionShare(p.First, p.Second)).ToArray();
            }
            var fee = UInt256.FromBigInteger(new BigInteger(rng.NextInt64(0, long.MaxValue)) * rng.NextInt64(1, long.MaxValue)); // beyond 64 bits
            records.Add(AttributionRecord.ForSpans(TestData.ModelId(1), TestData.ModelId((byte)i), [], fee, shares));
        }
        var e = EpochBuilder.Build(1, records, Split, Accounts());
        var sum = e.Amounts.Aggregate(BigInteger.Zero, (s, a) => s + a.Amount.ToBigInteger());
        var fees = records.Aggregate(BigInteger.Zero, (s, r) => s + r.Fee.ToBigInteger());
        Assert.Equal(fees * 9500 / 10000, sum);
        Assert.Equal(e.Distributable.ToBigInteger(), sum);
        Assert.Equal(fees, e.TotalFees.ToBigInteger());
        foreach (var (account, amount) in e.Amounts)
            Assert.True(MerkleProof.Verify(e.Tree!.GetProof(account), e.Root, StandardMerkleTree.LeafHash(account, amount)));
    }

    [Fact]
    public void Unattributed_data_share_goes_to_the_model_owner()
    {
        var e = EpochBuilder.Build(1, [Rec(1, 10_000)], Split, Accounts());
        Assert.Equal(new UInt256(7000 + 1500), e.Amounts.Single(a => a.Account == Addr(10)).Amount);
        Assert.Equal(new UInt256(500), e.ProtocolAmount);
    }

    [Fact]
    public void Bad_epochs_are_rejected()
    {
        Assert.Throws<ArgumentException>(() => EpochBuilder.Build(1, [Rec(1, 5, new ContributionShare(9, 10_000))], Split, Accounts()));
        Assert.Throws<ArgumentException>(() => EpochBuilder.Build(1, [Rec(1, 5), Rec(1, 6)], Split, Accounts()));
        Assert.Throws<ArgumentException>(() => EpochBuilder.Build(1, [Rec(1, 5)], new GovernanceSplit(7000, 1500, 1000, 400), Accounts()));
        var empty = EpochBuilder.Build(1, [], Split, Accounts());
        Assert.Null(empty.Tree);
        Assert.Equal(Hash256.Zero, empty.Root);
    }
}
