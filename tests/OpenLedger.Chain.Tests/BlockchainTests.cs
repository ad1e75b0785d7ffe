using OpenLedger.Chain.Genesis;
using OpenLedger.Primitives;
using OpenLedger.Primitives.Crypto;
using OpenLedger.Primitives.Transactions;
using OpenLedger.Primitives.Wallet;
using OpenLedger.State.Storage;

namespace OpenLedger.Chain.Tests;

public class BlockchainTests
{
    private static readonly IReadOnlyList<byte[]> Keys = DevAccounts.PrivateKeys(2);
    private static readonly Address Alice = Secp256k1.AddressFromPrivateKey(Keys[0]);
    private static readonly Address Bob = Secp256k1.AddressFromPrivateKey(Keys[1]);
    private static readonly Address Coinbase = Address.Parse("0x00000000000000000000000000000000000c0ffe");
    private static readonly UInt256 Ether = new(1_000_000_000_000_000_000);

    private static GenesisSpec Genesis() => new()
    {
        Config = new ChainConfig { ChainId = ChainConfig.DevnetChainId },
        Alloc = new Dictionary<Address, GenesisAccount> { [Alice] = new(new UInt256(100) * Ether, 0, [], new Dictionary<UInt256, UInt256>()) },
        BaseFeePerGas = new UInt256(1_000_000_000),
    };

    private static Transaction Transfer(ulong nonce, UInt256 value, Address? to = null, byte[]? data = null, ulong gas = 21_000)
    {
        var tx = new Transaction
        {
            Type = TxType.DynamicFee,
            ChainId = ChainConfig.DevnetChainId,
            Nonce = nonce,
            MaxFeePerGas = new UInt256(10_000_000_000),
            MaxPriorityFeePerGas = new UInt256(1_000_000_000),
            GasLimit = gas,
            To = to,
            Value = value,
            Data = data ?? [],
        };
        tx.Sign(Keys[0]);
        return tx;
    }

    [Fact]
    public void ProducesBlocks_MovesValue_PaysTheCoinbase_AndChargesExactGas()
    {
        using var chain = Blockchain.Open(new MemoryKeyValueStore(), Genesis(), Coinbase);
        chain.Pool.Add(Transfer(0, Ether, Bob));
        chain.Pool.Add(Transfer(1, Ether, Bob));
        var baseFee = chain.NextBaseFee;
        var block = chain.ProduceBlock(timestamp: 1000)!;

        Assert.Equal(1UL, block.Block.Number);
        Assert.Equal(2, block.Block.Transactions.Count);
        Assert.Equal(42_000UL, block.Block.Header.GasUsed);
        Assert.All(block.Receipts, r => Assert.True(r.Success));
        Assert.Equal(0, chain.Pool.Count);

        var state = chain.StateAt(chain.Head);
        Assert.Equal(new UInt256(2) * Ether, state.GetAccount(Bob)!.Value.Balance);
        var price = baseFee + new UInt256(1_000_000_000);
        Assert.Equal(new UInt256(98) * Ether - new UInt256(42_000) * price, state.GetAccount(Alice)!.Value.Balance);
        Assert.Equal(new UInt256(42_000) * new UInt256(1_000_000_000), state.GetAccount(Coinbase)!.Value.Balance);
        Assert.Equal(2UL, state.GetAccount(Alice)!.Value.Nonce);

        var stored = chain.Store.GetBlock(chain.Head.Hash)!;
        Assert.Equal(block.Block.TransactionHashes, stored.TransactionHashes);
        var loc = chain.Store.GetTxLocation(block.Block.TransactionHashes[1])!.Value;
        Assert.Equal((1UL, 1), (loc.BlockNumber, loc.Index));
    }

    [Fact]
    public void DeploysContract_AndEmitsLog()
    {
        using var chain = Blockchain.Open(new MemoryKeyValueStore(), Genesis(), Coinbase);
        // init: LOG0 of 32 bytes, then return runtime code 0x00 (STOP) of length 1.
        byte[] init = [0x60, 0x07, 0x60, 0x00, 0x52, 0x60, 0x20, 0x60, 0x00, 0xa0, 0x60, 0x01, 0x60, 0x00, 0xf3];
        chain.Pool.Add(Transfer(0, UInt256.Zero, null, init, 100_000));
        var block = chain.ProduceBlock(timestamp: 1000)!;
        var receipt = Assert.Single(block.Receipts);
        Assert.True(receipt.Success);
        Assert.NotNull(receipt.ContractAddress);
        Assert.Single(receipt.Logs);
        Assert.True(receipt.Bloom.MayContain(receipt.ContractAddress!.Value.Bytes));
        Assert.Equal(chain.Head.ReceiptsRoot, Blocks.DerivedRoots.Compute([receipt.EncodeConsensus()]));
        Assert.Equal([0x00], chain.StateAt(chain.Head).GetCode(chain.StateAt(chain.Head).GetAccount(receipt.ContractAddress.Value)!.Value.CodeHash));
    }

    [Fact]
    public void Restart_ResumesAtHead_AndRefusesAnotherGenesis()
    {
        var dir = Path.Combine(Path.GetTempPath(), "ol-chain-" + Guid.NewGuid().ToString("N"));
        try
        {
            Hash256 head;
            using (var chain = Blockchain.Open(new RocksDbKeyValueStore(dir), Genesis(), Coinbase))
            {
                chain.Pool.Add(Transfer(0, Ether, Bob));
                chain.ProduceBlock(1000);
                chain.ProduceBlock(1001);
                head = chain.Head.Hash;
            }
            using (var reopened = Blockchain.Open(new RocksDbKeyValueStore(dir), Genesis(), Coinbase))
            {
                Assert.Equal(head, reopened.Head.Hash);
                Assert.Equal(2UL, reopened.Head.Number);
                Assert.Equal(Ether, reopened.StateAt(reopened.Head).GetAccount(Bob)!.Value.Balance);
                reopened.Pool.Add(Transfer(1, Ether, Bob));
                Assert.Single(reopened.ProduceBlock(1002)!.Block.Transactions);
            }
            var other = Genesis() with { Timestamp = 5 };
            var e = Assert.Throws<InvalidOperationException>(() => Blockchain.Open(new RocksDbKeyValueStore(dir), other, Coinbase));
            Assert.Contains("genesis", e.Message);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
