using OpenLedger.Chain.Genesis;
using OpenLedger.Chain.TxPool;
using OpenLedger.Primitives;
using OpenLedger.Primitives.Crypto;
using OpenLedger.Primitives.Transactions;
using OpenLedger.Primitives.Wallet;
using OpenLedger.State.Storage;

namespace OpenLedger.Chain.Tests;

/// <summary>
/// The pool validates nonces and balances against the head state before taking its lock. These tests add from
/// many threads while blocks are sealed, so a read taken before a block lands must be redone, never trusted.
/// </summary>
public class PoolConcurrencyTests
{
    private const int Senders = 8, PerSender = 60;
    private static readonly IReadOnlyList<byte[]> Keys = DevAccounts.PrivateKeys(Senders);
    private static readonly Address Coinbase = Address.Parse("0x00000000000000000000000000000000000c0ffe");
    private static readonly UInt256 Ether = new(1_000_000_000_000_000_000);

    private static Transaction Transfer(int sender, ulong nonce)
    {
        var tx = new Transaction
        {
            Type = TxType.DynamicFee,
            ChainId = ChainConfig.DevnetChainId,
            Nonce = nonce,
            MaxFeePerGas = new UInt256(100_000_000_000),
            MaxPriorityFeePerGas = new UInt256(1_000_000_000),
            GasLimit = 21_000,
            To = Address.Parse("0x00000000000000000000000000000000000000ee"),
            Value = UInt256.One,
            Data = [],
        };
        tx.Sign(Keys[sender]);
        return tx;
    }

    private static Blockchain NewChain() => Blockchain.Open(new MemoryKeyValueStore(), new GenesisSpec
    {
        Config = new ChainConfig { ChainId = ChainConfig.DevnetChainId },
        Alloc = Keys.ToDictionary(k => Secp256k1.AddressFromPrivateKey(k), _ => new GenesisAccount(new UInt256(10) * Ether, 0, [], new Dictionary<UInt256, UInt256>())),
        BaseFeePerGas = new UInt256(1_000_000_000),
    }, Coinbase);

    [Fact]
    public async Task ConcurrentAdds_WhileSealing_IncludeEveryTransactionOnce_InNonceOrder()
    {
        using var chain = NewChain();
        var txs = Enumerable.Range(0, Senders).Select(s => Enumerable.Range(0, PerSender).Select(n => Transfer(s, (ulong)n)).ToArray()).ToArray();
        using var stop = new CancellationTokenSource();
        ulong time = 1000;
        var sealer = Task.Run(() =>
        {
            while (!stop.IsCancellationRequested) chain.ProduceBlock(Interlocked.Increment(ref time), allowEmpty: false, maxTransactions: 25);
        });
        // Every sender submits on its own thread; some submissions race with the block that includes their predecessors.
        await Task.WhenAll(Enumerable.Range(0, Senders).Select(s => Task.Run(() =>
        {
            foreach (var tx in txs[s]) chain.Pool.Add(tx);
        })));
        while (chain.Pool.Count > 0) await Task.Delay(5);
        await stop.CancelAsync();
        await sealer;

        var state = chain.StateAt(chain.Head);
        for (int s = 0; s < Senders; s++)
            Assert.Equal((ulong)PerSender, state.GetAccount(Secp256k1.AddressFromPrivateKey(Keys[s]))!.Value.Nonce);
        var included = new List<Hash256>();
        for (ulong n = 1; n <= chain.Head.Number; n++)
        {
            var block = chain.Store.GetBlock(chain.Store.GetCanonicalHash(n)!.Value)!;
            included.AddRange(block.TransactionHashes);
        }
        Assert.Equal(Senders * PerSender, included.Count);
        Assert.Equal(included.Count, included.Distinct().Count());
    }

    [Fact]
    public async Task ResubmittingIncludedTransactions_WhileSealing_IsRejectedAsNonceTooLowOrKnown()
    {
        using var chain = NewChain();
        var txs = Enumerable.Range(0, PerSender).Select(n => Transfer(0, (ulong)n)).ToArray();
        foreach (var tx in txs) chain.Pool.Add(tx);
        ulong time = 1000;
        var sealer = Task.Run(() =>
        {
            while (chain.Pool.Count > 0) chain.ProduceBlock(Interlocked.Increment(ref time), allowEmpty: false, maxTransactions: 7);
        });
        int accepted = 0;
        var resubmit = Task.Run(() =>
        {
            for (int round = 0; round < 20; round++)
                foreach (var tx in txs)
                {
                    try
                    {
                        chain.Pool.Add(tx);
                        Interlocked.Increment(ref accepted);
                    }
                    catch (TxPoolException e)
                    {
                        Assert.True(e.Message.StartsWith("nonce too low", StringComparison.Ordinal) || e.Message == TxPoolException.AlreadyKnown, e.Message);
                    }
                }
        });
        await Task.WhenAll(sealer, resubmit);
        while (chain.Pool.Count > 0) chain.ProduceBlock(Interlocked.Increment(ref time), allowEmpty: false);

        // Whatever slipped back in between a block and the pool noticing was dropped, never included twice.
        Assert.Equal(0, accepted);
        Assert.Equal((ulong)PerSender, chain.StateAt(chain.Head).GetAccount(Secp256k1.AddressFromPrivateKey(Keys[0]))!.Value.Nonce);
    }
}
