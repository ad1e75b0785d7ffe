using OpenLedger.Primitives;

namespace OpenLedger.State.Accounts;

/// <summary>
/// One account of a whole state given at once (a genesis allocation, a state test's pre or post state):
/// its fields and its storage, slot -> value. Zero values in <see cref="Storage"/> count as absent.
/// </summary>
public sealed record AccountData(ulong Nonce, UInt256 Balance, Hash256 CodeHash, IReadOnlyDictionary<UInt256, UInt256>? Storage = null)
{
    /// <summary>An account whose code hash is keccak256(<paramref name="code"/>).</summary>
    public static AccountData WithCode(ulong nonce, UInt256 balance, ReadOnlySpan<byte> code, IReadOnlyDictionary<UInt256, UInt256>? storage = null) =>
        new(nonce, balance, Keccak256.Compute(code), storage);
}
