using OpenLedger.Chain.TxPool;
using OpenLedger.Primitives;
using OpenLedger.State.Accounts;
using OpenLedger.State.Storage;

namespace OpenLedger.Chain.Execution;

/// <summary>
/// Nonces and balances at one state root, for the pool. A <see cref="StateTrie"/> caches nodes as it
/// reads, so each instance serves one thread at a time: the pool calls it only under its lock.
/// </summary>
public sealed class HeadStateView(IKeyValueStore store, Hash256 root) : IPoolStateView
{
    private readonly StateTrie _trie = new(store, root);

    public ulong GetNonce(Address address) => _trie.GetAccount(address)?.Nonce ?? 0;
    public UInt256 GetBalance(Address address) => _trie.GetAccount(address)?.Balance ?? UInt256.Zero;
}
