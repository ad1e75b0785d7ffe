using OpenLedger.Primitives;

namespace OpenLedger.State.World;

internal enum JournalKind : byte
{
    Balance,
    Nonce,
    Storage,
    /// <summary>Existence, nonce and code together (account created, recreated, or code set).</summary>
    AccountReset,
    Touch,
    WarmAddress,
    WarmSlot,
    Transient,
    CreatedInTx,
    Destructed,
}

/// <summary>One undo record. Journals are only appended and truncated, so a struct list with no per-change allocation.</summary>
internal struct JournalEntry
{
    public JournalKind Kind;
    public Address Address;
    public WorldAccount? Account;
    public UInt256 Key;
    public UInt256 Old;
    public ulong OldNonce;
    public bool OldExists;
    public bool OldFlag;
    public Hash256 OldCodeHash;
    public byte[]? OldCode;
}

/// <summary>A point to revert to: the journal length plus the log count and refund counter at that moment.</summary>
public readonly record struct WorldSnapshot(int JournalIndex, int LogCount, long Refund);

/// <summary>A storage slot's identity, for warm sets and transient storage.</summary>
public readonly record struct StorageSlot(Address Address, UInt256 Key);
