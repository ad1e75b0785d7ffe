using OpenLedger.Chain;
using OpenLedger.Chain.Genesis;
using OpenLedger.Primitives.Crypto;
using OpenLedger.Primitives.Transactions;
using OpenLedger.Rollup.Config;
using OpenLedger.Rollup.Derivation;
using OpenLedger.Rollup.Encoding;
using OpenLedger.Rollup.Engine;
using OpenLedger.Rollup.Tests.Support;
using OpenLedger.State.Storage;
using OpenLedger.Tests.Shared;

namespace OpenLedger.Rollup.Tests;

/// <summary>Derived blocks executed by the chain's one execution path (Blockchain.BuildBlock) on a fresh replica chain.</summary>
public class ChainReplicaTests
{
    private static readonly byte[] Key = Hex.Decode("0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d");
    private static readonly Address Recipient = Address.Parse("0x70997970c51812dc3a010c7d01b50e0d17dc79c8");

    private static Blockchain OpenChain() => Blockchain.Open(new MemoryKeyValueStore(), new GenesisSpec
    {
        Config = new ChainConfig { ChainId = ChainConfig.DevnetChainId },
        Alloc = new Dictionary<Address, GenesisAccount>
        {
            [Secp256k1.AddressFromPrivateKey(Key)] = new(new UInt256(1_000_000_000_000_000_000UL), 0, [], new Dictionary<UInt256, UInt256>()),
        },
        Timestamp = TestConfig.GenesisTime,
    }, Address.Zero);

    /// <summary>Mixed transaction types a chain accepts: transfers with and without calldata, a contract creation.</summary>
    private static byte[] Tx(ulong nonce)
    {
        var tx = new Transaction
        {
            Type = (nonce % 3) switch { 0 => TxType.DynamicFee, 1 => TxType.Legacy, _ => TxType.AccessList },
            ChainId = ChainConfig.DevnetChainId, Nonce = nonce, GasLimit = 100_000,
            GasPrice = new UInt256(5_000_000_000), MaxFeePerGas = new UInt256(5_000_000_000), MaxPriorityFeePerGas = new UInt256(1_000),
            To = nonce % 7 == 6 ? null : Recipient, Value = new UInt256(nonce + 1),
            Data = nonce % 7 == 6 ? [0x60, 0x01, 0x60, 0x00, 0x55, 0x00] : nonce % 2 == 0 ? [] : [0xa9, 0x05, 0x9c, 0xbb],
        };
        tx.Sign(Key);
        return tx.Encode();
    }

    [Fact]
    public async Task Replica_executing_derived_blocks_through_the_chain_matches_the_sequencers_block_hashes()
    {
        using var sequencerChain = OpenChain();
        using var replicaChain = OpenChain();
        var l1 = new MemoryL1(TestConfig.GenesisTime);
        var config = TestConfig.Create() with { GenesisL1 = l1.Blocks[0].Ref.Id, GenesisL2 = new BlockId(sequencerChain.Genesis.Hash, 0) };
        var seq = new TestSequencer(config, l1, new ChainEngine(sequencerChain, config), Tx);
        ulong posted = 0;
        var pending = new Queue<L1Transaction[]>();
        for (int i = 0; i < 100; i++) // 200 L2 blocks
        {
            l1.Add(pending.Count > 0 ? pending.Dequeue() : []);
            seq.Build(2, txsPerBlock: 2);
            ulong head = seq.Engine.SafeHead.Number;
            if (head - posted >= 10)
            {
                var frames = seq.Channel(posted + 1, head, span: i % 2 == 0, i % 3 == 0 ? CompressionAlgorithm.Zlib : CompressionAlgorithm.Brotli, (int)head).ToFrames(2000);
                pending.Enqueue([TestSequencer.BatcherTx(frames)]);
                posted = head;
            }
        }
        while (pending.Count > 0) l1.Add(pending.Dequeue());
        Assert.Equal(200UL, sequencerChain.Head.Number);
        Assert.True(sequencerChain.TotalTransactions >= 600); // 2 user txs + the L1 attributes deposit per block

        var log = new List<string>();
        var replica = new Deriver(config, l1, new ChainEngine(replicaChain, config), TestConfig.Logger(log));
        await replica.StepAsync(config.GenesisSystemConfig);
        Assert.True(replicaChain.Head.Number == 200, $"replica at {replicaChain.Head.Number}\n" + string.Join("\n", log));
        for (ulong n = 0; n <= 200; n++)
            Assert.Equal(sequencerChain.Store.GetCanonicalHash(n), replicaChain.Store.GetCanonicalHash(n));
        Assert.Equal(sequencerChain.Head.StateRoot, replicaChain.Head.StateRoot);
        Assert.Equal(replicaChain.Head.Hash, replicaChain.Safe.Hash);
        Assert.DoesNotContain(log, l => l.StartsWith("Warning"));
    }

    private static readonly byte[] OtherKey = Hex.Decode("0x5de4111afa1a4b94908f83103eb1f1706367c2e68ca870fc3fb9a804cdab365a");
    private static readonly UInt256 FourThousandOpenPerEth = UInt256.Parse("4000000000000000000000");

    /// <summary>A rollup genesis (L1Block, GasPriceOracle, fee vaults: L1 data fees are charged) with two funded keys.</summary>
    private static Blockchain OpenRollupChain() => Blockchain.Open(new MemoryKeyValueStore(), Chain.Rollup.PredeployGenesis.WithPredeploys(new GenesisSpec
    {
        Config = new ChainConfig { ChainId = ChainConfig.DevnetChainId },
        Alloc = new Dictionary<Address, GenesisAccount>
        {
            [Secp256k1.AddressFromPrivateKey(Key)] = new(new UInt256(1_000_000_000_000_000_000UL), 0, [], new Dictionary<UInt256, UInt256>()),
            [Secp256k1.AddressFromPrivateKey(OtherKey)] = new(new UInt256(1_000_000_000_000_000_000UL), 0, [], new Dictionary<UInt256, UInt256>()),
        },
        Timestamp = TestConfig.GenesisTime,
    }, ForgeBuild.Artifacts("contracts/src/l2/predeploys"), Recipient), Chain.Rollup.Predeploys.SequencerFeeVault);

    private static RollupConfig FeeConfig(MemoryL1 l1, Blockchain chain) => TestConfig.Create() with
    {
        GenesisL1 = l1.Blocks[0].Ref.Id,
        GenesisL2 = new BlockId(chain.Genesis.Hash, 0),
        GenesisSystemConfig = TestConfig.Create().GenesisSystemConfig with { GasTokenPerEth = FourThousandOpenPerEth },
    };

    private static UInt256 Balance(Blockchain chain, Address a) => chain.StateAt(chain.Head).GetAccount(a)?.Balance ?? UInt256.Zero;

    [Fact]
    public async Task Replica_charges_the_L1_data_fee_exactly_as_the_sequencer()
    {
        using var sequencerChain = OpenRollupChain();
        using var replicaChain = OpenRollupChain();
        var l1 = new MemoryL1(TestConfig.GenesisTime);
        var config = FeeConfig(l1, sequencerChain);
        var seq = new TestSequencer(config, l1, new ChainEngine(sequencerChain, config), Tx);
        ulong posted = 0;
        for (int i = 0; i < 20; i++) // 40 L2 blocks
        {
            l1.Add([]);
            seq.Build(2, txsPerBlock: 2);
            ulong head = seq.Engine.SafeHead.Number;
            if (head - posted >= 10)
            {
                l1.Add([TestSequencer.BatcherTx(seq.Channel(posted + 1, head, span: i % 2 == 0, CompressionAlgorithm.Brotli, (int)head).ToFrames(2000))]);
                posted = head;
            }
        }
        var vault = Balance(sequencerChain, Chain.Rollup.Predeploys.L1FeeVault);
        Assert.True(vault > UInt256.Zero, "the sequencer's blocks charged no L1 data fee");
        // Each user transaction paid the rule on its signed bytes with its block's L1 attributes; deposits paid nothing.
        var expected = UInt256.Zero;
        for (ulong n = 1; n <= sequencerChain.Head.Number; n++)
        {
            var block = sequencerChain.Store.GetBlock(sequencerChain.Store.GetCanonicalHash(n)!.Value)!;
            var p = Chain.Rollup.Fees.L1FeeParams.From(Chain.Rollup.L1BlockInfo.FromBlock(block)!);
            Assert.Equal(FourThousandOpenPerEth, p.GasTokenPerEth);
            foreach (var tx in block.Transactions.Where(t => !t.IsDeposit)) expected += Chain.Rollup.Fees.L1DataFee.Compute(tx.Encode(), p).Fee;
        }
        Assert.Equal(expected, vault);

        var replica = new Deriver(config, l1, new ChainEngine(replicaChain, config), TestConfig.Logger([]));
        await replica.StepAsync(config.GenesisSystemConfig);
        Assert.Equal(sequencerChain.Head.Number, replicaChain.Head.Number);
        Assert.Equal(sequencerChain.Head.Hash, replicaChain.Head.Hash);
        Assert.Equal(sequencerChain.Head.StateRoot, replicaChain.Head.StateRoot);
        Assert.Equal(vault, Balance(replicaChain, Chain.Rollup.Predeploys.L1FeeVault));
    }

    /// <summary>A transfer from the other key, which the batches on L1 never hold.</summary>
    private static byte[] OtherTx(ulong nonce)
    {
        var tx = new Transaction
        {
            Type = TxType.DynamicFee, ChainId = ChainConfig.DevnetChainId, Nonce = nonce, GasLimit = 21_000,
            MaxFeePerGas = new UInt256(5_000_000_000), MaxPriorityFeePerGas = new UInt256(1_000_000_000), To = Recipient, Value = new UInt256(7),
        };
        tx.Sign(OtherKey);
        return tx.Encode();
    }

    [Fact]
    public async Task Transactions_of_unsafe_blocks_that_derivation_replaces_go_back_to_the_pool()
    {
        using var chainA = OpenRollupChain(); // a sequencer whose unsafe blocks L1 does not confirm
        using var chainB = OpenRollupChain(); // the chain whose batches reach L1
        var l1 = new MemoryL1(TestConfig.GenesisTime);
        var config = FeeConfig(l1, chainA);
        var engineA = new ChainEngine(chainA, config);
        new TestSequencer(config, l1, engineA, OtherTx).Build(3, txsPerBlock: 1);
        var unsafeTxs = Enumerable.Range(1, 3).Select(n => chainA.Store.GetBlock(chainA.Store.GetCanonicalHash((ulong)n)!.Value)!.Transactions[1].Hash).ToList();
        await engineA.RewindAsync(engineA.BlockByNumber(0)!); // blocks 1..3 are unsafe again
        Assert.Equal(3UL, chainA.Head.Number);
        Assert.Equal(0, chainA.Pool.Count);

        var seqB = new TestSequencer(config, l1, new ChainEngine(chainB, config), Tx);
        seqB.Build(3, txsPerBlock: 2);
        l1.Add([TestSequencer.BatcherTx(seqB.Channel(1, 3, span: false, CompressionAlgorithm.Zlib, 7).ToFrames(2000))]);

        var log = new List<string>();
        await new Deriver(config, l1, engineA, TestConfig.Logger(log)).StepAsync(config.GenesisSystemConfig);
        Assert.Equal(chainB.Head.Hash, chainA.Head.Hash);
        Assert.True(engineA.Reorgs >= 1);
        // The other key's three transfers were never on L1: all three are pending again, in nonce order.
        Assert.True(chainA.Pool.Count == 3, string.Join("\n", log));
        Assert.Equal(3, chainA.Pool.Count);
        foreach (var hash in unsafeTxs) Assert.NotNull(chainA.Pool.Get(hash));
        // and the chain includes them again in its next block.
        var next = chainA.ProduceBlock(chainA.Head.Timestamp + 1)!;
        Assert.Equal(unsafeTxs, next.Block.TransactionHashes.ToList());
    }
}
