using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
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
    private readonly JournalBuffer _journal = new();
    private readonly Dictionary<StorageSlot, UInt256> _transient = new();
    private readonly HashSet<Address> _createdInTx = new();
    private readonly HashSet<Address> _destructed = new();
    private readonly HashSet<Address> _touched = new();
    private readonly List<LogEntry> _logs = new();

    // Per-transaction facts kept on accounts and slots are stamped with these epochs: warm (EIP-2929) and touched
    // (EIP-161, mirroring _touched) until the next BeginTransaction, original slot values (EIP-2200) until the
    // transaction begins or ends. Bumping one forgets them all.
    private int _warmEpoch = 1;
    private int _originalEpoch = 1;

    // Journal entries below this index may be the boundary of a live snapshot and are never merged into.
    private int _mergeFloor;

    // The last account looked up: calls and SLOAD/SSTORE ask for the same account many times in a row.
    private WorldAccount? _last;

    public WorldState(IWorldSource source) => _source = source;

    /// <summary>The gas refund counter (EIP-3529); may go negative inside a call, never at the end of a transaction.</summary>
    public long Refund { get; private set; }

    /// <summary>Logs of the current transaction, in order.</summary>
    public IReadOnlyList<LogEntry> Logs => _logs;

    // ---- accounts ----

    private WorldAccount Get(Address address)
    {
        var last = _last;
        if (last != null && last.Address == address) return last;
        ref var acc = ref CollectionsMarshal.GetValueRefOrAddDefault(_accounts, address, out bool found);
        if (!found)
        {
            var info = _source.GetAccount(address);
            acc = info is { } i
                ? new WorldAccount(address) { Exists = true, Nonce = i.Nonce, Balance = i.Balance, CodeHash = i.CodeHash }
                : new WorldAccount(address);
        }
        _last = acc;
        return acc!;
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
        for (int i = 0; i < a.Storage.Count; i++)
            if (!a.Storage.SlotAt(i).Value.IsZero) return true;
        return !a.StorageCleared && a.Exists && _source.HasStorage(address);
    }

    private void JournalReset(WorldAccount a) =>
        _journal.Add(new JournalEntry
        {
            Kind = JournalKind.AccountReset,
            Account = a,
            Reset = new AccountResetRecord { OldExists = a.Exists, OldNonce = a.Nonce, OldCodeHash = a.CodeHash, OldCode = a.Code, OldCodeChanged = a.CodeChanged },
        });

    private void MarkExisting(WorldAccount a)
    {
        if (a.Exists) return;
        JournalReset(a);
        a.Exists = true;
        a.Dirty = true;
    }

    /// <summary>EIP-161 touch: brings the account into existence; an empty touched account is deleted at the end of the transaction.</summary>
    public void Touch(Address address) => Touch(Get(address));

    private void Touch(WorldAccount a)
    {
        MarkExisting(a);
        // Every value transfer touches both sides (zero-value CALLs too): the stamp answers repeats without hashing.
        if (a.TouchedEpoch == _warmEpoch) return;
        a.TouchedEpoch = _warmEpoch;
        if (_touched.Add(a.Address))
            _journal.Add(new JournalEntry { Kind = JournalKind.Touch, Account = a });
    }

    public void AddBalance(Address address, in UInt256 amount)
    {
        var a = Get(address);
        Touch(a);
        if (amount.IsZero) return;
        _journal.Add(new JournalEntry { Kind = JournalKind.Balance, Account = a, Old = a.Balance });
        a.Balance = a.Balance + amount;
        a.Dirty = true;
    }

    /// <summary>Subtracts; the caller has checked the balance suffices.</summary>
    public void SubtractBalance(Address address, in UInt256 amount)
    {
        var a = Get(address);
        Touch(a);
        if (amount.IsZero) return;
        if (a.Balance < amount) throw new InvalidOperationException($"balance of {address} below {amount}");
        _journal.Add(new JournalEntry { Kind = JournalKind.Balance, Account = a, Old = a.Balance });
        a.Balance = a.Balance - amount;
        a.Dirty = true;
    }

    public void SetNonce(Address address, ulong nonce)
    {
        var a = Get(address);
        MarkExisting(a);
        _journal.Add(new JournalEntry { Kind = JournalKind.Nonce, Account = a, Old = new UInt256(a.Nonce) });
        a.Nonce = nonce;
        a.Dirty = true;
    }

    public void SetCode(Address address, byte[] code)
    {
        var a = Get(address);
        JournalReset(a);
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
        JournalReset(a);
        a.Exists = true;
        a.Nonce = 0;
        a.CodeHash = Keccak256.EmptyHash;
        a.Code = [];
        a.Dirty = true;
        if (_createdInTx.Add(address))
            _journal.Add(new JournalEntry { Kind = JournalKind.CreatedInTx, Account = a });
        a.TouchedEpoch = _warmEpoch;
        if (_touched.Add(address))
            _journal.Add(new JournalEntry { Kind = JournalKind.Touch, Account = a });
    }

    public bool IsCreatedInTransaction(Address address) => _createdInTx.Contains(address);

    /// <summary>Schedules the account's deletion at the end of the transaction (SELFDESTRUCT of a contract created in it).</summary>
    public void MarkDestructed(Address address)
    {
        if (_destructed.Add(address))
            _journal.Add(new JournalEntry { Kind = JournalKind.Destructed, Account = Get(address) });
    }

    // ---- storage ----

    /// <summary>The cached slot, read from the source on first use (zero for a destroyed or absent account).</summary>
    private ref SlotState Slot(WorldAccount a, in UInt256 key)
    {
        ref var s = ref a.Storage.GetOrAdd(key, out bool found);
        if (!found && !a.StorageCleared && a.Exists) s.Value = _source.GetStorage(a.Address, key);
        return ref s;
    }

    public UInt256 GetStorage(Address address, in UInt256 key) => Slot(Get(address), key).Value;

    /// <summary>The slot's value when the current transaction started (EIP-2200's "original value").</summary>
    public UInt256 GetOriginalStorage(Address address, in UInt256 key)
    {
        ref var s = ref Slot(Get(address), key);
        return s.OriginalEpoch == _originalEpoch ? s.TxOriginal : s.Value;
    }

    public void SetStorage(Address address, in UInt256 key, in UInt256 value)
    {
        var a = Get(address);
        ref var s = ref Slot(a, key);
        if (s.OriginalEpoch != _originalEpoch) { s.TxOriginal = s.Value; s.OriginalEpoch = _originalEpoch; }
        // SSTORE of a cold slot journals the warming and then the write: fold the two into one entry when no snapshot lies between them.
        int last = _journal.Count - 1;
        ref var prev = ref last >= _mergeFloor ? ref _journal[last] : ref Unsafe.NullRef<JournalEntry>();
        if (!Unsafe.IsNullRef(ref prev) && prev.Kind == JournalKind.WarmSlot && prev.Account == a && prev.Key == key)
        {
            prev.Kind = JournalKind.WarmStorage;
            prev.Old = s.Value;
        }
        else
        {
            _journal.Add(new JournalEntry { Kind = JournalKind.Storage, Account = a, Key = key, Old = s.Value });
        }
        s.Value = value;
        if (!s.Written) { s.Written = true; a.WrittenCount++; }
        a.Dirty = true;
    }

    /// <summary>
    /// What SSTORE needs in one lookup: marks the slot warm (<paramref name="wasCold"/> when it was not, EIP-2929)
    /// and returns its current and original (EIP-2200) values.
    /// </summary>
    public UInt256 AccessStorageForWrite(Address address, in UInt256 key, out UInt256 original, out bool wasCold)
    {
        var a = Get(address);
        ref var s = ref Slot(a, key);
        wasCold = s.WarmEpoch != _warmEpoch;
        if (wasCold)
        {
            s.WarmEpoch = _warmEpoch;
            _journal.Add(new JournalEntry { Kind = JournalKind.WarmSlot, Account = a, Key = key });
        }
        original = s.OriginalEpoch == _originalEpoch ? s.TxOriginal : s.Value;
        return s.Value;
    }

    /// <summary>
    /// SSTORE's state work in one lookup: marks the slot warm (<paramref name="wasCold"/> when it was not, EIP-2929),
    /// reports its current and original (EIP-2200) values and, when <paramref name="value"/> differs from the current
    /// one, writes it (journaled). The caller charges the gas afterwards: if that fails the frame halts exceptionally
    /// and its revert undoes this write with everything else the frame did.
    /// </summary>
    public UInt256 StoreStorage(Address address, in UInt256 key, in UInt256 value, out UInt256 original, out bool wasCold)
    {
        var a = Get(address);
        ref var s = ref Slot(a, key);
        var current = s.Value;
        wasCold = s.WarmEpoch != _warmEpoch;
        if (s.OriginalEpoch != _originalEpoch) { s.TxOriginal = current; s.OriginalEpoch = _originalEpoch; }
        original = s.TxOriginal;
        if (wasCold) s.WarmEpoch = _warmEpoch;
        if (current == value)
        {
            if (wasCold) _journal.Add(new JournalEntry { Kind = JournalKind.WarmSlot, Account = a, Key = key });
            return current;
        }
        _journal.Add(new JournalEntry { Kind = wasCold ? JournalKind.WarmStorage : JournalKind.Storage, Account = a, Key = key, Old = current });
        s.Value = value;
        if (!s.Written) { s.Written = true; a.WrittenCount++; }
        a.Dirty = true;
        return current;
    }

    /// <summary>What SLOAD needs in one lookup: marks the slot warm (<paramref name="wasCold"/> when it was not) and returns its value.</summary>
    public UInt256 AccessStorage(Address address, in UInt256 key, out bool wasCold)
    {
        var a = Get(address);
        ref var s = ref Slot(a, key);
        wasCold = s.WarmEpoch != _warmEpoch;
        if (wasCold)
        {
            s.WarmEpoch = _warmEpoch;
            _journal.Add(new JournalEntry { Kind = JournalKind.WarmSlot, Account = a, Key = key });
        }
        return s.Value;
    }

    public UInt256 GetTransient(Address address, in UInt256 key) =>
        _transient.TryGetValue(new StorageSlot(address, key), out var v) ? v : UInt256.Zero;

    public void SetTransient(Address address, in UInt256 key, in UInt256 value)
    {
        var slot = new StorageSlot(address, key);
        _journal.Add(new JournalEntry { Kind = JournalKind.Transient, Account = Get(address), Key = key, Old = GetTransient(address, key) });
        _transient[slot] = value;
    }

    // ---- access lists (EIP-2929) ----

    public bool IsWarm(Address address) => Get(address).WarmEpoch == _warmEpoch;

    /// <summary>Marks the address warm; true when it was cold.</summary>
    public bool WarmAddress(Address address)
    {
        var a = Get(address);
        if (a.WarmEpoch == _warmEpoch) return false;
        a.WarmEpoch = _warmEpoch;
        _journal.Add(new JournalEntry { Kind = JournalKind.WarmAddress, Account = a });
        return true;
    }

    /// <summary>Marks the slot warm; true when it was cold.</summary>
    public bool WarmSlot(Address address, in UInt256 key)
    {
        AccessStorage(address, key, out bool wasCold);
        return wasCold;
    }

    // ---- logs and refunds ----

    public void AddLog(LogEntry log) => _logs.Add(log);
    public void AddRefund(long gas) => Refund += gas;
    public void SubtractRefund(long gas) => Refund -= gas;

    // ---- snapshots ----

    public WorldSnapshot TakeSnapshot()
    {
        _mergeFloor = _journal.Count;
        return new(_journal.Count, _logs.Count, Refund);
    }

    public void Revert(WorldSnapshot snapshot)
    {
        for (int i = _journal.Count - 1; i >= snapshot.JournalIndex; i--)
        {
            ref var e = ref _journal[i];
            var a = e.Account;
            switch (e.Kind)
            {
                case JournalKind.Balance: a.Balance = e.Old; break;
                case JournalKind.Nonce: a.Nonce = e.Old.u0; break;
                case JournalKind.Storage: a.Storage.Find(e.Key).Value = e.Old; break;
                case JournalKind.AccountReset:
                    var r = e.Reset!;
                    a.Exists = r.OldExists;
                    a.Nonce = r.OldNonce;
                    a.CodeHash = r.OldCodeHash;
                    a.Code = r.OldCode;
                    a.CodeChanged = r.OldCodeChanged;
                    break;
                case JournalKind.Touch: _touched.Remove(a.Address); a.TouchedEpoch = 0; break;
                case JournalKind.WarmAddress: a.WarmEpoch = 0; break;
                case JournalKind.WarmSlot: a.Storage.Find(e.Key).WarmEpoch = 0; break;
                case JournalKind.WarmStorage:
                    ref var slot = ref a.Storage.Find(e.Key);
                    slot.Value = e.Old;
                    slot.WarmEpoch = 0;
                    break;
                case JournalKind.Transient: _transient[new StorageSlot(a.Address, e.Key)] = e.Old; break;
                case JournalKind.CreatedInTx: _createdInTx.Remove(a.Address); break;
                case JournalKind.Destructed: _destructed.Remove(a.Address); break;
            }
        }
        _journal.Truncate(snapshot.JournalIndex);
        _mergeFloor = _journal.Count;
        _logs.RemoveRange(snapshot.LogCount, _logs.Count - snapshot.LogCount);
        Refund = snapshot.Refund;
    }

    // ---- transaction boundaries ----

    /// <summary>Clears the per-transaction sets (warm, transient, created, touched, logs, refund).</summary>
    public void BeginTransaction()
    {
        _journal.Clear();
        _mergeFloor = 0;
        _warmEpoch++;
        _originalEpoch++;
        _transient.Clear();
        _createdInTx.Clear();
        _destructed.Clear();
        _touched.Clear();
        _logs.Clear();
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
        _mergeFloor = 0;
        _originalEpoch++;
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
        a.WrittenCount = 0;
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
            var storage = new Dictionary<UInt256, UInt256>(a.WrittenCount);
            if (a.WrittenCount > 0)
            {
                for (int i = 0; i < a.Storage.Count; i++)
                {
                    ref var s = ref a.Storage.SlotAt(i);
                    if (!s.Written) continue;
                    storage[a.Storage.KeyAt(i)] = s.Value;
                    s.Written = false;
                }
                a.WrittenCount = 0;
            }
            list.Add(new AccountChange(address, !a.Exists, new AccountInfo(a.Nonce, a.Balance, a.CodeHash),
                a.CodeChanged ? a.Code : null, a.StorageCleared, storage));
            a.Dirty = false;
            a.CodeChanged = false;
            a.StorageCleared = false;
        }
        list.Sort((x, y) => x.Address.CompareTo(y.Address));
        return new WorldChanges(list);
    }
}
