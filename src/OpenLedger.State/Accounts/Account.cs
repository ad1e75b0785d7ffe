using OpenLedger.Primitives;
using OpenLedger.Primitives.Rlp;
using OpenLedger.State.Trie;
using RlpSizes = OpenLedger.Primitives.Rlp.Rlp;

namespace OpenLedger.State.Accounts;

/// <summary>The account record kept in the state trie: rlp([nonce, balance, storageRoot, codeHash]).</summary>
public readonly record struct Account(ulong Nonce, UInt256 Balance, Hash256 StorageRoot, Hash256 CodeHash)
{
    /// <summary>No nonce, no balance, no storage, no code.</summary>
    public static readonly Account Empty = new(0, UInt256.Zero, PatriciaTrie.EmptyRoot, Keccak256.EmptyHash);

    /// <summary>EIP-161 emptiness: zero nonce, zero balance, no code (storage is not considered).</summary>
    public bool IsEmpty => Nonce == 0 && Balance.IsZero && CodeHash == Keccak256.EmptyHash;

    public bool HasCode => CodeHash != Keccak256.EmptyHash;

    public int EncodedLength => RlpSizes.LengthOfList(PayloadLength);

    private int PayloadLength => RlpSizes.LengthOf(Nonce) + RlpSizes.LengthOf(Balance) + 2 * (1 + Hash256.Length);

    public int EncodeTo(Span<byte> destination)
    {
        var w = new RlpWriter(destination);
        w.WriteListHeader(PayloadLength);
        w.WriteUInt64(Nonce);
        w.WriteUInt256(Balance);
        w.WriteHash(StorageRoot);
        w.WriteHash(CodeHash);
        return w.Position;
    }

    public byte[] Encode()
    {
        var result = new byte[EncodedLength];
        EncodeTo(result);
        return result;
    }

    /// <summary>Decodes an account record; every field must be canonical and nothing may follow.</summary>
    /// <exception cref="RlpException">The bytes are not a well-formed account record; the message names the field.</exception>
    public static Account Decode(ReadOnlySpan<byte> rlp)
    {
        var outer = new RlpReader(rlp);
        var r = outer.EnterList();
        outer.End();
        var nonce = Field(ref r, "nonce", static (ref RlpReader x) => x.ReadUInt64());
        var balance = Field(ref r, "balance", static (ref RlpReader x) => x.ReadUInt256());
        var storageRoot = Field(ref r, "storageRoot", static (ref RlpReader x) => x.ReadHash());
        var codeHash = Field(ref r, "codeHash", static (ref RlpReader x) => x.ReadHash());
        if (r.HasMore) throw new RlpException("account record has more than 4 fields");
        return new Account(nonce, balance, storageRoot, codeHash);
    }

    private delegate T FieldReader<T>(ref RlpReader reader);

    private static T Field<T>(ref RlpReader reader, string name, FieldReader<T> read)
    {
        if (!reader.HasMore) throw new RlpException($"account record ends before its {name} field");
        try
        {
            return read(ref reader);
        }
        catch (RlpException e)
        {
            throw new RlpException($"account {name}: {e.Message}");
        }
    }
}
