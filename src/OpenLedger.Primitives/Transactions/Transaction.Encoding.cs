using OpenLedger.Primitives.Rlp;
using RlpSize = OpenLedger.Primitives.Rlp.Rlp;

namespace OpenLedger.Primitives.Transactions;

public sealed partial class Transaction
{
    /// <summary>
    /// Canonical network/consensus encoding: legacy = RLP list, typed = type byte || RLP list
    /// (blob transactions without the pooled-network sidecar of blobs, commitments and proofs).
    /// </summary>
    public byte[] Encode() => Type == TxType.Deposit ? EncodeDeposit() : EncodeCore(signed: true, ChainId);

    /// <summary>The bytes whose keccak256 is signed: EIP-155 appends (chainId, 0, 0) for legacy with a chain id.</summary>
    internal byte[] EncodeForSigning(ulong? chainId) => EncodeCore(signed: false, chainId);

    /// <summary>The unsigned EIP-2718 encoding (what is signed; what OP's GasPriceOracle.getL1Fee takes).</summary>
    public byte[] EncodeUnsigned() => EncodeForSigning(ChainId);

    private byte[] EncodeCore(bool signed, ulong? chainId)
    {
        if (Type == TxType.Deposit) throw new InvalidOperationException("deposit transactions are not signed");
        int payload = PayloadLength(signed, chainId);
        int prefix = Type == TxType.Legacy ? 0 : 1;
        var result = new byte[prefix + RlpSize.LengthOfList(payload)];
        if (prefix == 1) result[0] = (byte)Type;
        var w = new RlpWriter(result.AsSpan(prefix));
        w.WriteListHeader(payload);
        WriteFields(ref w, signed, chainId);
        if (prefix + w.Position != result.Length) throw new InvalidOperationException("transaction encoding length mismatch");
        return result;
    }

    private int PayloadLength(bool signed, ulong? chainId)
    {
        int len = 0;
        if (Type != TxType.Legacy) len += RlpSize.LengthOf(ChainId ?? 0);
        len += RlpSize.LengthOf(Nonce);
        if (HasDynamicFee) len += RlpSize.LengthOf(MaxPriorityFeePerGas) + RlpSize.LengthOf(MaxFeePerGas);
        else len += RlpSize.LengthOf(GasPrice);
        len += RlpSize.LengthOf(GasLimit) + RlpSize.LengthOfOptionalAddress(To) + RlpSize.LengthOf(Value) + RlpSize.LengthOf(Data);
        if (HasAccessList) len += RlpSize.LengthOfList(AccessListPayloadLength());
        if (Type == TxType.Blob) len += RlpSize.LengthOf(MaxFeePerBlobGas) + RlpSize.LengthOfList(BlobVersionedHashes.Count * 33);
        if (Type == TxType.SetCode) len += RlpSize.LengthOfList(AuthorizationListPayloadLength());
        if (signed) len += RlpSize.LengthOf(V) + RlpSize.LengthOf(R) + RlpSize.LengthOf(S);
        else if (Type == TxType.Legacy && chainId is { } id) len += RlpSize.LengthOf(id) + 2;
        return len;
    }

    private void WriteFields(ref RlpWriter w, bool signed, ulong? chainId)
    {
        if (Type != TxType.Legacy) w.WriteUInt64(ChainId ?? 0);
        w.WriteUInt64(Nonce);
        if (HasDynamicFee)
        {
            w.WriteUInt256(MaxPriorityFeePerGas);
            w.WriteUInt256(MaxFeePerGas);
        }
        else
        {
            w.WriteUInt256(GasPrice);
        }
        w.WriteUInt64(GasLimit);
        w.WriteOptionalAddress(To);
        w.WriteUInt256(Value);
        w.WriteBytes(Data);
        if (HasAccessList) WriteAccessList(ref w);
        if (Type == TxType.Blob)
        {
            w.WriteUInt256(MaxFeePerBlobGas);
            w.WriteListHeader(BlobVersionedHashes.Count * 33);
            foreach (var h in BlobVersionedHashes) w.WriteHash(h);
        }
        if (Type == TxType.SetCode)
        {
            w.WriteListHeader(AuthorizationListPayloadLength());
            foreach (var a in AuthorizationList) a.Write(ref w);
        }
        if (signed)
        {
            w.WriteUInt256(V);
            w.WriteUInt256(R);
            w.WriteUInt256(S);
        }
        else if (Type == TxType.Legacy && chainId is { } id)
        {
            w.WriteUInt64(id);
            w.WriteUInt64(0);
            w.WriteUInt64(0);
        }
    }

    private int AccessListPayloadLength()
    {
        int len = 0;
        foreach (var item in AccessList) len += RlpSize.LengthOfList(AccessItemPayloadLength(item));
        return len;
    }

    private static int AccessItemPayloadLength(AccessListItem item) => 21 + RlpSize.LengthOfList(item.StorageKeys.Count * 33);

    private void WriteAccessList(ref RlpWriter w)
    {
        w.WriteListHeader(AccessListPayloadLength());
        foreach (var item in AccessList)
        {
            w.WriteListHeader(AccessItemPayloadLength(item));
            w.WriteAddress(item.Address);
            w.WriteListHeader(item.StorageKeys.Count * 33);
            foreach (var key in item.StorageKeys) w.WriteHash(key);
        }
    }

    private int AuthorizationListPayloadLength()
    {
        int len = 0;
        foreach (var a in AuthorizationList) len += RlpSize.LengthOfList(a.PayloadLength);
        return len;
    }
}
