using OpenLedger.Primitives;

namespace OpenLedger.State.World;

/// <summary>
/// Committed state the world state reads through on a cache miss: a dictionary pre-state in tests,
/// the persistent trie in the node. Reads only; changes leave the world state as <see cref="WorldChanges"/>.
/// </summary>
public interface IWorldSource
{
    /// <summary>The account, or null when it does not exist.</summary>
    AccountInfo? GetAccount(Address address);

    /// <summary>A storage slot; zero when unset or when the account does not exist.</summary>
    UInt256 GetStorage(Address address, in UInt256 key);

    /// <summary>True when the account has at least one non-zero slot (EIP-7610 create collision).</summary>
    bool HasStorage(Address address);

    /// <summary>Code by hash; empty for <see cref="Keccak256.EmptyHash"/>.</summary>
    byte[] GetCode(Hash256 codeHash);
}
