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
}
