using OpenLedger.Primitives;
using OpenLedger.State.Storage;
using OpenLedger.State.Trie;

namespace OpenLedger.State.Accounts;

/// <summary>
/// Ethereum's world state as tries: a secure trie address -> <see cref="Account"/> whose records point
/// at one secure storage trie per account (keccak(slot32) -> rlp(value), zero values absent).
/// Updated incrementally; <see cref="RootHash"/> folds changed storage roots into their accounts
/// first. Backed by a store (commit, reopen by root) or held in memory. Not thread-safe.
/// </summary>
public sealed class StateTrie
{
    // Contract code lives beside the trie nodes under 'c' + codeHash, so its keys never collide with 32-byte node keys.
    private const byte CodePrefix = (byte)'c';

    private readonly IKeyValueStore? _store;
    private readonly SecureTrie _accounts;
    private readonly Dictionary<Address, SecureTrie> _storage = [];
    private readonly HashSet<Address> _dirtyStorage = [];
    // Code put since the last Commit() (all of it, for an in-memory state), and which of it no batch holds yet.
    private readonly Dictionary<Hash256, byte[]> _code = [];
    private readonly HashSet<Hash256> _unwrittenCode = [];

    /// <summary>An empty state held in memory.</summary>
    public StateTrie() => _accounts = new SecureTrie();

    /// <summary>An empty state committed to <paramref name="store"/>.</summary>
    public StateTrie(IKeyValueStore store)
    {
        _store = store ?? throw new ArgumentNullException(nameof(store));
        _accounts = new SecureTrie(store);
    }

    /// <summary>Opens the state with root <paramref name="stateRoot"/> in <paramref name="store"/>.</summary>
    /// <exception cref="MissingTrieNodeException">The store does not hold that root.</exception>
    public StateTrie(IKeyValueStore store, Hash256 stateRoot)
    {
        _store = store ?? throw new ArgumentNullException(nameof(store));
        _accounts = new SecureTrie(store, stateRoot);
    }

    /// <summary>The state root, with every changed storage trie's root folded into its account first.</summary>
    public Hash256 RootHash
    {
        get
        {
            FlushStorageRoots();
            return _accounts.RootHash;
        }
    }

    /// <summary>The account at <paramref name="address"/> (its storage root current), or null when none exists.</summary>
    public Account? GetAccount(Address address)
    {
        var account = ReadAccount(address);
        if (account is { } a && _dirtyStorage.Contains(address))
            return a with { StorageRoot = _storage[address].RootHash };
        return account;
    }

    /// <summary>Creates or updates an account's nonce, balance and code hash, keeping its storage.</summary>
    public void SetAccount(Address address, ulong nonce, UInt256 balance, Hash256 codeHash)
    {
        var storageRoot = ReadAccount(address)?.StorageRoot ?? PatriciaTrie.EmptyRoot;
        WriteAccount(address, new Account(nonce, balance, storageRoot, codeHash));
    }

    /// <summary>
    /// Writes an account record verbatim, storage root included: the account's storage becomes the
    /// trie at that root (which must be in the store unless empty); storage changes not yet folded in are dropped.
    /// </summary>
    public void SetAccount(Address address, Account account)
    {
        _storage.Remove(address);
        _dirtyStorage.Remove(address);
        WriteAccount(address, account);
    }

    /// <summary>Removes the account and all its storage. Returns whether it existed.</summary>
    public bool DeleteAccount(Address address)
    {
        _storage.Remove(address);
        _dirtyStorage.Remove(address);
        return _accounts.Delete(address.Bytes);
    }

    /// <summary>The value of a storage slot; zero for an absent slot or account.</summary>
    public UInt256 GetStorage(Address address, UInt256 slot)
    {
        var trie = OpenStorage(address, create: false);
        if (trie is null) return UInt256.Zero;
        Span<byte> key = stackalloc byte[32];
        StorageSlot.WriteKey(slot, key);
        var raw = trie.Get(key);
        return raw is null ? UInt256.Zero : StorageSlot.DecodeValue(raw);
    }

    /// <summary>Sets a storage slot of an existing account; zero removes the slot.</summary>
    /// <exception cref="InvalidOperationException">The account does not exist.</exception>
    public void SetStorage(Address address, UInt256 slot, UInt256 value)
    {
        var trie = OpenStorage(address, create: true)!;
        Span<byte> key = stackalloc byte[32];
        StorageSlot.WriteKey(slot, key);
        if (value.IsZero) trie.Delete(key);
        else trie.Set(key, StorageSlot.EncodeValue(value));
        _dirtyStorage.Add(address);
    }

    /// <summary>Keeps <paramref name="code"/> for the next commit and returns its hash (to put in an account).</summary>
    public Hash256 PutCode(ReadOnlySpan<byte> code)
    {
        var hash = Keccak256.Compute(code);
        if (hash != Keccak256.EmptyHash && _code.TryAdd(hash, code.ToArray())) _unwrittenCode.Add(hash);
        return hash;
    }

    /// <summary>The code with hash <paramref name="codeHash"/>, or null when it was neither put here nor committed to the store.</summary>
    public byte[]? GetCode(Hash256 codeHash)
    {
        if (codeHash == Keccak256.EmptyHash) return [];
        if (_code.TryGetValue(codeHash, out var code)) return code;
        return _store?.TryGet(CodeKey(codeHash));
    }

    /// <summary>
    /// Adds every new node of the changed storage tries and of the account trie, and the new code,
    /// to <paramref name="batch"/>; returns the state root. The caller commits the batch.
    /// </summary>
    public Hash256 Commit(IWriteBatch batch)
    {
        ArgumentNullException.ThrowIfNull(batch);
        FlushStorageRoots();
        foreach (var trie in _storage.Values) trie.Commit(batch);
        foreach (var hash in _unwrittenCode) batch.Put(CodeKey(hash), _code[hash]);
        _unwrittenCode.Clear();
        return _accounts.Commit(batch);
    }

    /// <summary>Commits everything to the store in one atomic batch, then lets go of the storage tries it had open.</summary>
    public Hash256 Commit()
    {
        var store = _store ?? throw new InvalidOperationException("an in-memory state has no store; use Commit(IWriteBatch)");
        Hash256 root;
        using (var batch = store.CreateBatch())
        {
            root = Commit(batch);
            batch.Commit();
        }
        // Stored storage tries and code reload lazily; keeping them would grow memory with every block.
        _storage.Clear();
        _code.Clear();
        return root;
    }

    /// <summary>EIP-1186 data for <paramref name="address"/> and the given storage slots, against <see cref="RootHash"/>.</summary>
    public AccountProof GetAccountProof(Address address, params IEnumerable<UInt256> slots)
    {
        FlushStorageRoots();
        var proof = _accounts.GetProof(address.Bytes);
        var account = ReadAccount(address);
        var storage = OpenStorage(address, create: false);
        var storageProofs = new List<StorageProof>();
        var key = new byte[32];
        foreach (var slot in slots)
        {
            if (storage is null)
            {
                storageProofs.Add(new StorageProof(slot, UInt256.Zero, []));
                continue;
            }
            StorageSlot.WriteKey(slot, key);
            var raw = storage.Get(key);
            storageProofs.Add(new StorageProof(slot, raw is null ? UInt256.Zero : StorageSlot.DecodeValue(raw), storage.GetProof(key)));
        }
        return new AccountProof(address, account is not null, account ?? Account.Empty, proof, storageProofs);
    }

    /// <summary>The state root of a whole state given at once, computed in memory exactly as Ethereum does.</summary>
    public static Hash256 ComputeRoot(IEnumerable<KeyValuePair<Address, AccountData>> accounts)
    {
        var trie = new SecureTrie();
        foreach (var (address, data) in accounts)
        {
            var storageRoot = data.Storage is null ? PatriciaTrie.EmptyRoot : ComputeStorageRoot(data.Storage);
            trie.Set(address.Bytes, new Account(data.Nonce, data.Balance, storageRoot, data.CodeHash).Encode());
        }
        return trie.RootHash;
    }

    /// <summary>The root of one account's storage trie; zero values are left out.</summary>
    public static Hash256 ComputeStorageRoot(IEnumerable<KeyValuePair<UInt256, UInt256>> storage)
    {
        var trie = new SecureTrie();
        Span<byte> key = stackalloc byte[32];
        foreach (var (slot, value) in storage)
        {
            StorageSlot.WriteKey(slot, key);
            if (value.IsZero) trie.Delete(key);
            else trie.Set(key, StorageSlot.EncodeValue(value));
        }
        return trie.RootHash;
    }

    private Account? ReadAccount(Address address)
    {
        var rlp = _accounts.Get(address.Bytes);
        return rlp is null ? null : Account.Decode(rlp);
    }

    private void WriteAccount(Address address, in Account account) => _accounts.Set(address.Bytes, account.Encode());

    // The account's open storage trie, opening it from the account's storage root if needed.
    // Null when the account does not exist and `create` is false.
    private SecureTrie? OpenStorage(Address address, bool create)
    {
        if (_storage.TryGetValue(address, out var open)) return open;
        var account = ReadAccount(address);
        if (account is null)
        {
            if (create) throw new InvalidOperationException($"cannot set storage of {address}: the account does not exist");
            return null;
        }
        var root = account.Value.StorageRoot;
        SecureTrie trie;
        if (root == PatriciaTrie.EmptyRoot) trie = _store is null ? new SecureTrie() : new SecureTrie(_store);
        else if (_store is null) throw new InvalidOperationException($"storage root {root} of {address} is not held by this in-memory state");
        else trie = new SecureTrie(_store, root);
        _storage[address] = trie;
        return trie;
    }

    private void FlushStorageRoots()
    {
        if (_dirtyStorage.Count == 0) return;
        foreach (var address in _dirtyStorage)
        {
            var account = ReadAccount(address)
                ?? throw new InvalidOperationException($"storage of {address} changed but the account is gone");
            var root = _storage[address].RootHash;
            if (root != account.StorageRoot) WriteAccount(address, account with { StorageRoot = root });
        }
        _dirtyStorage.Clear();
    }

    private static byte[] CodeKey(Hash256 hash)
    {
        var key = new byte[1 + Hash256.Length];
        key[0] = CodePrefix;
        hash.WriteTo(key.AsSpan(1));
        return key;
    }
}
