using OpenLedger.Primitives;
using OpenLedger.State.Accounts;

namespace OpenLedger.Chain.Dev;

/// <summary>One state edit a dev method asked for (anvil_setBalance, anvil_setCode, anvil_setNonce, anvil_setStorageAt).</summary>
public abstract record StateEdit(Address Address)
{
    public abstract void Apply(StateTrie state);
}

public sealed record SetBalanceEdit(Address Address, UInt256 Balance) : StateEdit(Address)
{
    public override void Apply(StateTrie state)
    {
        var a = state.GetAccount(Address);
        state.SetAccount(Address, a?.Nonce ?? 0, Balance, a?.CodeHash ?? Keccak256.EmptyHash);
    }
}

public sealed record SetNonceEdit(Address Address, ulong Nonce) : StateEdit(Address)
{
    public override void Apply(StateTrie state)
    {
        var a = state.GetAccount(Address);
        state.SetAccount(Address, Nonce, a?.Balance ?? UInt256.Zero, a?.CodeHash ?? Keccak256.EmptyHash);
    }
}

public sealed record SetCodeEdit(Address Address, byte[] Code) : StateEdit(Address)
{
    public override void Apply(StateTrie state)
    {
        var a = state.GetAccount(Address);
        var codeHash = state.PutCode(Code);
        state.SetAccount(Address, a?.Nonce ?? 0, a?.Balance ?? UInt256.Zero, codeHash);
    }
}

public sealed record SetStorageEdit(Address Address, UInt256 Slot, UInt256 Value) : StateEdit(Address)
{
    public override void Apply(StateTrie state)
    {
        // A slot of an account that does not exist yet needs the account first.
        if (state.GetAccount(Address) is null) state.SetAccount(Address, 0, UInt256.Zero, Keccak256.EmptyHash);
        state.SetStorage(Address, Slot, Value);
    }
}

/// <summary>
/// What dev mode (the devnet only) may change about block production: the clock (an offset from wall time, or an exact
/// timestamp for the next block) and state edits, which the next block applies before its transactions, so they are
/// committed, hashed into that block's state root and durable like any other block. Snapshots are block hashes that
/// <see cref="Blockchain.Rewind"/> returns to; they live in memory only.
/// </summary>
public sealed class DevControls
{
    private readonly Lock _lock = new();
    private long _offsetSeconds;
    private ulong? _nextTimestamp;
    private readonly List<StateEdit> _edits = [];
    private readonly SortedDictionary<ulong, Hash256> _snapshots = [];
    private ulong _nextSnapshotId;

    /// <summary>Seconds added to wall-clock time for block timestamps (evm_increaseTime).</summary>
    public long OffsetSeconds
    {
        get { lock (_lock) return _offsetSeconds; }
    }

    /// <summary>Moves the clock forward by <paramref name="seconds"/>; returns the total offset, as anvil does.</summary>
    public long IncreaseTime(long seconds)
    {
        lock (_lock) return _offsetSeconds = checked(_offsetSeconds + seconds);
    }

    /// <summary>The next block gets exactly this timestamp; later blocks continue from it (evm_setNextBlockTimestamp).</summary>
    public void SetNextTimestamp(ulong timestamp)
    {
        lock (_lock) _nextTimestamp = timestamp;
    }

    /// <summary>The timestamp for a block produced at wall time <paramref name="now"/>, consuming a pending exact timestamp.</summary>
    internal ulong BlockTimestamp(ulong now)
    {
        lock (_lock)
        {
            if (_nextTimestamp is { } next)
            {
                _nextTimestamp = null;
                _offsetSeconds = (long)next - (long)now; // time goes on from the chosen timestamp
                return next;
            }
            long ts = (long)now + _offsetSeconds;
            return ts < 0 ? 0 : (ulong)ts;
        }
    }

    public void AddEdit(StateEdit edit)
    {
        lock (_lock) _edits.Add(edit);
    }

    internal List<StateEdit> TakeEdits()
    {
        lock (_lock)
        {
            var edits = _edits.ToList();
            _edits.Clear();
            return edits;
        }
    }

    /// <summary>Edits go back in front of any added since, when the block that was to apply them failed.</summary>
    internal void RestoreEdits(List<StateEdit> edits)
    {
        lock (_lock) _edits.InsertRange(0, edits);
    }

    public ulong Snapshot(Hash256 head)
    {
        lock (_lock)
        {
            var id = _nextSnapshotId++;
            _snapshots[id] = head;
            return id;
        }
    }

    /// <summary>The snapshot's block, dropping it and every later snapshot (as anvil does); null when unknown.</summary>
    public Hash256? TakeSnapshot(ulong id)
    {
        lock (_lock)
        {
            if (!_snapshots.TryGetValue(id, out var hash)) return null;
            foreach (var later in _snapshots.Keys.Where(k => k >= id).ToList()) _snapshots.Remove(later);
            return hash;
        }
    }
}
