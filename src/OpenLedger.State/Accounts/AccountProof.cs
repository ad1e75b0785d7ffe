using OpenLedger.Primitives;
using OpenLedger.Primitives.Rlp;
using OpenLedger.State.Trie;

namespace OpenLedger.State.Accounts;

/// <summary>One storage slot's EIP-1186 proof: the value (zero when absent) and the storage-trie nodes from its root.</summary>
public sealed record StorageProof(UInt256 Key, UInt256 Value, IReadOnlyList<byte[]> Proof);

/// <summary>
/// EIP-1186 (eth_getProof) data for one account: the account fields (those of <see cref="Account.Empty"/>
/// when it does not exist), the state-trie nodes from the state root, and proofs for the requested slots.
/// </summary>
public sealed record AccountProof(Address Address, bool Exists, Account Account, IReadOnlyList<byte[]> Proof, IReadOnlyList<StorageProof> StorageProofs)
{
    /// <summary>The account's storage root (EIP-1186 storageHash).</summary>
    public Hash256 StorageHash => Account.StorageRoot;

    /// <summary>Checks every proof against <paramref name="stateRoot"/> and that they prove exactly the values carried here.</summary>
    /// <exception cref="InvalidProofException">A proof is invalid or proves something else; the message says which.</exception>
    public void Verify(Hash256 stateRoot)
    {
        var leaf = SecureTrie.VerifyProof(stateRoot, Address.Bytes, Proof);
        if (leaf is null)
        {
            if (Exists || Account != Account.Empty)
                throw new InvalidProofException($"account proof shows {Address} absent, but the proof data claims it exists");
        }
        else
        {
            Account proven;
            try
            {
                proven = Account.Decode(leaf);
            }
            catch (RlpException e)
            {
                throw new InvalidProofException($"account proof for {Address} leads to a malformed account: {e.Message}", e);
            }
            if (!Exists || proven != Account)
                throw new InvalidProofException($"account proof for {Address} proves {proven}, not the claimed {Account}");
        }

        Span<byte> key = stackalloc byte[32];
        foreach (var sp in StorageProofs)
        {
            StorageSlot.WriteKey(sp.Key, key);
            var raw = SecureTrie.VerifyProof(Account.StorageRoot, key, sp.Proof);
            UInt256 proven;
            try
            {
                proven = raw is null ? UInt256.Zero : StorageSlot.DecodeValue(raw);
            }
            catch (RlpException e)
            {
                throw new InvalidProofException($"storage proof for slot {sp.Key} leads to a malformed value: {e.Message}", e);
            }
            if (proven != sp.Value)
                throw new InvalidProofException($"storage proof for slot {sp.Key} proves {proven}, not the claimed {sp.Value}");
        }
    }
}
