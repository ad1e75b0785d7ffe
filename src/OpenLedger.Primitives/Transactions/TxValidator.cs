using OpenLedger.Primitives.Crypto;
using OpenLedger.Primitives.Forks;

namespace OpenLedger.Primitives.Transactions;

/// <summary>
/// Stateless ("intrinsic") validity of a decoded transaction under a fork: type support, field ranges, fee sanity,
/// intrinsic gas, and the signature (returning the sender). State checks (nonce, balance, base fee) are the
/// caller's.
/// </summary>
public static class TxValidator
{
    /// <summary>The sender, or <see cref="InvalidTransactionException"/> naming the broken rule.</summary>
    public static Address Validate(Transaction tx, ForkSpec rules, ulong chainId)
    {
        var error = Check(tx, rules, chainId, out var sender);
        return error is null ? sender : throw error;
    }

    public static bool IsValid(Transaction tx, ForkSpec rules, ulong chainId, out Address sender, out InvalidTransactionException? error)
    {
        error = Check(tx, rules, chainId, out sender);
        return error is null;
    }

    private static InvalidTransactionException? Check(Transaction tx, ForkSpec rules, ulong chainId, out Address sender)
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
                return Fail(TxInvalidReason.InvalidSignature, $"EIP-155 v {tx.V} before {ForkSpec.SpuriousDragon.Name}");
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
            if (tx.BlobVersionedHashes.Count > rules.MaxBlobsPerTx)
                return Fail(TxInvalidReason.TooManyBlobs, $"{tx.BlobVersionedHashes.Count} blobs exceed the {rules.MaxBlobsPerTx} a transaction may carry");
            foreach (var h in tx.BlobVersionedHashes)
                if (h.Bytes[0] != rules.BlobVersionedHashVersion)
                    return Fail(TxInvalidReason.InvalidBlobVersionedHash, $"blob versioned hash {h} has version 0x{h.Bytes[0]:x2}, expected 0x{rules.BlobVersionedHashVersion:x2}");
            if (UInt256.MultiplyOverflow(new UInt256((ulong)tx.BlobVersionedHashes.Count * rules.BlobGasPerBlob), tx.MaxFeePerBlobGas, out _))
                return Fail(TxInvalidReason.GasLimitPriceProductOverflow, "blob gas × maxFeePerBlobGas overflows 256 bits");
        }
        if (tx.Type == TxType.SetCode)
        {
            if (tx.To is null) return Fail(TxInvalidReason.SetCodeTxCreate, "set-code transactions cannot create contracts");
            if (tx.AuthorizationList.Count == 0) return Fail(TxInvalidReason.EmptyAuthorizationList, "set-code transaction with an empty authorization list");
        }

        if (rules.Eip3860 && tx.IsContractCreation && tx.Data.Length > rules.MaxInitCodeSize)
            return Fail(TxInvalidReason.InitcodeSizeExceeded, $"initcode of {tx.Data.Length} bytes exceeds {rules.MaxInitCodeSize}");
        if (rules.MaxTxGas is { } cap && tx.GasLimit > cap)
            return Fail(TxInvalidReason.GasLimitTooHigh, $"transaction gas limit {tx.GasLimit} exceeds the cap of {cap} (EIP-7825)");
        ulong intrinsic = IntrinsicGas.Compute(tx, rules);
        if (tx.GasLimit < intrinsic)
            return Fail(TxInvalidReason.IntrinsicGasTooLow, $"gas limit {tx.GasLimit} below intrinsic gas {intrinsic}");
        ulong floor = IntrinsicGas.Floor(tx, rules);
        if (tx.GasLimit < floor)
            return Fail(TxInvalidReason.IntrinsicGasTooLow, $"gas limit {tx.GasLimit} below the EIP-7623 calldata floor {floor}");

        return null;
    }

    private static string FirstForkFor(TxType type) => ForkSpec.All.FirstOrDefault(f => f.Supports(type))?.Name ?? "any fork";

    private static InvalidTransactionException Fail(TxInvalidReason reason, string message) => new(reason, message);
}
