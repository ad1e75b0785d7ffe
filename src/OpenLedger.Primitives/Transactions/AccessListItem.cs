namespace OpenLedger.Primitives.Transactions;

/// <summary>One EIP-2930 access-list entry: an address and the storage slots to pre-warm.</summary>
public sealed record AccessListItem(Address Address, IReadOnlyList<Hash256> StorageKeys)
{
    public AccessListItem(Address address, params Hash256[] storageKeys) : this(address, (IReadOnlyList<Hash256>)storageKeys) { }

    public bool Equals(AccessListItem? other) =>
        other is not null && Address == other.Address && StorageKeys.SequenceEqual(other.StorageKeys);

    public override int GetHashCode() => HashCode.Combine(Address, StorageKeys.Count);
}
