using OpenLedger.Primitives.Crypto;
using OpenLedger.Primitives.Rlp;

namespace OpenLedger.Primitives.Transactions;

/// <summary>
/// An EIP-7702 authorization: the authority (recovered from the signature) lets <see cref="Address"/>'s code run
/// as its own. A bad signature here does not invalidate the transaction: the EVM skips that tuple.
/// </summary>
public sealed record AuthorizationTuple(UInt256 ChainId, Address Address, ulong Nonce, byte YParity, UInt256 R, UInt256 S)
{
    /// <summary>EIP-7702's MAGIC prefix for the authorization signing hash.</summary>
    public const byte Magic = 0x05;

    /// <summary>keccak256(0x05 || rlp([chain_id, address, nonce])).</summary>
    public static Hash256 ComputeSigningHash(in UInt256 chainId, in Address address, ulong nonce)
    {
        int payload = Rlp.Rlp.LengthOf(chainId) + Rlp.Rlp.LengthOf(address) + Rlp.Rlp.LengthOf(nonce);
        Span<byte> buffer = stackalloc byte[1 + Rlp.Rlp.LengthOfList(payload)];
        buffer[0] = Magic;
        var w = new RlpWriter(buffer[1..]);
        w.WriteListHeader(payload);
        w.WriteUInt256(chainId);
        w.WriteAddress(address);
        w.WriteUInt64(nonce);
        return Keccak256.Compute(buffer);
    }

    public Hash256 SigningHash => ComputeSigningHash(ChainId, Address, Nonce);

    /// <summary>Signs an authorization for <paramref name="chainId"/> (0 = any chain).</summary>
    public static AuthorizationTuple Sign(in UInt256 chainId, in Address address, ulong nonce, EthKey key)
    {
        var sig = key.Sign(ComputeSigningHash(chainId, address, nonce));
        if (sig.RecoveryId > 1) throw new InvalidOperationException("recovery id above 1 cannot be expressed as y_parity");
        return new AuthorizationTuple(chainId, address, nonce, sig.RecoveryId, sig.R, sig.S);
    }

    /// <summary>The signer, if the signature is valid under EIP-7702 (y_parity 0/1, s &lt;= n/2, r and s in range).</summary>
    public bool TryRecoverAuthority(out Address authority)
    {
        authority = default;
        if (YParity > 1 || S > Secp256k1.HalfN) return false;
        return Secp256k1.TryRecoverAddress(SigningHash.Bytes, R, S, YParity, out authority);
    }

    internal int PayloadLength =>
        Rlp.Rlp.LengthOf(ChainId) + Rlp.Rlp.LengthOf(Address) + Rlp.Rlp.LengthOf(Nonce) +
        Rlp.Rlp.LengthOf((ulong)YParity) + Rlp.Rlp.LengthOf(R) + Rlp.Rlp.LengthOf(S);

    internal void Write(ref RlpWriter w)
    {
        w.WriteListHeader(PayloadLength);
        w.WriteUInt256(ChainId);
        w.WriteAddress(Address);
        w.WriteUInt64(Nonce);
        w.WriteUInt64(YParity);
        w.WriteUInt256(R);
        w.WriteUInt256(S);
    }
}
