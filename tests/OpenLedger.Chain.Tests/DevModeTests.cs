using OpenLedger.Chain.Dev;
using OpenLedger.Chain.Genesis;
using OpenLedger.Primitives;
using OpenLedger.Primitives.Crypto;
using OpenLedger.Primitives.Transactions;
using OpenLedger.Primitives.Wallet;
using OpenLedger.State.Storage;

namespace OpenLedger.Chain.Tests;

/// <summary>Dev mode on a persisted chain: state edits are blocks, a rewind is one atomic write, and both survive a restart.</summary>
public sealed class DevModeTests
{
    private static readonly byte[] Key = DevAccounts.PrivateKeys(1)[0];
    private static readonly Address Alice = Secp256k1.AddressFromPrivateKey(Key);
    private static readonly Address Carol = Address.Parse("0x00000000000000000000000000000000000ca401");

    private static GenesisSpec Genesis() => new()
    {
        Config = new ChainConfig { ChainId = ChainConfig.DevnetChainId },
        Alloc = new Dictionary<Address, GenesisAccount> { [Alice] = new(new UInt256(1_000_000_000_000_000_000), 0, [], new Dictionary<UInt256, UInt256>()) },
        BaseFeePerGas = new UInt256(1_000_000_000),
    };

    private static Transaction Transfer(ulong nonce)
    {
        var tx = new Transaction
        {
            Type = TxType.DynamicFee, ChainId = ChainConfig.DevnetChainId, Nonce = nonce, GasLimit = 21_000,
            MaxFeePerGas = new UInt256(10_000_000_000), MaxPriorityFeePerGas = UInt256.One, To = Carol, Value = new UInt256(5),
        };
        tx.Sign(Key);
        return tx;
    }

    [Fact]
    public void EditsClockAndRewind_OnRocksDb_SurviveARestart()
    {
        var dir = Path.Combine(Path.GetTempPath(), "ol-dev-" + Guid.NewGuid().ToString("N"));
        try
        {
            Hash256 kept;
            Hash256 txHash;
            using (var chain = Blockchain.Open(new RocksDbKeyValueStore(dir), Genesis(), Address.Zero))
            {
                var dev = chain.EnableDevMode();
                dev.AddEdit(new SetBalanceEdit(Carol, new UInt256(1000)));
                dev.AddEdit(new SetCodeEdit(Carol, [0x60, 0x00]));
                dev.AddEdit(new SetStorageEdit(Carol, UInt256.One, new UInt256(42)));
                var edited = chain.ProduceBlock(1_000, allowEmpty: false)!; // edits alone are worth a block
                Assert.Empty(edited.Block.Transactions);
                var state = chain.StateAt(chain.Head);
                Assert.Equal(new UInt256(1000), state.GetAccount(Carol)!.Value.Balance);
                Assert.Equal(new UInt256(42), state.GetStorage(Carol, UInt256.One));
                Assert.Equal(new byte[] { 0x60, 0x00 }, state.GetCode(state.GetAccount(Carol)!.Value.CodeHash));

                // The clock: an offset moves later blocks, an exact timestamp is taken as is and time continues from it.
                dev.IncreaseTime(86_400);
                Assert.Equal(1_000UL + 86_400, chain.ProduceBlock(1_000)!.Block.Header.Timestamp);
                dev.SetNextTimestamp(5_000_000);
                Assert.Equal(5_000_000UL, chain.ProduceBlock(1_001)!.Block.Header.Timestamp);
                Assert.Equal(5_000_010UL, chain.ProduceBlock(1_011)!.Block.Header.Timestamp);
                kept = chain.Head.Hash;
                var keptNumber = chain.Head.Number;

                var tx = Transfer(0);
                txHash = chain.Pool.Add(tx).Hash;
                chain.ProduceBlock(1_012);
                chain.ProduceBlock(1_013);
                Assert.NotNull(chain.Store.GetTxLocation(txHash));

                chain.Rewind(chain.Store.GetHeader(kept)!);
                Assert.Equal(kept, chain.Head.Hash);
                Assert.Null(chain.Store.GetCanonicalHash(keptNumber + 1));
                Assert.Null(chain.Store.GetTxLocation(txHash));
                Assert.Equal(new UInt256(1000), chain.StateAt(chain.Head).GetAccount(Carol)!.Value.Balance);
                Assert.Equal(0UL, chain.Pool.PendingNonce(Alice));
                // Production resumes on the rewound head; a block already past it cannot be the target.
                Assert.Equal(keptNumber + 1, chain.ProduceBlock(1_014)!.Block.Number);
                kept = chain.Head.Hash;
            }
            using (var reopened = Blockchain.Open(new RocksDbKeyValueStore(dir), Genesis(), Address.Zero))
            {
                Assert.Equal(kept, reopened.Head.Hash);
                Assert.Null(reopened.Store.GetTxLocation(txHash));
                Assert.Equal(new UInt256(1000), reopened.StateAt(reopened.Head).GetAccount(Carol)!.Value.Balance);
                Assert.Null(reopened.Dev); // dev mode is per process, never stored
            }
        }
        finally
        {
            try { Directory.Delete(dir, recursive: true); } catch (IOException) { }
        }
    }

    [Fact]
    public void Rewind_RefusesABlockOffTheCanonicalChain()
    {
        using var chain = Blockchain.Open(new MemoryKeyValueStore(), Genesis(), Address.Zero);
        chain.ProduceBlock(1);
        var stray = chain.Head with { ExtraData = [1] };
        Assert.Throws<InvalidOperationException>(() => chain.Rewind(stray));
    }

    [Fact]
    public void DevnetBaseFee_FallsToTheFloorInAbout52EmptyBlocks_AndRisesAnEighthPerFullBlock()
    {
        var config = new ChainConfig { ChainId = ChainConfig.DevnetChainId };
        var fee = new UInt256(1_000_000_000);
        int blocks = 0;
        while (fee > config.MinBaseFee)
        {
            fee = Fees.BaseFee.Next(fee, 0, 30_000_000, config.BaseFeeElasticity, config.BaseFeeChangeDenominator, config.MinBaseFee);
            blocks++;
        }
        Assert.Equal(52, blocks); // what docs/ARCHITECTURE.md says
        Assert.Equal(config.MinBaseFee, Fees.BaseFee.Next(fee, 0, 30_000_000, 2, 8, config.MinBaseFee));
        Assert.Equal(new UInt256(1_125_000_000), Fees.BaseFee.Next(new UInt256(1_000_000_000), 30_000_000, 30_000_000, 2, 8, config.MinBaseFee));
    }
}
