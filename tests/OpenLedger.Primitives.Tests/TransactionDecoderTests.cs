using OpenLedger.Primitives.Crypto;
using OpenLedger.Primitives.Transactions;

namespace OpenLedger.Primitives.Tests;

public class TransactionDecoderTests
{
    private static readonly Address To35 = Address.Parse("0x3535353535353535353535353535353535353535");

    private static Transaction[] Samples()
    {
        using var key = EthKey.FromHex("0x4646464646464646464646464646464646464646464646464646464646464646");
        var list = new[] { new AccessListItem(To35, Hash256.Zero) };
        var blobHash = new byte[32];
        blobHash[0] = 1;
        var txs = new[]
        {
            new Transaction { Type = TxType.Legacy, ChainId = 1, Nonce = 1, GasPrice = new UInt256(5), GasLimit = 30000, To = To35, Data = [1, 2, 3] },
            new Transaction { Type = TxType.AccessList, ChainId = 1, Nonce = 2, GasPrice = new UInt256(5), GasLimit = 30000, To = To35, AccessList = list },
            new Transaction { Type = TxType.DynamicFee, ChainId = 1, Nonce = 3, MaxFeePerGas = new UInt256(9), GasLimit = 30000, To = null, Data = [0x60, 0] },
            new Transaction { Type = TxType.Blob, ChainId = 1, MaxFeePerGas = new UInt256(9), GasLimit = 30000, To = To35, AccessList = list, MaxFeePerBlobGas = UInt256.One, BlobVersionedHashes = [new Hash256(blobHash)] },
            new Transaction { Type = TxType.SetCode, ChainId = 1, MaxFeePerGas = new UInt256(9), GasLimit = 60000, To = To35, AuthorizationList = [AuthorizationTuple.Sign(UInt256.One, To35, 7, key)] },
        };
        foreach (var tx in txs) tx.Sign(key);
        return txs;
    }

    [Fact]
    public void Every_type_round_trips()
    {
        foreach (var tx in Samples())
        {
            var bytes = tx.Encode();
            var decoded = TxDecoder.Decode(bytes);
            Assert.Equal(bytes, decoded.Encode());
            Assert.Equal(tx.Hash, decoded.Hash);
            Assert.Equal(tx.RecoverSender(), decoded.RecoverSender());
            Assert.Equal(tx.Type, decoded.Type);
            Assert.Equal(tx.AccessList.Count, decoded.AccessList.Count);
            Assert.Equal(tx.AuthorizationList, decoded.AuthorizationList);
        }
    }

    [Fact]
    public void Random_field_values_of_every_type_round_trip_and_recover()
    {
        var rng = new Random(99);
        using var key = EthKey.FromHex("0x4646464646464646464646464646464646464646464646464646464646464646");
        UInt256 RandomUInt256()
        {
            var bytes = new byte[rng.Next(0, 33)];
            rng.NextBytes(bytes);
            return UInt256.FromBigEndian(bytes);
        }
        Hash256 RandomHash()
        {
            var h = new byte[32];
            rng.NextBytes(h);
            return new Hash256(h);
        }
        Address RandomAddress()
        {
            var a = new byte[20];
            rng.NextBytes(a);
            return new Address(a);
        }
        for (int i = 0; i < 250; i++)
        {
            var type = (TxType)(i % 5);
            var data = new byte[rng.Next(0, 3) == 0 ? rng.Next(0, 300) : rng.Next(0, 3)];
            rng.NextBytes(data);
            var tx = new Transaction
            {
                Type = type,
                ChainId = type == TxType.Legacy && rng.Next(2) == 0 ? null : (ulong)rng.NextInt64(),
                Nonce = (ulong)rng.NextInt64(),
                GasPrice = RandomUInt256(),
                MaxPriorityFeePerGas = RandomUInt256(),
                MaxFeePerGas = RandomUInt256(),
                GasLimit = (ulong)rng.NextInt64(),
                To = type is TxType.Blob or TxType.SetCode || rng.Next(3) > 0 ? RandomAddress() : null,
                Value = RandomUInt256(),
                Data = data,
                AccessList = type == TxType.Legacy ? [] : Enumerable.Range(0, rng.Next(0, 3)).Select(_ => new AccessListItem(RandomAddress(), Enumerable.Range(0, rng.Next(0, 3)).Select(_ => RandomHash()).ToArray())).ToArray(),
                MaxFeePerBlobGas = type == TxType.Blob ? RandomUInt256() : UInt256.Zero,
                BlobVersionedHashes = type == TxType.Blob ? Enumerable.Range(0, rng.Next(0, 4)).Select(_ => RandomHash()).ToArray() : [],
                AuthorizationList = type == TxType.SetCode
                    ? Enumerable.Range(0, rng.Next(0, 3)).Select(_ => new AuthorizationTuple(RandomUInt256(), RandomAddress(), (ulong)rng.NextInt64(), (byte)rng.Next(256), RandomUInt256(), RandomUInt256())).ToArray()
                    : [],
            };
            tx.Sign(key);
            var bytes = tx.Encode();
            var decoded = TxDecoder.Decode(bytes);
            Assert.Equal(bytes, decoded.Encode());
            Assert.Equal(tx.ChainId, decoded.ChainId);
            Assert.Equal(tx.To, decoded.To);
            Assert.Equal(tx.Value, decoded.Value);
            Assert.Equal(tx.AuthorizationList, decoded.AuthorizationList);
            Assert.Equal(tx.BlobVersionedHashes, decoded.BlobVersionedHashes);
            Assert.Equal(key.Address, decoded.RecoverSender());
        }
    }

    [Fact]
    public void Every_truncation_and_every_extension_is_rejected_with_a_typed_error()
    {
        foreach (var tx in Samples())
        {
            var bytes = tx.Encode();
            for (int len = 0; len < bytes.Length; len++)
                Assert.Throws<TransactionDecodingException>(() => TxDecoder.Decode(bytes.AsSpan(0, len)));
            var longer = bytes.Append((byte)0).ToArray();
            Assert.Throws<TransactionDecodingException>(() => TxDecoder.Decode(longer));
        }
    }

    [Fact]
    public void Random_corruption_never_escapes_as_another_exception_type()
    {
        var rng = new Random(4242);
        int rejected = 0, total = 0;
        foreach (var tx in Samples())
        {
            var bytes = tx.Encode();
            for (int i = 0; i < 600; i++)
            {
                var mutated = (byte[])bytes.Clone();
                int flips = 1 + rng.Next(3);
                for (int f = 0; f < flips; f++) mutated[rng.Next(mutated.Length)] = (byte)rng.Next(256);
                total++;
                try
                {
                    var decoded = TxDecoder.Decode(mutated);
                    Assert.Equal(mutated, decoded.Encode()); // whatever decodes is canonical
                    decoded.TryRecoverSender(out _);
                }
                catch (TransactionDecodingException)
                {
                    rejected++;
                }
            }
        }
        Assert.InRange(rejected, total / 10, total - 1);
    }

    [Theory]
    [InlineData("f9ffff")]                 // list claiming 65535 bytes
    [InlineData("fbffffffffffffffff")]     // list claiming 2^64-1 bytes
    [InlineData("02fbffffffffffffffff")]   // typed envelope with the same
    [InlineData("c5bbffffffff")]           // string claiming 4 GiB inside a list
    [InlineData("c0")]
    [InlineData("")]
    [InlineData("02")]
    [InlineData("05c0")]
    [InlineData("7fc0")]
    [InlineData("8180")]
    public void Hostile_or_empty_envelopes_are_rejected(string hex) =>
        Assert.Throws<TransactionDecodingException>(() => TxDecoder.Decode(Convert.FromHexString(hex)));

    [Fact]
    public void Errors_name_the_field()
    {
        var legacy = Samples()[0];
        // nonce 1 re-encoded with a leading zero: 0x01 -> 0x820001 changes lengths, so build by hand.
        var fields = new List<byte[]>
        {
            Rlp.Rlp.Encode(new byte[] { 0, 1 }), Rlp.Rlp.Encode(5UL), Rlp.Rlp.Encode(30000UL), Rlp.Rlp.Encode(To35.Bytes),
            Rlp.Rlp.Encode(0UL), Rlp.Rlp.Encode(ReadOnlySpan<byte>.Empty), Rlp.Rlp.Encode(legacy.V), Rlp.Rlp.Encode(legacy.R), Rlp.Rlp.Encode(legacy.S),
        };
        Assert.Equal("nonce", Assert.Throws<TransactionDecodingException>(() => TxDecoder.Decode(Rlp.Rlp.EncodeList(fields.ToArray()))).Field);

        fields[0] = Rlp.Rlp.Encode(1UL);
        fields[3] = Rlp.Rlp.Encode(new byte[19]);
        Assert.Equal("to", Assert.Throws<TransactionDecodingException>(() => TxDecoder.Decode(Rlp.Rlp.EncodeList(fields.ToArray()))).Field);

        fields[3] = Rlp.Rlp.Encode(To35.Bytes);
        Assert.Equal("transaction", Assert.Throws<TransactionDecodingException>(() => TxDecoder.Decode(Rlp.Rlp.EncodeList([.. fields, Rlp.Rlp.Encode(1UL)]))).Field);
        Assert.Equal("s", Assert.Throws<TransactionDecodingException>(() => TxDecoder.Decode(Rlp.Rlp.EncodeList(fields.Take(8).ToArray()))).Field);

        // A 31-byte storage key in an access list.
        var item = Rlp.Rlp.EncodeList(Rlp.Rlp.Encode(To35.Bytes), Rlp.Rlp.EncodeList(Rlp.Rlp.Encode(new byte[31])));
        var body = Rlp.Rlp.EncodeList(Rlp.Rlp.Encode(1UL), Rlp.Rlp.Encode(0UL), Rlp.Rlp.Encode(1UL), Rlp.Rlp.Encode(21000UL), Rlp.Rlp.Encode(To35.Bytes),
            Rlp.Rlp.Encode(0UL), Rlp.Rlp.Encode(ReadOnlySpan<byte>.Empty), Rlp.Rlp.EncodeList(item), Rlp.Rlp.Encode(0UL), Rlp.Rlp.Encode(1UL), Rlp.Rlp.Encode(1UL));
        var e = Assert.Throws<TransactionDecodingException>(() => TxDecoder.Decode([0x01, .. body]));
        Assert.Equal("accessList[0].storageKeys[0]", e.Field);
        Assert.Contains("32 bytes", e.Message);
    }

    [Fact]
    public void Blob_network_wrapper_is_refused_clearly()
    {
        var blobTx = Samples()[3].Encode();
        var wrapped = Rlp.Rlp.EncodeList(blobTx[1..], Rlp.Rlp.EncodeList(), Rlp.Rlp.EncodeList(), Rlp.Rlp.EncodeList());
        var e = Assert.Throws<TransactionDecodingException>(() => TxDecoder.Decode([0x03, .. wrapped]));
        Assert.Contains("sidecar", e.Message);
    }

    [Fact]
    public void Unknown_types_are_flagged()
    {
        var e = Assert.Throws<TransactionDecodingException>(() => TxDecoder.Decode([0x05, 0xc0]));
        Assert.True(e.IsUnsupportedType);
        Assert.False(TxDecoder.TryDecode([0x05, 0xc0], out var tx, out var error));
        Assert.Null(tx);
        Assert.NotNull(error);
    }
}
