using OpenLedger.Primitives;
using OpenLedger.State.Accounts;
using OpenLedger.State.Trie;
using OpenLedger.State.World;

namespace OpenLedger.Chain.Execution;

/// <summary>The EVM's view of committed state: reads from a <see cref="StateTrie"/>, and applies a block's changes to it.</summary>
public sealed class TrieWorldSource(StateTrie trie) : IWorldSource
{
    public StateTrie Trie { get; } = trie;

    public AccountInfo? GetAccount(Address address) =>
        Trie.GetAccount(address) is { } a ? new AccountInfo(a.Nonce, a.Balance, a.CodeHash) : null;

    public UInt256 GetStorage(Address address, in UInt256 key) => Trie.GetStorage(address, key);

    public bool HasStorage(Address address) => Trie.GetAccount(address) is { } a && a.StorageRoot != PatriciaTrie.EmptyRoot;

    public byte[] GetCode(Hash256 codeHash) =>
        Trie.GetCode(codeHash) ?? throw new InvalidOperationException($"code {codeHash} missing from the store: the state is incomplete");

    /// <summary>Writes a world state's committed changes into the trie (not yet to disk).</summary>
    public void Apply(WorldChanges changes)
    {
        foreach (var c in changes.Accounts)
        {
            if (c.Deleted)
            {
                Trie.DeleteAccount(c.Address);
                continue;
            }
            var codeHash = c.Code is { } code ? Trie.PutCode(code) : c.Info.CodeHash;
            if (c.StorageCleared)
                Trie.SetAccount(c.Address, new Account(c.Info.Nonce, c.Info.Balance, PatriciaTrie.EmptyRoot, codeHash));
            else
                Trie.SetAccount(c.Address, c.Info.Nonce, c.Info.Balance, codeHash);
            foreach (var (slot, value) in c.Storage) Trie.SetStorage(c.Address, slot, value);
        }
    }
}
