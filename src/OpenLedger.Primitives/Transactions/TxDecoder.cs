using OpenLedger.Primitives.Rlp;

namespace OpenLedger.Primitives.Transactions;

/// <summary>
/// Strict decoder for the canonical encoding <see cref="Transaction.Encode"/> writes: exact field counts, canonical
/// RLP (no leading zeros, minimal headers), fixed-size addresses and hashes, no trailing bytes. Semantic rules
/// (signature, fork, gas) are <see cref="TxValidator"/>'s. Lengths are checked against the input, never trusted
/// for allocation, so a hostile length prefix costs nothing.
/// </summary>
public static partial class TxDecoder
{
    public static Transaction Decode(ReadOnlySpan<byte> encoded)
    {
        if (encoded.IsEmpty) throw new TransactionDecodingException("empty input");
        byte first = encoded[0];
        if (first >= 0xC0) return DecodeBody(TxType.Legacy, encoded);
        if (first >= 0x80)
            throw new TransactionDecodingException($"a transaction is an RLP list or a type byte followed by one; found RLP string prefix 0x{first:x2}") { IsUnsupportedType = true };
        if (first == (byte)TxType.Deposit) return DecodeDeposit(encoded[1..]);
        if (first is < (byte)TxType.AccessList or > (byte)TxType.SetCode)
            throw new TransactionDecodingException($"unsupported transaction type 0x{first:x2}") { IsUnsupportedType = true };
        return DecodeBody((TxType)first, encoded[1..]);
    }

    public static bool TryDecode(ReadOnlySpan<byte> encoded, out Transaction? transaction, out TransactionDecodingException? error)
    {
        try
        {
            transaction = Decode(encoded);
            error = null;
            return true;
        }
        catch (TransactionDecodingException e)
        {
            transaction = null;
            error = e;
            return false;
        }
    }

    private static Transaction DecodeBody(TxType type, ReadOnlySpan<byte> body)
    {
        var tx = new Transaction { Type = type };
        var at = new FieldName("transaction");
        try
        {
            var outer = new RlpReader(body);
            var list = outer.EnterList();
            outer.End();
            if (type == TxType.Blob && list.HasMore && list.IsList)
                throw new TransactionDecodingException("blob transaction with a network sidecar (blobs, commitments, proofs); decode the inner transaction", "transaction");

            if (type != TxType.Legacy) tx.ChainId = Next(ref list, ref at, "chainId").ReadUInt64();
            tx.Nonce = Next(ref list, ref at, "nonce").ReadUInt64();
            if (tx.HasDynamicFee)
            {
                tx.MaxPriorityFeePerGas = Next(ref list, ref at, "maxPriorityFeePerGas").ReadUInt256();
                tx.MaxFeePerGas = Next(ref list, ref at, "maxFeePerGas").ReadUInt256();
            }
            else
            {
                tx.GasPrice = Next(ref list, ref at, "gasPrice").ReadUInt256();
            }
            tx.GasLimit = Next(ref list, ref at, "gasLimit").ReadUInt64();
            tx.To = Next(ref list, ref at, "to").ReadOptionalAddress();
            tx.Value = Next(ref list, ref at, "value").ReadUInt256();
            tx.Data = Next(ref list, ref at, "data").ReadByteArray();
            if (tx.HasAccessList) tx.AccessList = ReadAccessList(ref Next(ref list, ref at, "accessList"), ref at);
            if (type == TxType.Blob)
            {
                tx.MaxFeePerBlobGas = Next(ref list, ref at, "maxFeePerBlobGas").ReadUInt256();
                var hashes = Next(ref list, ref at, "blobVersionedHashes").EnterList();
                var blobHashes = new List<Hash256>();
                for (int i = 0; hashes.HasMore; i++)
                {
                    at = new FieldName("blobVersionedHashes", i);
                    blobHashes.Add(hashes.ReadHash());
                }
                tx.BlobVersionedHashes = blobHashes;
            }
            if (type == TxType.SetCode) tx.AuthorizationList = ReadAuthorizations(ref Next(ref list, ref at, "authorizationList"), ref at);

            tx.V = Next(ref list, ref at, type == TxType.Legacy ? "v" : "yParity").ReadUInt256();
            tx.R = Next(ref list, ref at, "r").ReadUInt256();
            tx.S = Next(ref list, ref at, "s").ReadUInt256();
            if (list.HasMore) throw new TransactionDecodingException($"too many fields for a {type} transaction", "transaction");

            if (type == TxType.Legacy && Transaction.TryLegacyChainId(tx.V, out var chainId, out _)) tx.ChainId = chainId;
            return tx;
        }
        catch (RlpException e)
        {
            throw new TransactionDecodingException(e.Message, at.ToString(), e);
        }
    }

    /// <summary>Names the next field for error messages and fails clearly when the list has run out.</summary>
    private static ref RlpReader Next(ref RlpReader list, ref FieldName at, string name)
    {
        at = new FieldName(name);
        if (!list.HasMore) throw new TransactionDecodingException("missing (too few fields)", name);
        return ref list;
    }

    private static List<AccessListItem> ReadAccessList(ref RlpReader reader, ref FieldName at)
    {
        var outer = reader.EnterList();
        var items = new List<AccessListItem>();
        for (int i = 0; outer.HasMore; i++)
        {
            at = new FieldName("accessList", i);
            var entry = outer.EnterList();
            at = new FieldName("accessList", i, ".address");
            if (!entry.HasMore) throw new TransactionDecodingException("missing", at.ToString());
            var address = entry.ReadAddress();
            at = new FieldName("accessList", i, ".storageKeys");
            if (!entry.HasMore) throw new TransactionDecodingException("missing", at.ToString());
            var keysReader = entry.EnterList();
            var keys = new List<Hash256>();
            while (keysReader.HasMore)
            {
                at = new FieldName("accessList", i, ".storageKeys", keys.Count);
                keys.Add(keysReader.ReadHash());
            }
            if (entry.HasMore) throw new TransactionDecodingException("an access list entry has exactly two fields", new FieldName("accessList", i).ToString());
            items.Add(new AccessListItem(address, keys));
        }
        return items;
    }

    private static List<AuthorizationTuple> ReadAuthorizations(ref RlpReader reader, ref FieldName at)
    {
        var outer = reader.EnterList();
        var items = new List<AuthorizationTuple>();
        for (int i = 0; outer.HasMore; i++)
        {
            at = new FieldName("authorizationList", i);
            var t = outer.EnterList();
            var chainId = NextIn(ref t, ref at, i, ".chainId").ReadUInt256();
            var address = NextIn(ref t, ref at, i, ".address").ReadAddress();
            var nonce = NextIn(ref t, ref at, i, ".nonce").ReadUInt64();
            var yParity = NextIn(ref t, ref at, i, ".yParity").ReadUInt32();
            if (yParity > byte.MaxValue) throw new TransactionDecodingException($"y_parity {yParity} does not fit 8 bits", at.ToString());
            var r = NextIn(ref t, ref at, i, ".r").ReadUInt256();
            var s = NextIn(ref t, ref at, i, ".s").ReadUInt256();
            if (t.HasMore) throw new TransactionDecodingException("an authorization has exactly six fields", new FieldName("authorizationList", i).ToString());
            items.Add(new AuthorizationTuple(chainId, address, nonce, (byte)yParity, r, s));
        }
        return items;
    }

    private static ref RlpReader NextIn(ref RlpReader list, ref FieldName at, int index, string suffix)
    {
        at = new FieldName("authorizationList", index, suffix);
        if (!list.HasMore) throw new TransactionDecodingException("missing", at.ToString());
        return ref list;
    }

    /// <summary>A field path formatted only when an error is reported, so the happy path allocates nothing for it.</summary>
    private readonly record struct FieldName(string Name, int Index = -1, string? Suffix = null, int SubIndex = -1)
    {
        public override string ToString() =>
            Name + (Index >= 0 ? $"[{Index}]" : "") + Suffix + (SubIndex >= 0 ? $"[{SubIndex}]" : "");
    }
}
