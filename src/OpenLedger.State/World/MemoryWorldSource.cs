using OpenLedger.Primitives;

namespace OpenLedger.State.World;

/// <summary>A whole state held in dictionaries: state-test pre-states, genesis allocations, unit tests.</summary>
public sealed class MemoryWorldSource : IWorldSource
{
    /// <summary>One account with its code and storage (zero slots are never stored).</summary>
    public sealed class Entry
    {
        public ulong Nonce;
        public UInt256 Balance;
        public byte[] Code = [];
        public Hash256 CodeHash = Keccak256.EmptyHash;
        public readonly Dictionary<UInt256, UInt256> Storage = new();
    }

    private readonly Dictionary<Address, Entry> _accounts = new();
    private readonly Dictionary<Hash256, byte[]> _code = new();

    public IReadOnlyDictionary<Address, Entry> Accounts => _accounts;

    public void SetAccount(Address address, ulong nonce, in UInt256 balance, byte[] code, IEnumerable<KeyValuePair<UInt256, UInt256>>? storage = null)
    {
        var e = new Entry { Nonce = nonce, Balance = balance, Code = code, CodeHash = code.Length == 0 ? Keccak256.EmptyHash : Keccak256.Compute(code) };
        if (storage != null)
            foreach (var (k, v) in storage)
                if (!v.IsZero) e.Storage[k] = v;
        _accounts[address] = e;
        _code[e.CodeHash] = code;
    }

    public AccountInfo? GetAccount(Address address) =>
        _accounts.TryGetValue(address, out var e) ? new AccountInfo(e.Nonce, e.Balance, e.CodeHash) : null;

    public UInt256 GetStorage(Address address, in UInt256 key) =>
        _accounts.TryGetValue(address, out var e) && e.Storage.TryGetValue(key, out var v) ? v : UInt256.Zero;

    public bool HasStorage(Address address) => _accounts.TryGetValue(address, out var e) && e.Storage.Count > 0;

    public byte[] GetCode(Hash256 codeHash) => _code.TryGetValue(codeHash, out var c) ? c : [];

    /// <summary>Applies a commit's changes, so this source becomes the post-state.</summary>
    public void Apply(WorldChanges changes)
    {
        foreach (var c in changes.Accounts)
        {
            if (c.Deleted) { _accounts.Remove(c.Address); continue; }
            if (!_accounts.TryGetValue(c.Address, out var e) || c.StorageCleared)
            {
                var fresh = new Entry();
                if (e != null) { fresh.Code = e.Code; fresh.CodeHash = e.CodeHash; }
                e = fresh;
                _accounts[c.Address] = e;
            }
            e.Nonce = c.Info.Nonce;
            e.Balance = c.Info.Balance;
            if (c.Code != null) { e.Code = c.Code; _code[c.Info.CodeHash] = c.Code; }
            e.CodeHash = c.Info.CodeHash;
            if (e.CodeHash == Keccak256.EmptyHash) e.Code = [];
            foreach (var (k, v) in c.Storage)
                if (v.IsZero) e.Storage.Remove(k); else e.Storage[k] = v;
        }
    }
}
