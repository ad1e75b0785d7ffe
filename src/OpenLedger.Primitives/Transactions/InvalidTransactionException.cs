namespace OpenLedger.Primitives.Transactions;

/// <summary>Why a well-formed transaction is not valid under a fork's rules.</summary>
public enum TxInvalidReason
{
    TypeNotSupported,
    NonceTooBig,
    GasLimitPriceProductOverflow,
    PriorityFeeGreaterThanMaxFee,
    IntrinsicGasTooLow,
    InitcodeSizeExceeded,
    InvalidChainId,
    InvalidSignature,
    BlobTxCreate,
    EmptyBlobHashes,
    TooManyBlobs,
    InvalidBlobVersionedHash,
    SetCodeTxCreate,
    EmptyAuthorizationList,
    GasLimitTooHigh,
}

/// <summary>A decoded transaction that breaks a validity rule (signature, fork, gas, field range).</summary>
public sealed class InvalidTransactionException(TxInvalidReason reason, string message) : Exception(message)
{
    public TxInvalidReason Reason { get; } = reason;
}
