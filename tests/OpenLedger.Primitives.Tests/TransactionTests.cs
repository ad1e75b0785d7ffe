using OpenLedger.Primitives.Forks;
using OpenLedger.Primitives.Crypto;
using OpenLedger.Primitives.Transactions;

namespace OpenLedger.Primitives.Tests;

public class TransactionTests
{
    private const string Key = "0x4646464646464646464646464646464646464646464646464646464646464646";
    private static readonly Address KeyAddress = Address.Parse("0x9d8A62f656a8d1615C1294fd71e9CFb3E4855A4F");
    private static readonly Address To35 = Address.Parse("0x3535353535353535353535353535353535353535");

    [Fact]
    public void Eip155_worked_example()
    {
        var tx = new Transaction
        {
            Type = TxType.Legacy, ChainId = 1, Nonce = 9, GasPrice = new UInt256(20_000_000_000), GasLimit = 21000,
            To = To35, Value = new UInt256(1_000_000_000_000_000_000),
        };
        Assert.Equal(Hash256.Parse("0xdaf5a779ae972f972197303d7b574746c7ef83eadac0f2791ad23db92e4c8e53"), tx.SigningHash());
        using var key = EthKey.FromHex(Key);
        tx.Sign(key);
        Assert.Equal(new UInt256(37), tx.V);
        Assert.Equal("0xf86c098504a817c800825208943535353535353535353535353535353535353535880de0b6b3a76400008025a028ef61340bd939bc2195fe537567866003e1a15d3c71ff63e1590620aa636276a067cbe9d8997f761aecb703304b3800ccf555c9f3dc64214b297fb1966a3b6d83",
            Hex.Encode(tx.Encode()));
        Assert.Equal(KeyAddress, tx.RecoverSender());
        Assert.Equal(KeyAddress, TxValidator.Validate(TxDecoder.Decode(tx.Encode()), ForkSpec.Cancun, 1));
    }

    // Signed by Foundry's `cast mktx` (v1.7.1) with the EIP-155 example key: independent encodings of each type.
    public static TheoryData<string, Transaction> CastVectors() => new()
    {
        {
            "0xf866078506fc23ac0082c3509435353535353535353535353535353535353535358230398025a0430d821b20338fc63aa6330fa978381e8076847fff7cccafe91d7bcd46b259d5a0235e0fc622476056537c95f695e27c01aea8f46bcc71fcafb47863c6d9a4b2cb",
            new Transaction { Type = TxType.Legacy, ChainId = 1, Nonce = 7, GasPrice = new UInt256(30_000_000_000), GasLimit = 50000, To = To35, Value = new UInt256(12345) }
        },
        {
            "0x01f8c201038504a817c80082ea609435353535353535353535353535353535353535350180f85bf859942222222222222222222222222222222222222222f842a00000000000000000000000000000000000000000000000000000000000000001a000000000000000000000000000000000000000000000000000000000000000ff80a0f0cef67f5e465b3c1b9d48b14091e7acaf1e2afa53034ed8097342a6a6a31559a048173e1b6b6927c9484c7316d8a7f0f2a761a84eb47b4682578963b55d99b93c",
            new Transaction
            {
                Type = TxType.AccessList, ChainId = 1, Nonce = 3, GasPrice = new UInt256(20_000_000_000), GasLimit = 60000, To = To35, Value = UInt256.One,
                AccessList = [new AccessListItem(Address.Parse("0x2222222222222222222222222222222222222222"),
                    Hash256.Parse("0x0000000000000000000000000000000000000000000000000000000000000001"),
                    Hash256.Parse("0x00000000000000000000000000000000000000000000000000000000000000ff"))],
            }
        },
        {
            "0x02f8b2010784773594008506fc23ac0082c350943535353535353535353535353535353535353535823039b844a9059cbb00000000000000000000000011111111111111111111111111111111111111110000000000000000000000000000000000000000000000000000000000000005c001a07e191b01d88f69a7f878b89d62ee341e50205b420b18b89646df67afae9dd914a0491e83d7866e5e3914c669a17c132ce139a5c0ed986b78ed1bb4090243f7fda3",
            new Transaction
            {
                Type = TxType.DynamicFee, ChainId = 1, Nonce = 7, MaxPriorityFeePerGas = new UInt256(2_000_000_000), MaxFeePerGas = new UInt256(30_000_000_000),
                GasLimit = 50000, To = To35, Value = new UInt256(12345),
                Data = Hex.Decode("0xa9059cbb00000000000000000000000011111111111111111111111111111111111111110000000000000000000000000000000000000000000000000000000000000005"),
            }
        },
        {
            "0x02f85d0180843b9aca008504a817c800830186a08080856080604052c080a0e3f0552464670e5cce3d0abaa81679acd5f41d8407e0da27c3e62ab606b74e40a01513280081090664e988eb5e0d71e27b49c8ced381e170db22dcd071185eec0e",
            new Transaction
            {
                Type = TxType.DynamicFee, ChainId = 1, Nonce = 0, MaxPriorityFeePerGas = new UInt256(1_000_000_000), MaxFeePerGas = new UInt256(20_000_000_000),
                GasLimit = 100000, To = null, Data = Hex.Decode("0x6080604052"),
            }
        },
        {
            "0x04f8ca0103843b9aca008504a817c800830138809435353535353535353535353535353535353535358080c0f85cf85a019444444444444444444444444444444444444444440401a09f979dc7d5391b75f14d414fc67f8a50848c9b2c31f7ede3bf61a12b3f44f8fba03980001ea42d4566569e47ae7239b6965e3992c8651c0c078721e32f843291c980a049af5982d7c536961b554e478443e861c5b5a64110d6515916db14b16d3a4e34a04d4edcc72503f6cacecfde75b63b1830a288375a8085b5954a5cd1bb10a4d720",
            new Transaction
            {
                Type = TxType.SetCode, ChainId = 1, Nonce = 3, MaxPriorityFeePerGas = new UInt256(1_000_000_000), MaxFeePerGas = new UInt256(20_000_000_000),
                GasLimit = 80000, To = To35,
                AuthorizationList = [new AuthorizationTuple(UInt256.One, Address.Parse("0x4444444444444444444444444444444444444444"), 4, 1,
                    UInt256.FromBigEndian(Hex.Decode("0x9f979dc7d5391b75f14d414fc67f8a50848c9b2c31f7ede3bf61a12b3f44f8fb")),
                    UInt256.FromBigEndian(Hex.Decode("0x3980001ea42d4566569e47ae7239b6965e3992c8651c0c078721e32f843291c9")))],
            }
        },
    };

    [Theory]
    [MemberData(nameof(CastVectors))]
    public void Matches_foundry_signed_transactions(string hex, Transaction unsigned)
    {
        var decoded = TxDecoder.Decode(Hex.Decode(hex));
        Assert.Equal(unsigned.Type, decoded.Type);
        Assert.Equal(hex, Hex.Encode(decoded.Encode()));
        Assert.Equal(KeyAddress, TxValidator.Validate(decoded, ForkSpec.Prague, 1));
        Assert.Equal(Keccak256.Compute(Hex.Decode(hex)), decoded.Hash);

        // Our signing hash per type + RFC 6979 must reproduce the very same bytes.
        unsigned.Sign(Hex.Decode(Key));
        Assert.Equal(hex, Hex.Encode(unsigned.Encode()));
    }

    [Fact]
    public void Eip7702_authorization_from_foundry_recovers_its_authority()
    {
        var tx = TxDecoder.Decode(Hex.Decode(CastVectors().Select(row => (string)row[0]).Single(h => h.StartsWith("0x04"))));
        var auth = Assert.Single(tx.AuthorizationList);
        Assert.True(auth.TryRecoverAuthority(out var authority));
        Assert.Equal(KeyAddress, authority);
        using var key = EthKey.FromHex(Key);
        Assert.Equal(auth, AuthorizationTuple.Sign(UInt256.One, auth.Address, 4, key));
        Assert.False((auth with { S = Secp256k1.N - auth.S, YParity = 0 }).TryRecoverAuthority(out _)); // high s
        Assert.False((auth with { YParity = 2 }).TryRecoverAuthority(out _));
    }

    [Fact]
    public void Blob_transaction_round_trips_and_obeys_eip4844()
    {
        using var key = EthKey.Generate();
        var hash1 = new byte[32];
        hash1[0] = 0x01;
        hash1[31] = 7;
        var tx = new Transaction
        {
            Type = TxType.Blob, ChainId = 1, Nonce = 1, MaxPriorityFeePerGas = UInt256.One, MaxFeePerGas = new UInt256(100), GasLimit = 21000,
            To = To35, MaxFeePerBlobGas = new UInt256(5), BlobVersionedHashes = [new Hash256(hash1)],
        };
        tx.Sign(key);
        var decoded = TxDecoder.Decode(tx.Encode());
        Assert.Equal(tx.Encode(), decoded.Encode());
        Assert.Equal(new UInt256(5), decoded.MaxFeePerBlobGas);
        Assert.Equal(key.Address, TxValidator.Validate(decoded, ForkSpec.Cancun, 1));
        Assert.Equal(TxInvalidReason.TypeNotSupported, Reason(decoded, ForkSpec.Shanghai));

        Assert.Equal(TxInvalidReason.BlobTxCreate, Reason(Resigned(tx, t => t.To = null, key), ForkSpec.Cancun));
        Assert.Equal(TxInvalidReason.EmptyBlobHashes, Reason(Resigned(tx, t => t.BlobVersionedHashes = [], key), ForkSpec.Cancun));
        var wrongVersion = (byte[])hash1.Clone();
        wrongVersion[0] = 0x02;
        Assert.Equal(TxInvalidReason.InvalidBlobVersionedHash, Reason(Resigned(tx, t => t.BlobVersionedHashes = [new Hash256(wrongVersion)], key), ForkSpec.Cancun));
        Assert.Equal(TxInvalidReason.TooManyBlobs, Reason(Resigned(tx, t => t.BlobVersionedHashes = Enumerable.Repeat(new Hash256(hash1), 7).ToArray(), key), ForkSpec.Cancun));
        Assert.Null(Reason(Resigned(tx, t => t.BlobVersionedHashes = Enumerable.Repeat(new Hash256(hash1), 7).ToArray(), key), ForkSpec.Prague));
    }

    [Fact]
    public void Set_code_transaction_rules()
    {
        using var key = EthKey.Generate();
        var auth = AuthorizationTuple.Sign(UInt256.Zero, To35, 0, key);
        var tx = new Transaction
        {
            Type = TxType.SetCode, ChainId = 1, MaxFeePerGas = new UInt256(10), GasLimit = 100_000, To = To35, AuthorizationList = [auth],
        };
        tx.Sign(key);
        Assert.Equal(key.Address, TxValidator.Validate(TxDecoder.Decode(tx.Encode()), ForkSpec.Prague, 1));
        Assert.Equal(21000UL + 25000, IntrinsicGas.Compute(tx, ForkSpec.Prague));
        Assert.Equal(TxInvalidReason.TypeNotSupported, Reason(tx, ForkSpec.Cancun));
        Assert.Equal(TxInvalidReason.EmptyAuthorizationList, Reason(Resigned(tx, t => t.AuthorizationList = [], key), ForkSpec.Prague));
        Assert.Equal(TxInvalidReason.SetCodeTxCreate, Reason(Resigned(tx, t => t.To = null, key), ForkSpec.Prague));
        Assert.Equal(TxInvalidReason.IntrinsicGasTooLow, Reason(Resigned(tx, t => t.GasLimit = 45_999, key), ForkSpec.Prague));
    }

    [Fact]
    public void Intrinsic_gas_follows_the_fork()
    {
        var call = new Transaction { To = To35, Data = [0, 0, 1, 2] };
        Assert.Equal(21000UL + 2 * 4 + 2 * 68, IntrinsicGas.Compute(call, ForkSpec.Frontier));
        Assert.Equal(21000UL + 2 * 4 + 2 * 16, IntrinsicGas.Compute(call, ForkSpec.Istanbul));

        var create = new Transaction { To = null, Data = new byte[33] };
        Assert.Equal(21000UL + 33 * 4, IntrinsicGas.Compute(create, ForkSpec.Frontier));
        Assert.Equal(53000UL + 33 * 4, IntrinsicGas.Compute(create, ForkSpec.Homestead));
        Assert.Equal(53000UL + 33 * 4 + 2 * 2, IntrinsicGas.Compute(create, ForkSpec.Shanghai)); // two initcode words

        var withList = new Transaction
        {
            Type = TxType.AccessList, To = To35,
            AccessList = [new AccessListItem(To35, Hash256.Zero, Hash256.Zero), new AccessListItem(KeyAddress)],
        };
        Assert.Equal(21000UL + 2 * 2400 + 2 * 1900, IntrinsicGas.Compute(withList, ForkSpec.Berlin));

        // EIP-7623: 100 non-zero bytes = 400 tokens: floor 25000 exceeds the standard 21000 + 1600.
        var heavy = new Transaction { To = To35, Data = Enumerable.Repeat((byte)1, 100).ToArray() };
        Assert.Equal(25000UL, IntrinsicGas.Floor(heavy, ForkSpec.Prague));
        Assert.Equal(0UL, IntrinsicGas.Floor(heavy, ForkSpec.Cancun));
    }

    [Fact]
    public void Initcode_size_limit_applies_from_shanghai()
    {
        using var key = EthKey.Generate();
        Transaction Create(int size)
        {
            var tx = new Transaction { Type = TxType.DynamicFee, ChainId = 1, MaxFeePerGas = UInt256.One, GasLimit = 10_000_000, Data = new byte[size] };
            tx.Sign(key);
            return tx;
        }
        Assert.Null(Reason(Create(ForkSpec.Shanghai.MaxInitCodeSize), ForkSpec.Shanghai));
        Assert.Equal(TxInvalidReason.InitcodeSizeExceeded, Reason(Create(ForkSpec.Shanghai.MaxInitCodeSize + 1), ForkSpec.Shanghai));
        Assert.Null(Reason(Create(ForkSpec.Shanghai.MaxInitCodeSize + 1), ForkSpec.London));
    }

    [Fact]
    public void Eip2_high_s_is_rejected_from_homestead_but_recovers_in_frontier()
    {
        using var key = EthKey.Generate();
        var tx = new Transaction { Nonce = 1, GasPrice = UInt256.One, GasLimit = 21000, To = To35 };
        tx.Sign(key); // no chain id: v 27/28
        Assert.True(tx.V == new UInt256(27) || tx.V == new UInt256(28));
        tx.S = Secp256k1.N - tx.S;
        tx.V = tx.V == new UInt256(27) ? new UInt256(28) : new UInt256(27);
        Assert.False(tx.TryRecoverSender(out _));
        Assert.True(tx.TryRecoverSender(out var sender, allowHighS: true));
        Assert.Equal(key.Address, sender);
        Assert.Equal(key.Address, TxValidator.Validate(tx, ForkSpec.Frontier, 1));
        Assert.Equal(TxInvalidReason.InvalidSignature, Reason(tx, ForkSpec.Homestead));
        Assert.Throws<InvalidTransactionException>(() => tx.RecoverSender());
    }

    [Fact]
    public void Chain_id_is_enforced()
    {
        using var key = EthKey.Generate();
        var legacy = new Transaction { ChainId = 5, GasPrice = UInt256.One, GasLimit = 21000, To = To35 };
        legacy.Sign(key);
        Assert.True(legacy.V == new UInt256(5 * 2 + 35) || legacy.V == new UInt256(5 * 2 + 36));
        Assert.Equal(5UL, TxDecoder.Decode(legacy.Encode()).ChainId);
        Assert.Equal(TxInvalidReason.InvalidChainId, Reason(legacy, ForkSpec.Cancun));
        Assert.Equal(key.Address, TxValidator.Validate(legacy, ForkSpec.Cancun, 5));
        Assert.Equal(TxInvalidReason.InvalidSignature, Reason(legacy, ForkSpec.Homestead, 5)); // EIP-155 V before Spurious Dragon

        var typed = new Transaction { Type = TxType.DynamicFee, ChainId = 5, MaxFeePerGas = UInt256.One, GasLimit = 21000, To = To35 };
        typed.Sign(key);
        Assert.Equal(TxInvalidReason.InvalidChainId, Reason(typed, ForkSpec.Cancun));
        Assert.Equal(key.Address, TxValidator.Validate(typed, ForkSpec.Cancun, 5));
    }

    [Fact]
    public void Fee_rules()
    {
        using var key = EthKey.Generate();
        var tx = new Transaction { Type = TxType.DynamicFee, ChainId = 1, MaxPriorityFeePerGas = new UInt256(3), MaxFeePerGas = new UInt256(2), GasLimit = 21000, To = To35 };
        tx.Sign(key);
        Assert.Equal(TxInvalidReason.PriorityFeeGreaterThanMaxFee, Reason(tx, ForkSpec.London));
        Assert.Equal(TxInvalidReason.GasLimitPriceProductOverflow,
            Reason(Resigned(tx, t => { t.MaxFeePerGas = UInt256.MaxValue; t.MaxPriorityFeePerGas = UInt256.Zero; }, key), ForkSpec.London));
        Assert.Equal(TxInvalidReason.NonceTooBig, Reason(Resigned(tx, t => { t.Nonce = ulong.MaxValue; t.MaxPriorityFeePerGas = UInt256.Zero; }, key), ForkSpec.London));
    }

    private static Transaction Resigned(Transaction template, Action<Transaction> change, EthKey key)
    {
        var tx = TxDecoder.Decode(template.Encode());
        change(tx);
        tx.Sign(key);
        return tx;
    }

    private static TxInvalidReason? Reason(Transaction tx, ForkSpec rules, ulong chainId = 1) =>
        TxValidator.IsValid(tx, rules, chainId, out _, out var error) ? null : error!.Reason;
}
