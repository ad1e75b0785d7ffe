using OpenLedger.Chain.Execution;
using OpenLedger.Chain.Genesis;
using OpenLedger.Chain.Receipts;
using OpenLedger.Chain.TxPool;
using OpenLedger.Primitives;
using OpenLedger.Primitives.Crypto;
using OpenLedger.Primitives.Transactions;
using OpenLedger.Primitives.Wallet;
using OpenLedger.State.Storage;

namespace OpenLedger.Chain.Tests.Rollup;

/// Deposit execution through the chain's one block-building path (specs/protocol/deposits.md "Execution").
public class DepositExecutionTests
{
    private static readonly byte[] Key = DevAccounts.PrivateKeys(1)[0];
    private static readonly Address Alice = Secp256k1.AddressFromPrivateKey(Key);
    private static readonly Address Depositor = Address.Parse("0x00000000000000000000000000000000000d0001");
    private static readonly Address Bob = Address.Parse("0x000000000000000000000000000000000000b0b0");
    private static readonly Address Coinbase = Address.Parse("0x00000000000000000000000000000000000c0ffe");
    private static readonly UInt256 Ether = new(1_000_000_000_000_000_000);

    private static Blockchain Open() => Blockchain.Open(new MemoryKeyValueStore(), new GenesisSpec
    {
        Config = new ChainConfig { ChainId = ChainConfig.DevnetChainId },
        Alloc = new Dictionary<Address, GenesisAccount> { [Alice] = new(new UInt256(100) * Ether, 0, [], new Dictionary<UInt256, UInt256>()) },
        BaseFeePerGas = new UInt256(1_000_000_000),
    }, Coinbase);

    private static Transaction Deposit(ulong index, Address? to, UInt256 mint, UInt256 value, ulong gas = 100_000, byte[]? data = null) =>
        Transaction.CreateDeposit(DepositSource.UserDeposit(Keccak256.Compute([1]), index), Depositor, to, mint, value, gas, false, data ?? []);

    private static UInt256 Balance(Blockchain chain, Address a) => chain.StateAt(chain.Head).GetAccount(a)?.Balance ?? UInt256.Zero;
    private static ulong Nonce(Blockchain chain, Address a) => chain.StateAt(chain.Head).GetAccount(a)?.Nonce ?? 0;

    [Fact]
    public void Deposit_MintsMovesValue_BumpsNonce_PaysNoFees()
    {
        using var chain = Open();
        var block = chain.BuildBlock(new PayloadAttributes { Timestamp = 10, Transactions = [Deposit(0, Bob, new UInt256(3) * Ether, Ether)] })!;

        var receipt = block.Receipts.Single();
        Assert.True(receipt.Success);
        Assert.Equal(TxType.Deposit, receipt.Type);
        Assert.Equal(0UL, receipt.DepositNonce);
        Assert.Equal(1UL, receipt.DepositReceiptVersion);
        Assert.Equal(21_000UL, receipt.GasUsed);
        Assert.Equal(UInt256.Zero, receipt.EffectiveGasPrice);
        Assert.Equal(21_000UL, block.Block.Header.GasUsed);
        Assert.Equal(new UInt256(2) * Ether, Balance(chain, Depositor));
        Assert.Equal(Ether, Balance(chain, Bob));
        Assert.Equal(1UL, Nonce(chain, Depositor));
        Assert.Equal(UInt256.Zero, Balance(chain, Coinbase));

        // A second deposit from the same sender records the bumped nonce.
        var second = chain.BuildBlock(new PayloadAttributes { Timestamp = 11, Transactions = [Deposit(1, Bob, UInt256.Zero, UInt256.Zero)] })!;
        Assert.Equal(1UL, second.Receipts.Single().DepositNonce);
    }

    [Fact]
    public void FailedDeposit_KeepsTheMint_BumpsTheNonce_UsesAllGas()
    {
        using var chain = Open();
        // value above balance + mint: a non-EVM failure, still included.
        var block = chain.BuildBlock(new PayloadAttributes { Timestamp = 10, Transactions = [Deposit(0, Bob, Ether, new UInt256(2) * Ether, gas: 50_000)] })!;
        var receipt = block.Receipts.Single();
        Assert.False(receipt.Success);
        Assert.Equal(50_000UL, receipt.GasUsed);
        Assert.Equal(0UL, receipt.DepositNonce);
        Assert.Equal(Ether, Balance(chain, Depositor));
        Assert.Equal(UInt256.Zero, Balance(chain, Bob));
        Assert.Equal(1UL, Nonce(chain, Depositor));

        // Intrinsic gas above the limit: same treatment.
        var low = chain.BuildBlock(new PayloadAttributes { Timestamp = 11, Transactions = [Deposit(1, Bob, Ether, UInt256.Zero, gas: 20_000)] })!;
        Assert.False(low.Receipts.Single().Success);
        Assert.Equal(20_000UL, low.Receipts.Single().GasUsed);
        Assert.Equal(new UInt256(2) * Ether, Balance(chain, Depositor));
        Assert.Equal(2UL, Nonce(chain, Depositor));
    }

    [Fact]
    public void RevertingDeposit_KeepsMintAndNonce_RevertsTheCall()
    {
        using var chain = Open();
        // init code: PUSH1 0 PUSH1 0 REVERT (creation reverts)
        var block = chain.BuildBlock(new PayloadAttributes { Timestamp = 10, Transactions = [Deposit(0, null, Ether, new UInt256(5), data: [0x60, 0x00, 0x60, 0x00, 0xfd])] })!;
        var receipt = block.Receipts.Single();
        Assert.False(receipt.Success);
        Assert.Null(receipt.ContractAddress);
        Assert.True(receipt.GasUsed < 100_000UL);
        Assert.Equal(Ether, Balance(chain, Depositor));
        Assert.Equal(1UL, Nonce(chain, Depositor));
    }

    [Fact]
    public void CreationDeposit_AddressComesFromTheDepositNonce()
    {
        using var chain = Open();
        chain.BuildBlock(new PayloadAttributes { Timestamp = 10, Transactions = [Deposit(0, Bob, UInt256.Zero, UInt256.Zero)] });
        // init code returning one byte of code (0x00): PUSH1 1 PUSH1 0 RETURN
        var block = chain.BuildBlock(new PayloadAttributes { Timestamp = 11, Transactions = [Deposit(1, null, UInt256.Zero, UInt256.Zero, data: [0x60, 0x01, 0x60, 0x00, 0xf3])] })!;
        var receipt = block.Receipts.Single();
        Assert.True(receipt.Success);
        Assert.Equal(1UL, receipt.DepositNonce);
        Assert.Equal(OpenLedger.Evm.Execution.ContractAddress.Create(Depositor, 1), receipt.ContractAddress);
    }

    [Fact]
    public void Deposits_ComeFirst_ThenThePool()
    {
        using var chain = Open();
        var transfer = new Transaction
        {
            Type = TxType.DynamicFee, ChainId = ChainConfig.DevnetChainId, Nonce = 0, MaxFeePerGas = new UInt256(10_000_000_000),
            MaxPriorityFeePerGas = new UInt256(1_000_000_000), GasLimit = 21_000, To = Bob, Value = Ether,
        };
        transfer.Sign(Key);
        chain.Pool.Add(transfer);
        var block = chain.BuildBlock(new PayloadAttributes { Timestamp = 10, Transactions = [Deposit(0, Bob, Ether, UInt256.Zero)] })!;
        Assert.Equal([TxType.Deposit, TxType.DynamicFee], block.Block.Transactions.Select(t => t.Type));
        Assert.Equal(42_000UL, block.Receipts[1].CumulativeGasUsed);
        Assert.Null(block.Receipts[1].DepositNonce);
        Assert.False(chain.Pool.Count > 0);

        // NoTxPool leaves the pool alone.
        transfer = new Transaction
        {
            Type = TxType.DynamicFee, ChainId = ChainConfig.DevnetChainId, Nonce = 1, MaxFeePerGas = new UInt256(10_000_000_000),
            MaxPriorityFeePerGas = new UInt256(1_000_000_000), GasLimit = 21_000, To = Bob, Value = Ether,
        };
        transfer.Sign(Key);
        chain.Pool.Add(transfer);
        var depositsOnly = chain.BuildBlock(new PayloadAttributes { Timestamp = 11, Transactions = [Deposit(1, Bob, Ether, UInt256.Zero)], NoTxPool = true })!;
        Assert.Single(depositsOnly.Block.Transactions);
        Assert.Equal(1, chain.Pool.Count);
    }

    [Fact]
    public void InvalidForcedTransaction_RejectsThePayload_AndCommitsNothing()
    {
        using var chain = Open();
        var stale = new Transaction
        {
            Type = TxType.DynamicFee, ChainId = ChainConfig.DevnetChainId, Nonce = 5, MaxFeePerGas = new UInt256(10_000_000_000),
            MaxPriorityFeePerGas = new UInt256(1_000_000_000), GasLimit = 21_000, To = Bob, Value = Ether,
        };
        stale.Sign(Key);
        var head = chain.Head;
        var e = Assert.Throws<InvalidPayloadException>(() => chain.BuildBlock(new PayloadAttributes { Timestamp = 10, Transactions = [Deposit(0, Bob, Ether, UInt256.Zero), stale] }));
        Assert.Contains("NONCE_TOO_HIGH", e.Message);
        Assert.Equal(head.Hash, chain.Head.Hash);
        Assert.Equal(UInt256.Zero, Balance(chain, Bob));
        // The chain still builds afterwards (the half-built state was dropped).
        Assert.NotNull(chain.BuildBlock(new PayloadAttributes { Timestamp = 10, Transactions = [Deposit(0, Bob, Ether, UInt256.Zero)] }));
        Assert.Equal(Ether, Balance(chain, Depositor));

        Assert.Throws<InvalidPayloadException>(() => chain.BuildBlock(new PayloadAttributes { Timestamp = 10 }));
        var tooBig = Deposit(1, Bob, UInt256.Zero, UInt256.Zero, gas: 40_000_000);
        Assert.Throws<InvalidPayloadException>(() => chain.BuildBlock(new PayloadAttributes { Timestamp = 12, Transactions = [tooBig] }));
    }

    [Fact]
    public void DepositReceipt_ConsensusEncodingCarriesDepositNonceAndVersion_AndStorageKeepsThem()
    {
        using var chain = Open();
        var block = chain.BuildBlock(new PayloadAttributes { Timestamp = 10, Transactions = [Deposit(0, Bob, Ether, UInt256.Zero)] })!;
        var r = block.Receipts.Single();
        var encoded = r.EncodeConsensus();
        Assert.Equal(0x7E, encoded[0]);
        var fields = OpenLedger.Primitives.Rlp.Rlp.Decode(encoded.AsSpan(1));
        Assert.Equal(6, fields.Items.Count); // status, cumulative gas, bloom, logs, depositNonce, depositReceiptVersion
        Assert.Equal([], fields.Items[4].Bytes.ToArray()); // nonce 0
        Assert.Equal([1], fields.Items[5].Bytes.ToArray());

        var stored = chain.Store.GetReceipts(block.Block.Hash)!;
        Assert.Equal(0UL, stored[0].DepositNonce);
        Assert.Equal(1UL, stored[0].DepositReceiptVersion);
        Assert.Equal(DerivedRootsOf(stored), block.Block.Header.ReceiptsRoot);
    }

    private static Hash256 DerivedRootsOf(IReadOnlyList<Receipt> receipts) =>
        OpenLedger.Chain.Blocks.DerivedRoots.Compute(receipts.Select(r => r.EncodeConsensus()).ToArray());

    [Fact]
    public void Pool_RefusesDeposits_WithGethsTypeError()
    {
        using var chain = Open();
        var e = Assert.Throws<TxPoolException>(() => chain.Pool.AddRaw(Deposit(0, Bob, Ether, UInt256.Zero).Encode()));
        Assert.StartsWith("transaction type not supported", e.Message);
    }
}
