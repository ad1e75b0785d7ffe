using OpenLedger.Primitives;

namespace OpenLedger.State.World;

/// <summary>
/// Everything the world state keeps about one cached storage slot, so SLOAD/SSTORE cost one dictionary lookup:
/// the current value, the value when the current transaction started (EIP-2200 "original"), whether the slot is
/// warm (EIP-2929) and whether it was written since the last commit. The per-transaction facts are epoch stamps,
/// so starting a transaction forgets them all without touching any slot.
/// </summary>
internal struct SlotState
{
    public UInt256 Value;
    /// <summary>Valid only when <see cref="OriginalEpoch"/> is the world's current original-value epoch; otherwise the original is <see cref="Value"/>.</summary>
    public UInt256 TxOriginal;
    public int OriginalEpoch;
    /// <summary>Warm when equal to the world's current warm epoch.</summary>
    public int WarmEpoch;
    /// <summary>Written since the last commit.</summary>
    public bool Written;
}

/// <summary>The cached, mutable view of one account (existing or not) inside a <see cref="WorldState"/>.</summary>
internal sealed class WorldAccount(Address address)
{
    public readonly Address Address = address;
    public bool Exists;
    public ulong Nonce;
    public UInt256 Balance;
    public Hash256 CodeHash = Keccak256.EmptyHash;
    public byte[]? Code; // loaded lazily from the source

    /// <summary>The backing source's storage no longer applies (destroyed since the last commit).</summary>
    public bool StorageCleared;

    /// <summary>Changed since the last commit; such accounts go into <see cref="WorldChanges"/>.</summary>
    public bool Dirty;
    public bool CodeChanged;

    /// <summary>EIP-2929: the address is warm when this equals the world's current warm epoch.</summary>
    public int WarmEpoch;

    /// <summary>In the world's touched set (EIP-161) when this equals the current warm epoch (both reset per transaction).</summary>
    public int TouchedEpoch;

    /// <summary>Every slot read, written or warmed since the last commit (see <see cref="SlotState"/>).</summary>
    public readonly SlotMap Storage = new();

    /// <summary>Number of slots with <see cref="SlotState.Written"/> set.</summary>
    public int WrittenCount;

    public bool IsEmpty => Nonce == 0 && Balance.IsZero && CodeHash == Keccak256.EmptyHash;
}
