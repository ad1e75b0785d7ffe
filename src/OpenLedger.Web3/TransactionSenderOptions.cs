using OpenLedger.Primitives;
using OpenLedger.Primitives.Crypto;
using OpenLedger.Primitives.Transactions;
using OpenLedger.Web3.Eth;
using OpenLedger.Web3.Rpc;

namespace OpenLedger.Web3;

/// <summary>Policy of a <see cref="TransactionSender"/>.</summary>
public sealed record TransactionSenderOptions
{
    /// <summary>How long a transaction may stay unmined before it is replaced with bumped fees.</summary>
    public TimeSpan ReplaceAfter { get; init; } = TimeSpan.FromSeconds(60);
    /// <summary>Replacements before giving up (the last transaction sent may still be mined later).</summary>
    public int MaxReplacements { get; init; } = 5;
    /// <summary>Blocks that must include the transaction (1 = mined) before the receipt is returned.</summary>
    public int Confirmations { get; init; } = 1;
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromSeconds(1);
    /// <summary>Gas limit = estimate × (100 + GasLimitMarginPercent) / 100, for estimates taken against slightly different state.</summary>
    public int GasLimitMarginPercent { get; init; } = 20;
    /// <summary>Floor for the priority fee when eth_maxPriorityFeePerGas answers lower (or zero).</summary>
    public UInt256 MinPriorityFee { get; init; } = new(1_000_000); // 0.001 gwei
}
