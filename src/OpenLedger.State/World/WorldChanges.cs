using OpenLedger.Primitives;

namespace OpenLedger.State.World;

/// <summary>
/// One account's change since the last commit. <see cref="Deleted"/> removes the account and its storage;
/// <see cref="StorageCleared"/> means the old storage is gone before <see cref="Storage"/> applies
/// (the account was destroyed and recreated). Zero in <see cref="Storage"/> deletes the slot.
/// </summary>
public sealed record AccountChange(
    Address Address,
    bool Deleted,
    AccountInfo Info,
    byte[]? Code,
    bool StorageCleared,
    IReadOnlyDictionary<UInt256, UInt256> Storage);

/// <summary>Everything <see cref="WorldState.Commit"/> hands to the state trie, sorted by address for determinism.</summary>
public sealed record WorldChanges(IReadOnlyList<AccountChange> Accounts);
