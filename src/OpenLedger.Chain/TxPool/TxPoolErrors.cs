namespace OpenLedger.Chain.TxPool;

/// <summary>Why the pool refused a transaction. Messages are geth's: wallets and libraries match on them.</summary>
public sealed class TxPoolException(string message) : Exception(message)
{
    public static TxPoolException NonceTooLow(ulong next, ulong got) => new($"nonce too low: next nonce {next}, tx nonce {got}");
    public static readonly string AlreadyKnown = "already known";
    public static readonly string ReplacementUnderpriced = "replacement transaction underpriced";
    public static readonly string InsufficientFunds = "insufficient funds for gas * price + value";
    public static readonly string IntrinsicGasTooLow = "intrinsic gas too low";
    public static readonly string GasLimitExceeded = "exceeds block gas limit";
    public static readonly string GasLimitTooHigh = "transaction gas limit too high";
    public static readonly string Underpriced = "transaction underpriced";
    public static readonly string FeeCapTooLow = "max fee per gas less than block base fee";
    public static readonly string TipAboveFeeCap = "max priority fee per gas higher than max fee per gas";
    public static readonly string PoolFull = "txpool is full";
    public static readonly string SenderQueueFull = "account limit exceeded";
    public static readonly string Oversized = "oversized data";
    public static readonly string InvalidSender = "invalid sender";
    public static readonly string NonceMax = "nonce has max value";
    public static readonly string GapTooLarge = "nonce too high";
    public static readonly string MissingBlobSidecar = "missing sidecar in blob transaction";
    public static readonly string Unprotected = "only replay-protected (EIP-155) transactions allowed over RPC";
    public static readonly string TxTypeNotSupported = "transaction type not supported";
}
