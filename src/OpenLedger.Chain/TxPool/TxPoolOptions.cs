using OpenLedger.Primitives;

namespace OpenLedger.Chain.TxPool;

public sealed record TxPoolOptions
{
    /// <summary>All transactions, pending and queued.</summary>
    public int MaxTransactions { get; init; } = 16_384;
    /// <summary>Per sender; bounds what one account's flood can occupy.</summary>
    public int MaxPerSender { get; init; } = 256;
    /// <summary>How far beyond the account nonce a queued transaction may be.</summary>
    public ulong MaxNonceGap { get; init; } = 1024;
    /// <summary>geth's default: a replacement must raise both fee fields by at least this percentage.</summary>
    public int PriceBumpPercent { get; init; } = 10;
    /// <summary>geth's txMaxSize (4 slots of 32 KiB).</summary>
    public int MaxTxBytes { get; init; } = 128 * 1024;
    /// <summary>Minimum tip (or gas price above base fee) accepted.</summary>
    public UInt256 MinTip { get; init; } = UInt256.Zero;
    /// <summary>Accept legacy transactions signed without a chain id (geth's --rpc.allow-unprotected-txs); they can be replayed on any chain.</summary>
    public bool AllowUnprotected { get; init; }
}
