using OpenLedger.Primitives;

namespace OpenLedger.State.World;

/// <summary>The cached, mutable view of one account (existing or not) inside a <see cref="WorldState"/>.</summary>
internal sealed class WorldAccount
{
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

    /// <summary>Current slot values: every slot read or written since the last commit.</summary>
    public readonly Dictionary<UInt256, UInt256> Storage = new();

    /// <summary>Slots written since the last commit.</summary>
    public readonly HashSet<UInt256> Written = new();

    /// <summary>Slot values as they were when the current transaction started (EIP-2200 "original"), for slots it wrote.</summary>
    public Dictionary<UInt256, UInt256>? TxOriginal;

    public bool IsEmpty => Nonce == 0 && Balance.IsZero && CodeHash == Keccak256.EmptyHash;
}
