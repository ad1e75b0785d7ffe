using OpenLedger.Primitives.Crypto;

namespace OpenLedger.Primitives.Transactions;

/// <summary>
/// Stateless ("intrinsic") validity of a decoded transaction under a fork: type support, field ranges, fee sanity,
/// intrinsic gas, and the signature (returning the sender). State checks (nonce, balance, base fee) are the
/// caller's.
/// </summary>
public static class TxValidator
{
    /// <summary>The sender, or <see cref="InvalidTransactionException"/> naming the broken rule.</summary>
    public static Address Validate(Transaction tx, TxForkRules rules, ulong chainId)
    {
        var error = Check(tx, rules, chainId, out var sender);
        return error is null ? sender : throw error;
    }

    public static bool IsValid(Transaction tx, TxForkRules rules, ulong chainId, out Address sender, out InvalidTransactionException? error)
    {
        error = Check(tx, rules, chainId, out sender);
        return error is null;
    }

    private static InvalidTransactionException? Check(Transaction tx, TxForkRules rules, ulong chainId, out Address sender)
    {
        sender = default;
        if (tx.Type == TxType.Deposit)
            return Fail(TxInvalidReason.TypeNotSupported, "deposit transactions (type 0x7e) are derived from L1 by the rollup node and cannot be submitted");
        if (!rules.Supports(tx.Type))
            return Fail(TxInvalidReason.TypeNotSupported, $"{tx.Type} transactions are not supported before {FirstForkFor(tx.Type)} (fork {rules.Name})");

        // Signature and chain id first, as geth and the reference fixtures order it: a transaction nobody signed
        // for this chain is reported as such whatever else is wrong with it.
        if (!tx.TryGetRecoveryId(out _, out var signedChainId))
            // A legacy V other than 0/1 (plainly a bad recovery id) claims some chain: geth's isProtectedV.
            return Fail(tx.Type == TxType.Legacy && rules.Eip155 && tx.V > UInt256.One ? TxInvalidReason.InvalidChainId : TxInvalidReason.InvalidSignature,
                tx.Type == TxType.Legacy ? $"legacy v {tx.V} is neither 27/28 nor a valid EIP-155 value" : $"y parity {tx.V} is not 0 or 1");
        if (signedChainId is { } id)
        {
            if (tx.Type == TxType.Legacy && !rules.Eip155)
                return Fail(TxInvalidReason.InvalidSignature, $"EIP-155 v {tx.V} before {TxForkRules.SpuriousDragon.Name}");
            if (id != chainId) return Fail(TxInvalidReason.InvalidChainId, $"chain id {id}, expected {chainId}");
        }
        else if (tx.Type != TxType.Legacy)
        {
            return Fail(TxInvalidReason.InvalidChainId, "typed transaction without a chain id");
        }
        if (!tx.TryRecoverSender(out sender, allowHighS: !rules.Eip2))
            return Fail(TxInvalidReason.InvalidSignature, "invalid signature: r or s out of range" + (rules.Eip2 ? ", s above n/2," : "") + " or no public key recovers");

        // EIP-2681
        if (tx.Nonce == ulong.MaxValue) return Fail(TxInvalidReason.NonceTooBig, "nonce must be below 2^64-1");

        if (tx.HasDynamicFee && tx.MaxPriorityFeePerGas > tx.MaxFeePerGas)
            return Fail(TxInvalidReason.PriorityFeeGreaterThanMaxFee, "maxPriorityFeePerGas exceeds maxFeePerGas");
        if (UInt256.MultiplyOverflow(new UInt256(tx.GasLimit), tx.FeeCap, out _))
            return Fail(TxInvalidReason.GasLimitPriceProductOverflow, "gasLimit × fee cap overflows 256 bits");

        if (tx.Type == TxType.Blob)
        {
            if (tx.To is null) return Fail(TxInvalidReason.BlobTxCreate, "blob transactions cannot create contracts");
            if (tx.BlobVersionedHashes.Count == 0) return Fail(TxInvalidReason.EmptyBlobHashes, "blob transaction without blob hashes");
            if (tx.BlobVersionedHashes.Count > rules.MaxBlobsPerBlock)
                return Fail(TxInvalidReason.TooManyBlobs, $"{tx.BlobVersionedHashes.Count} blobs exceed the {rules.MaxBlobsPerBlock} a block may hold");
            foreach (var h in tx.BlobVersionedHashes)
                if (h.Bytes[0] != GasCosts.BlobCommitmentVersionKzg)
                    return Fail(TxInvalidReason.InvalidBlobVersionedHash, $"blob versioned hash {h} has version 0x{h.Bytes[0]:x2}, expected 0x01");
            if (UInt256.MultiplyOverflow(new UInt256((ulong)tx.BlobVersionedHashes.Count * GasCosts.GasPerBlob), tx.MaxFeePerBlobGas, out _))
                return Fail(TxInvalidReason.GasLimitPriceProductOverflow, "blob gas × maxFeePerBlobGas overflows 256 bits");
        }
        if (tx.Type == TxType.SetCode)
        {
            if (tx.To is null) return Fail(TxInvalidReason.SetCodeTxCreate, "set-code transactions cannot create contracts");
            if (tx.AuthorizationList.Count == 0) return Fail(TxInvalidReason.EmptyAuthorizationList, "set-code transaction with an empty authorization list");
        }

        if (rules.Eip3860 && tx.IsContractCreation && tx.Data.Length > GasCosts.MaxInitcodeSize)
            return Fail(TxInvalidReason.InitcodeSizeExceeded, $"initcode of {tx.Data.Length} bytes exceeds {GasCosts.MaxInitcodeSize}");
        ulong intrinsic = IntrinsicGas(tx, rules);
        if (tx.GasLimit < intrinsic)
            return Fail(TxInvalidReason.IntrinsicGasTooLow, $"gas limit {tx.GasLimit} below intrinsic gas {intrinsic}");
        if (rules.Eip7623 && tx.GasLimit < FloorDataGas(tx))
            return Fail(TxInvalidReason.IntrinsicGasTooLow, $"gas limit {tx.GasLimit} below the EIP-7623 calldata floor {FloorDataGas(tx)}");

        return null;
    }

    /// <summary>Gas charged before execution: base, calldata, creation, initcode words, access list, authorizations.</summary>
    public static ulong IntrinsicGas(Transaction tx, TxForkRules rules)
    {
        ulong gas = GasCosts.Transaction;
        if (tx.IsContractCreation && rules.Eip2) gas += GasCosts.ContractCreation;
        ulong zeros = (ulong)tx.Data.AsSpan().Count((byte)0);
        ulong nonZeros = (ulong)tx.Data.Length - zeros;
        gas += zeros * GasCosts.TxDataZero + nonZeros * (rules.Eip2028 ? GasCosts.TxDataNonZeroEip2028 : GasCosts.TxDataNonZeroFrontier);
        if (tx.IsContractCreation && rules.Eip3860) gas += GasCosts.InitcodeWord * (((ulong)tx.Data.Length + 31) / 32);
        foreach (var item in tx.AccessList)
            gas += GasCosts.AccessListAddress + GasCosts.AccessListStorageKey * (ulong)item.StorageKeys.Count;
        gas += GasCosts.PerEmptyAccount * (ulong)tx.AuthorizationList.Count;
        return gas; // bounded by the encoded size times 68: no overflow for any decodable input
    }

    /// <summary>EIP-7623: 21000 + 10 per token, a zero byte being one token and a non-zero byte four.</summary>
    public static ulong FloorDataGas(Transaction tx)
    {
        ulong zeros = (ulong)tx.Data.AsSpan().Count((byte)0);
        ulong tokens = zeros + 4 * ((ulong)tx.Data.Length - zeros);
        return GasCosts.Transaction + GasCosts.TotalCostFloorPerToken * tokens;
    }

    private static string FirstForkFor(TxType type) => TxForkRules.All.FirstOrDefault(f => f.Supports(type))?.Name ?? "any fork";

    private static InvalidTransactionException Fail(TxInvalidReason reason, string message) => new(reason, message);
}
