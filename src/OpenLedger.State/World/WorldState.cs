using OpenLedger.Primitives;

namespace OpenLedger.State.World;

/// <summary>
/// The state a transaction executes against: an account/storage cache over an <see cref="IWorldSource"/>,
/// with a journal for nested-call snapshots and the per-transaction sets the EVM's gas rules need:
/// warm addresses and slots (EIP-2929), transient storage (EIP-1153), slot values at transaction start
/// (EIP-2200/3529), contracts created in this transaction (EIP-6780), touched accounts (EIP-161),
/// logs and the refund counter. Not thread-safe: one per executing block.
/// </summary>
public sealed class WorldState
{
    private readonly IWorldSource _source;
    private readonly Dictionary<Address, WorldAccount> _accounts = new();
    private readonly List<JournalEntry> _journal = new();
    private readonly HashSet<Address> _warmAddresses = new();
    private readonly HashSet<StorageSlot> _warmSlots = new();
    private readonly Dictionary<StorageSlot, UInt256> _transient = new();
    private readonly HashSet<Address> _createdInTx = new();
    private readonly HashSet<Address> _destructed = new();
    private readonly HashSet<Address> _touched = new();
    private readonly List<LogEntry> _logs = new();
    private readonly List<WorldAccount> _txWritten = new();

    public WorldState(IWorldSource source) => _source = source;

    /// <summary>The gas refund counter (EIP-3529); may go negative inside a call, never at the end of a transaction.</summary>
    public long Refund { get; private set; }

    /// <summary>Logs of the current transaction, in order.</summary>
    public IReadOnlyList<LogEntry> Logs => _logs;

    // ---- accounts ----

    private WorldAccount Get(Address address)
    {
        if (_accounts.TryGetValue(address, out var acc)) return acc;
        var info = _source.GetAccount(address);
        acc = info is { } i
            ? new WorldAccount { Exists = true, Nonce = i.Nonce, Balance = i.Balance, CodeHash = i.CodeHash }
            : new WorldAccount();
        _accounts[address] = acc;
        return acc;
    }

    public bool Exists(Address address) => Get(address).Exists;

    /// <summary>EIP-161 "dead": absent, or present with no nonce, balance or code.</summary>
    public bool IsDead(Address address)
    {
        var a = Get(address);
        return !a.Exists || a.IsEmpty;
    }

    public UInt256 GetBalance(Address address) => Get(address).Balance;
    public ulong GetNonce(Address address) => Get(address).Nonce;
    public Hash256 GetCodeHash(Address address) => Get(address).CodeHash;

    public byte[] GetCode(Address address)
    {
        var a = Get(address);
        return a.Code ??= a.CodeHash == Keccak256.EmptyHash ? [] : _source.GetCode(a.CodeHash);
    }

    /// <summary>True when a contract creation at this address must fail: nonce, code or storage already there (EIP-684, EIP-7610).</summary>
    public bool HasCollision(Address address)
    {
        var a = Get(address);
        if (a.Nonce != 0 || a.CodeHash != Keccak256.EmptyHash) return true;
        foreach (var v in a.Storage.Values)
            if (!v.IsZero) return true;
        return !a.StorageCleared && a.Exists && _source.HasStorage(address);
    }

    private void MarkExisting(Address address, WorldAccount a)
    {
        if (a.Exists) return;
        _journal.Add(new JournalEntry { Kind = JournalKind.AccountReset, Address = address, Account = a, OldExists = false, OldNonce = a.Nonce, OldCodeHash = a.CodeHash, OldCode = a.Code });
        a.Exists = true;
        a.Dirty = true;
    }

    /// <summary>EIP-161 touch: brings the account into existence; an empty touched account is deleted at the end of the transaction.</summary>
    public void Touch(Address address)
    {
        var a = Get(address);
        MarkExisting(address, a);
        if (_touched.Add(address))
            _journal.Add(new JournalEntry { Kind = JournalKind.Touch, Address = address });
    }

    public void AddBalance(Address address, in UInt256 amount)
    {
        Touch(address);
        if (amount.IsZero) return;
        var a = Get(address);
        _journal.Add(new JournalEntry { Kind = JournalKind.Balance, Account = a, Old = a.Balance });
        a.Balance = a.Balance + amount;
        a.Dirty = true;
    }

    /// <summary>Subtracts; the caller has checked the balance suffices.</summary>
    public void SubtractBalance(Address address, in UInt256 amount)
    {
        Touch(address);
        if (amount.IsZero) return;
        var a = Get(address);
        if (a.Balance < amount) throw new InvalidOperationException($"balance of {address} below {amount}");
        _journal.Add(new JournalEntry { Kind = JournalKind.Balance, Account = a, Old = a.Balance });
        a.Balance = a.Balance - amount;
        a.Dirty = true;
    }

    public void SetNonce(Address address, ulong nonce)
    {
        var a = Get(address);
        MarkExisting(address, a);
        _journal.Add(new JournalEntry { Kind = JournalKind.Nonce, Account = a, OldNonce = a.Nonce });
        a.Nonce = nonce;
        a.Dirty = true;
    }

    public void SetCode(Address address, byte[] code)
    {
        var a = Get(address);
        _journal.Add(new JournalEntry { Kind = JournalKind.AccountReset, Address = address, Account = a, OldExists = a.Exists, OldNonce = a.Nonce, OldCodeHash = a.CodeHash, OldCode = a.Code, OldFlag = a.CodeChanged });
        a.Exists = true;
        a.Code = code;
        a.CodeHash = code.Length == 0 ? Keccak256.EmptyHash : Keccak256.Compute(code);
        a.CodeChanged = true;
        a.Dirty = true;
    }

    /// <summary>Starts a contract at <paramref name="address"/> (CREATE/CREATE2): exists, nonce 0, no code, balance kept; remembered as created in this transaction (EIP-6780).</summary>
    public void CreateAccount(Address address)
    {
        var a = Get(address);
        _journal.Add(new JournalEntry { Kind = JournalKind.AccountReset, Address = address, Account = a, OldExists = a.Exists, OldNonce = a.Nonce, OldCodeHash = a.CodeHash, OldCode = a.Code, OldFlag = a.CodeChanged });
        a.Exists = true;
        a.Nonce = 0;
        a.CodeHash = Keccak256.EmptyHash;
        a.Code = [];
        a.Dirty = true;
        if (_createdInTx.Add(address))
            _journal.Add(new JournalEntry { Kind = JournalKind.CreatedInTx, Address = address });
        if (_touched.Add(address))
            _journal.Add(new JournalEntry { Kind = JournalKind.Touch, Address = address });
    }

    public bool IsCreatedInTransaction(Address address) => _createdInTx.Contains(address);

    /// <summary>Schedules the account's deletion at the end of the transaction (SELFDESTRUCT of a contract created in it).</summary>
    public void MarkDestructed(Address address)
    {
        if (_destructed.Add(address))
            _journal.Add(new JournalEntry { Kind = JournalKind.Destructed, Address = address });
    }

    // ---- storage ----

    public UInt256 GetStorage(Address address, in UInt256 key)
    {
        var a = Get(address);
        if (a.Storage.TryGetValue(key, out var v)) return v;
        v = a.StorageCleared || !a.Exists ? UInt256.Zero : _source.GetStorage(address, key);
        a.Storage[key] = v;
        return v;
    }

    /// <summary>The slot's value when the current transaction started (EIP-2200's "original value").</summary>
    public UInt256 GetOriginalStorage(Address address, in UInt256 key)
    {
        var a = Get(address);
        if (a.TxOriginal != null && a.TxOriginal.TryGetValue(key, out var v)) return v;
        return GetStorage(address, key);
    }

    public void SetStorage(Address address, in UInt256 key, in UInt256 value)
    {
        var old = GetStorage(address, key);
        var a = Get(address);
        if (a.TxOriginal == null) { a.TxOriginal = new(); _txWritten.Add(a); }
        a.TxOriginal.TryAdd(key, old);
        _journal.Add(new JournalEntry { Kind = JournalKind.Storage, Account = a, Key = key, Old = old });
        a.Storage[key] = value;
        a.Written.Add(key);
        a.Dirty = true;
    }

    public UInt256 GetTransient(Address address, in UInt256 key) =>
        _transient.TryGetValue(new StorageSlot(address, key), out var v) ? v : UInt256.Zero;

    public void SetTransient(Address address, in UInt256 key, in UInt256 value)
    {
        var slot = new StorageSlot(address, key);
        _journal.Add(new JournalEntry { Kind = JournalKind.Transient, Address = address, Key = key, Old = GetTransient(address, key) });
        _transient[slot] = value;
    }

    // ---- access lists (EIP-2929) ----

    public bool IsWarm(Address address) => _warmAddresses.Contains(address);

    /// <summary>Marks the address warm; true when it was cold.</summary>
    public bool WarmAddress(Address address)
    {
        if (!_warmAddresses.Add(address)) return false;
        _journal.Add(new JournalEntry { Kind = JournalKind.WarmAddress, Address = address });
        return true;
    }

    /// <summary>Marks the slot warm; true when it was cold.</summary>
    public bool WarmSlot(Address address, in UInt256 key)
    {
        if (!_warmSlots.Add(new StorageSlot(address, key))) return false;
        _journal.Add(new JournalEntry { Kind = JournalKind.WarmSlot, Address = address, Key = key });
        return true;
    }

    // ---- logs and refunds ----

    public void AddLog(LogEntry log) => _logs.Add(log);
    public void AddRefund(long gas) => Refund += gas;
    public void SubtractRefund(long gas) => Refund -= gas;

    // ---- snapshots ----

    public WorldSnapshot TakeSnapshot() => new(_journal.Count, _logs.Count, Refund);

    public void Revert(WorldSnapshot snapshot)
    {
        for (int i = _journal.Count - 1; i >= snapshot.JournalIndex; i--)
        {
            var e = _journal[i];
            switch (e.Kind)
            {
                case JournalKind.Balance: e.Account!.Balance = e.Old; break;
                case JournalKind.Nonce: e.Account!.Nonce = e.OldNonce; break;
                case JournalKind.Storage: e.Account!.Storage[e.Key] = e.Old; break;
                case JournalKind.AccountReset:
                    e.Account!.Exists = e.OldExists;
                    e.Account.Nonce = e.OldNonce;
                    e.Account.CodeHash = e.OldCodeHash;
                    e.Account.Code = e.OldCode;
                    e.Account.CodeChanged = e.OldFlag;
                    break;
                case JournalKind.Touch: _touched.Remove(e.Address); break;
                case JournalKind.WarmAddress: _warmAddresses.Remove(e.Address); break;
                case JournalKind.WarmSlot: _warmSlots.Remove(new StorageSlot(e.Address, e.Key)); break;
                case JournalKind.Transient: _transient[new StorageSlot(e.Address, e.Key)] = e.Old; break;
                case JournalKind.CreatedInTx: _createdInTx.Remove(e.Address); break;
                case JournalKind.Destructed: _destructed.Remove(e.Address); break;
            }
        }
        _journal.RemoveRange(snapshot.JournalIndex, _journal.Count - snapshot.JournalIndex);
        _logs.RemoveRange(snapshot.LogCount, _logs.Count - snapshot.LogCount);
        Refund = snapshot.Refund;
    }

    // ---- transaction boundaries ----

    /// <summary>Clears the per-transaction sets (warm, transient, created, touched, logs, refund).</summary>
    public void BeginTransaction()
    {
        _journal.Clear();
        _warmAddresses.Clear();
        _warmSlots.Clear();
        _transient.Clear();
        _createdInTx.Clear();
        _destructed.Clear();
        _touched.Clear();
        _logs.Clear();
        foreach (var a in _txWritten) a.TxOriginal = null;
        _txWritten.Clear();
        Refund = 0;
    }

    /// <summary>
    /// Ends the transaction: deletes self-destructed accounts and touched empty accounts (EIP-161),
    /// and forgets the journal (a finished transaction cannot be reverted). Logs stay readable until the next <see cref="BeginTransaction"/>.
    /// </summary>
    public void EndTransaction()
    {
        foreach (var address in _destructed) Delete(Get(address));
        foreach (var address in _touched)
        {
            var a = Get(address);
            if (a.Exists && a.IsEmpty) Delete(a);
        }
        _journal.Clear();
        foreach (var a in _txWritten) a.TxOriginal = null;
        _txWritten.Clear();
    }

    private static void Delete(WorldAccount a)
    {
        a.Exists = false;
        a.Nonce = 0;
        a.Balance = UInt256.Zero;
        a.CodeHash = Keccak256.EmptyHash;
        a.Code = [];
        a.CodeChanged = false;
        a.Storage.Clear();
        a.Written.Clear();
        a.StorageCleared = true;
        a.Dirty = true;
    }

    /// <summary>The changes since the last commit, sorted by address; afterwards they count as committed.</summary>
    public WorldChanges Commit()
    {
        var list = new List<AccountChange>();
        foreach (var (address, a) in _accounts)
        {
            if (!a.Dirty) continue;
            var storage = new Dictionary<UInt256, UInt256>();
            foreach (var k in a.Written) storage[k] = a.Storage[k];
            list.Add(new AccountChange(address, !a.Exists, new AccountInfo(a.Nonce, a.Balance, a.CodeHash),
                a.CodeChanged ? a.Code : null, a.StorageCleared, storage));
            a.Dirty = false;
            a.CodeChanged = false;
            a.StorageCleared = false;
            a.Written.Clear();
        }
        list.Sort((x, y) => x.Address.CompareTo(y.Address));
        return new WorldChanges(list);
    }
}
