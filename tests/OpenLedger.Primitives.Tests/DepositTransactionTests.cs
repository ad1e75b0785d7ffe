using OpenLedger.Primitives;
using RlpCodec = OpenLedger.Primitives.Rlp.Rlp;
using OpenLedger.Primitives.Transactions;

namespace OpenLedger.Primitives.Tests;

public class DepositTransactionTests
{
    private static readonly Address From = Address.Parse("0x1111111111111111111111111111111111111111");
    private static readonly Address To = Address.Parse("0x2222222222222222222222222222222222222222");

    private static Transaction Sample(Address? to = null, bool system = false) => Transaction.CreateDeposit(
        Keccak256.Compute([1, 2, 3]), From, to, new UInt256(1_000_000_000_000_000_000), new UInt256(5), 100_000, system, [0xde, 0xad]);

    [Fact]
    public void Encoding_IsTypeByteThenTheEightFieldsInSpecOrder()
    {
        var tx = Sample(To);
        var encoded = tx.Encode();
        Assert.Equal(0x7E, encoded[0]);
        // Rebuild the RLP independently from the spec's field list.
        var expected = RlpCodec.EncodeList(
            RlpCodec.Encode(Keccak256.Compute([1, 2, 3]).Bytes),
            RlpCodec.Encode(From.Bytes),
            RlpCodec.Encode(To.Bytes),
            RlpCodec.Encode(new UInt256(1_000_000_000_000_000_000)),
            RlpCodec.Encode(new UInt256(5)),
            RlpCodec.Encode(100_000UL),
            RlpCodec.Encode(0UL),
            RlpCodec.Encode([0xde, 0xad]));
        Assert.Equal([0x7E, .. expected], encoded);
        Assert.Equal(Keccak256.Compute(encoded), tx.Hash);
    }

    [Theory]
    [InlineData(true, false)]
    [InlineData(false, true)]
    public void RoundTrips(bool create, bool system)
    {
        var tx = Sample(create ? null : To, system);
        var back = TxDecoder.Decode(tx.Encode());
        Assert.Equal(TxType.Deposit, back.Type);
        Assert.Equal(tx.SourceHash, back.SourceHash);
        Assert.Equal(From, back.DepositFrom);
        Assert.Equal(tx.To, back.To);
        Assert.Equal(tx.Mint, back.Mint);
        Assert.Equal(tx.Value, back.Value);
        Assert.Equal(tx.GasLimit, back.GasLimit);
        Assert.Equal(system, back.IsSystemTx);
        Assert.Equal(tx.Data, back.Data);
        Assert.Equal(tx.Hash, back.Hash);
        Assert.True(back.TryRecoverSender(out var sender));
        Assert.Equal(From, sender);
    }

    private static byte[] Body(params byte[][] fields) => [0x7E, .. RlpCodec.EncodeList(fields)];

    [Fact]
    public void Decoding_NamesTheBrokenField()
    {
        var h = RlpCodec.Encode(new byte[32]);
        var a = RlpCodec.Encode(From.Bytes);
        var n = RlpCodec.Encode(1UL);
        var missing = Assert.Throws<TransactionDecodingException>(() => TxDecoder.Decode(Body(h, a, a, n, n, n)));
        Assert.Equal("isSystemTx", missing.Field);
        var badBool = Assert.Throws<TransactionDecodingException>(() => TxDecoder.Decode(Body(h, a, a, n, n, n, RlpCodec.Encode(2UL), RlpCodec.Encode([]))));
        Assert.Equal("isSystemTx", badBool.Field);
        var extra = Assert.Throws<TransactionDecodingException>(() => TxDecoder.Decode(Body(h, a, a, n, n, n, RlpCodec.Encode(0UL), RlpCodec.Encode([]), n)));
        Assert.Contains("too many fields", extra.Message);
        var shortHash = Assert.Throws<TransactionDecodingException>(() => TxDecoder.Decode(Body(RlpCodec.Encode(new byte[31]), a, a, n, n, n, RlpCodec.Encode(0UL), RlpCodec.Encode([]))));
        Assert.Equal("sourceHash", shortHash.Field);
        var badFrom = Assert.Throws<TransactionDecodingException>(() => TxDecoder.Decode(Body(h, RlpCodec.Encode([]), a, n, n, n, RlpCodec.Encode(0UL), RlpCodec.Encode([]))));
        Assert.Equal("from", badFrom.Field);
        Assert.Throws<TransactionDecodingException>(() => TxDecoder.Decode([.. Sample(To).Encode(), 0x00]));
    }

    [Fact]
    public void SourceHashes_FollowTheSpecDomains()
    {
        var block = Keccak256.Compute([9]);
        static Hash256 Manual(ulong domain, ReadOnlySpan<byte> inner)
        {
            var d = new byte[32];
            d[31] = (byte)domain;
            return Keccak256.Compute([.. d, .. Keccak256.Compute(inner).Bytes]);
        }
        var idx = new byte[32];
        idx[31] = 7;
        Assert.Equal(Manual(0, [.. block.Bytes, .. idx]), DepositSource.UserDeposit(block, 7));
        Assert.Equal(Manual(1, [.. block.Bytes, .. idx]), DepositSource.L1InfoDeposit(block, 7));
        Assert.Equal(Manual(2, "Ecotone: L1 Block Deployment"u8), DepositSource.Upgrade("Ecotone: L1 Block Deployment"));
        Assert.NotEqual(DepositSource.UserDeposit(block, 7), DepositSource.L1InfoDeposit(block, 7));
    }

    /// The Ecotone upgrade's L1Block deployment source hash, as published in specs/protocol/ecotone/derivation.md.
    [Fact]
    public void UpgradeSourceHash_MatchesThePublishedEcotoneValue() =>
        Assert.Equal(Hash256.Parse("0x877a6077205782ea15a6dc8699fa5ebcec5e0f4389f09cb8eda09488231346f8"), DepositSource.Upgrade("Ecotone: L1 Block Deployment"));

    [Fact]
    public void Validator_RefusesDeposits()
    {
        var error = Assert.Throws<InvalidTransactionException>(() => TxValidator.Validate(Sample(To), OpenLedger.Primitives.Forks.ForkSpec.Cancun, 1));
        Assert.Equal(TxInvalidReason.TypeNotSupported, error.Reason);
        Assert.Contains("derived from L1", error.Message);
    }
}
