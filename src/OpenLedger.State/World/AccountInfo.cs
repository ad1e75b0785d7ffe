using OpenLedger.Primitives;

namespace OpenLedger.State.World;

/// <summary>The account fields the world state reads from its backing source (storage is read per slot).</summary>
public readonly record struct AccountInfo(ulong Nonce, UInt256 Balance, Hash256 CodeHash)
{
    /// <summary>EIP-161 emptiness: no nonce, no balance, no code.</summary>
    public bool IsEmpty => Nonce == 0 && Balance.IsZero && CodeHash == Keccak256.EmptyHash;
}
