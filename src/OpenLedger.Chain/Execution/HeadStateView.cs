using OpenLedger.Chain.TxPool;
using OpenLedger.Primitives;
using OpenLedger.State.Accounts;
using OpenLedger.State.Storage;

namespace OpenLedger.Chain.Execution;

/// <summary>
/// Nonces and balances at one state root, for the pool. Safe for concurrent readers: RPC threads validate
/// incoming transactions against it outside the pool's lock. Each account is read from the trie once per
/// head (a nonce check and a balance check, and every later transaction of the same sender, share it). On a rollup
/// (<paramref name="l1DataFee"/>) the L1 fee parameters are read from L1Block's storage once per head.
/// </summary>
public sealed class HeadStateView(IKeyValueStore store, Hash256 root, bool l1DataFee = false) : IPoolStateView
{
    private Rollup.Fees.L1FeeParams? _l1Fee;

    private readonly StateTrie _trie = new(store, root); // caches decoded nodes as it reads: one reader at a time
    private readonly Lock _lock = new();
    private readonly Dictionary<Address, Account?> _accounts = [];

    public ulong GetNonce(Address address) => Read(address)?.Nonce ?? 0;
    public UInt256 GetBalance(Address address) => Read(address)?.Balance ?? UInt256.Zero;

    public UInt256 L1DataFee(ReadOnlySpan<byte> signedTx)
    {
        if (!l1DataFee) return UInt256.Zero;
        Rollup.Fees.L1FeeParams p;
        lock (_lock) p = _l1Fee ??= Rollup.Fees.L1FeeParams.FromStorage(slot => _trie.GetStorage(Rollup.Predeploys.L1Block, slot));
        return Rollup.Fees.L1DataFee.Compute(signedTx, p).Fee;
    }

    private Account? Read(Address address)
    {
        lock (_lock)
        {
            if (!_accounts.TryGetValue(address, out var account)) _accounts[address] = account = _trie.GetAccount(address);
            return account;
        }
    }
}
