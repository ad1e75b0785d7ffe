using OpenLedger.Evm.Execution;
using OpenLedger.Primitives;
using OpenLedger.Primitives.Transactions;
using OpenLedger.State.World;

namespace OpenLedger.Evm.Transactions;

/// <summary>
/// EIP-7702 authorization processing, after the sender's nonce is bumped and before the call. A tuple that fails any
/// check is skipped, never failing the transaction: wrong chain id (neither 0 nor ours), nonce 2^64-1, a bad signature
/// (y parity not 0/1, r or s out of range, s above n/2, nothing recovers), an authority with code other than a
/// designator, or a nonce other than the authority's. A valid tuple warms the authority, writes 0xef0100 ++ address
/// (or clears the code for the zero address) and bumps the authority's nonce. These writes stand even if the call
/// reverts. Returns the refund for authorities that already existed (25000 - 12500 each).
/// </summary>
public static class SetCodeAuthorizations
{
    public static long Apply(WorldState world, IReadOnlyList<AuthorizationTuple> authorizations, in UInt256 chainId, ForkSpec spec)
    {
        long refund = 0;
        foreach (var auth in authorizations)
        {
            if (!auth.ChainId.IsZero && auth.ChainId != chainId) continue;
            if (auth.Nonce == ulong.MaxValue) continue;
            if (!auth.TryRecoverAuthority(out var authority)) continue;
            world.WarmAddress(authority);
            var code = world.GetCode(authority);
            if (code.Length != 0 && !Delegation.IsDesignator(code)) continue;
            if (world.GetNonce(authority) != auth.Nonce) continue;
            if (world.Exists(authority)) refund += spec.Gas.PerEmptyAccount - spec.Gas.PerAuthBase;
            world.SetCode(authority, auth.Address == Address.Zero ? [] : Delegation.Designator(auth.Address));
            world.SetNonce(authority, auth.Nonce + 1);
        }
        return refund;
    }
}
