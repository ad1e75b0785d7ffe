using OpenLedger.Primitives.Forks;
using OpenLedger.Chain.TxPool;
using OpenLedger.Primitives;
using OpenLedger.Primitives.Crypto;
using OpenLedger.Primitives.Transactions;
using OpenLedger.Primitives.Wallet;

namespace OpenLedger.Chain.Tests;

public class TxPoolTests
{
    private const ulong ChainId = 1330660686;
    private static readonly IReadOnlyList<byte[]> Keys = DevAccounts.PrivateKeys(3);
    private static readonly Address Alice = Secp256k1.AddressFromPrivateKey(Keys[0]);
    private static readonly Address Bob = Secp256k1.AddressFromPrivateKey(Keys[1]);
    private static readonly UInt256 Gwei = new(1_000_000_000);

    private sealed class FakeState : IPoolStateView
    {
        public Dictionary<Address, (ulong Nonce, UInt256 Balance)> Accounts { get; } = new();

        /// <summary>Runs once, on the next nonce read: lets a test land a block in the middle of a validation.</summary>
        public Action? OnNextRead { get; set; }

        public ulong GetNonce(Address a)
        {
            var hook = OnNextRead;
            OnNextRead = null;
            hook?.Invoke();
            return Accounts.GetValueOrDefault(a).Nonce;
        }

        public UInt256 GetBalance(Address a) => Accounts.GetValueOrDefault(a).Balance;
    }

    private static (TxPool.TxPool Pool, FakeState State) NewPool(TxPoolOptions? options = null)
    {
        var state = new FakeState();
        var rich = new UInt256(1_000_000) * Gwei * Gwei;
        state.Accounts[Alice] = (0, rich);
        state.Accounts[Bob] = (0, rich);
        return (new TxPool.TxPool(options ?? new TxPoolOptions(), ChainId, ForkSpec.Cancun, state, Gwei, 30_000_000), state);
    }

    private static Transaction Tx(int key, ulong nonce, ulong maxFeeGwei = 10, ulong tipGwei = 1, ulong gas = 21_000, ulong chainId = ChainId, UInt256? value = null)
    {
        var tx = new Transaction
        {
            Type = TxType.DynamicFee,
            ChainId = chainId,
            Nonce = nonce,
            MaxFeePerGas = new UInt256(maxFeeGwei) * Gwei,
            MaxPriorityFeePerGas = new UInt256(tipGwei) * Gwei,
            GasLimit = gas,
            To = Bob,
            Value = value ?? UInt256.One,
        };
        tx.Sign(Keys[key]);
        return tx;
    }

    [Fact]
    public void PendingAndQueued_FollowNonceGaps()
    {
        var (pool, _) = NewPool();
        pool.Add(Tx(0, 0));
        pool.Add(Tx(0, 2));
        Assert.Equal((1, 1), pool.Status());
        pool.Add(Tx(0, 1));
        Assert.Equal((3, 0), pool.Status());
        Assert.Equal(3UL, pool.PendingNonce(Alice));
    }

    [Fact]
    public void Rejections_UseGethMessages()
    {
        var (pool, state) = NewPool();
        state.Accounts[Alice] = (5, state.Accounts[Alice].Balance);
        Assert.StartsWith("nonce too low", Assert.Throws<TxPoolException>(() => pool.Add(Tx(0, 4))).Message);
        Assert.Equal("intrinsic gas too low: gas 20000, minimum needed 21000", Assert.Throws<TxPoolException>(() => pool.Add(Tx(0, 5, gas: 20_000))).Message);
        Assert.StartsWith("invalid chain id", Assert.Throws<TxPoolException>(() => pool.Add(Tx(0, 5, chainId: 1))).Message);
        Assert.StartsWith("max fee per gas less than block base fee", Assert.Throws<TxPoolException>(() => pool.Add(Tx(0, 5, maxFeeGwei: 0, tipGwei: 0))).Message);
        Assert.Equal("exceeds block gas limit", Assert.Throws<TxPoolException>(() => pool.Add(Tx(0, 5, gas: 31_000_000))).Message);
        state.Accounts[Alice] = (5, UInt256.One);
        Assert.StartsWith("insufficient funds for gas * price + value: balance 1, tx cost ", Assert.Throws<TxPoolException>(() => pool.Add(Tx(0, 5))).Message);
        Assert.Equal(0, pool.Count);
    }

    [Fact]
    public void Replacement_NeedsTenPercentBumpOnBothFees()
    {
        var (pool, _) = NewPool();
        var first = pool.Add(Tx(0, 0, maxFeeGwei: 100, tipGwei: 10));
        Assert.Equal("already known", Assert.Throws<TxPoolException>(() => pool.Add(first.Transaction)).Message);
        Assert.Equal("replacement transaction underpriced", Assert.Throws<TxPoolException>(() => pool.Add(Tx(0, 0, maxFeeGwei: 109, tipGwei: 20))).Message);
        Assert.Equal("replacement transaction underpriced", Assert.Throws<TxPoolException>(() => pool.Add(Tx(0, 0, maxFeeGwei: 200, tipGwei: 10))).Message);
        var replacement = pool.Add(Tx(0, 0, maxFeeGwei: 110, tipGwei: 11));
        Assert.Null(pool.Get(first.Hash));
        Assert.Same(replacement, pool.Get(replacement.Hash));
        Assert.Equal(1, pool.Count);
    }

    [Fact]
    public void SelectForBlock_OrdersByTip_KeepingEachSendersNonceOrder()
    {
        var (pool, _) = NewPool();
        pool.Add(Tx(0, 0, tipGwei: 1));
        pool.Add(Tx(0, 1, tipGwei: 5));
        pool.Add(Tx(1, 0, tipGwei: 3));
        pool.Add(Tx(1, 2, tipGwei: 9)); // gap: not executable
        var picked = pool.SelectForBlock(Gwei, 10);
        Assert.Equal([(Bob, 0UL), (Alice, 0UL), (Alice, 1UL)], picked.Select(p => (p.Sender, p.Nonce)).ToArray());
    }

    [Fact]
    public void OnNewHead_DropsIncludedNonces()
    {
        var (pool, state) = NewPool();
        pool.Add(Tx(0, 0));
        pool.Add(Tx(0, 1));
        state.Accounts[Alice] = (1, state.Accounts[Alice].Balance);
        pool.OnNewHead(state, Gwei, 30_000_000);
        Assert.Equal(1, pool.Count);
        Assert.Equal((1, 0), pool.Status());
    }

    [Fact]
    public void Flood_FromOneSender_IsBounded_AndOthersStillGetIn()
    {
        var (pool, _) = NewPool(new TxPoolOptions { MaxPerSender = 4, MaxTransactions = 6 });
        for (ulong n = 0; n < 4; n++) pool.Add(Tx(0, n));
        Assert.Equal("account limit exceeded", Assert.Throws<TxPoolException>(() => pool.Add(Tx(0, 4))).Message);
        pool.Add(Tx(1, 0, tipGwei: 2));
        pool.Add(Tx(1, 1, tipGwei: 2));
        // Full: a better-paying transaction evicts the cheapest tail of another sender.
        pool.Add(Tx(1, 2, tipGwei: 3));
        Assert.Equal(6, pool.Count);
        Assert.Equal(3UL, pool.PendingNonce(Alice));
    }

    [Fact]
    public void Garbage_IsRejectedWithAClearError()
    {
        var (pool, _) = NewPool();
        Assert.StartsWith("invalid transaction", Assert.Throws<TxPoolException>(() => pool.AddRaw([0x02, 0xc0])).Message);
        Assert.Equal("oversized data", Assert.Throws<TxPoolException>(() => pool.AddRaw(new byte[200_000])).Message);
    }

    [Fact]
    public void Add_BlockLandsWhileValidating_RereadsTheNewHead()
    {
        var (pool, state) = NewPool();
        var tx = Tx(0, 0);
        pool.Add(tx);
        var after = new FakeState();
        foreach (var (a, v) in state.Accounts) after.Accounts[a] = v;
        after.Accounts[Alice] = (1, state.Accounts[Alice].Balance);

        // A resubmission reads the old head (nonce 0); before it takes the pool's lock, the block that
        // included the transaction lands and drops it from the pool. The add must see the new head.
        state.OnNextRead = () => pool.OnNewHead(after, Gwei, 30_000_000);
        var e = Assert.Throws<TxPoolException>(() => pool.Add(tx));
        Assert.StartsWith("nonce too low", e.Message);
        Assert.Equal(0, pool.Count);
    }
}
