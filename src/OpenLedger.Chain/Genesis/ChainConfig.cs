using OpenLedger.Primitives;

namespace OpenLedger.Chain.Genesis;

/// <summary>The native currency as wallets show it (EIP-3085 nativeCurrency).</summary>
public sealed record NativeCurrency(string Name, string Symbol, int Decimals)
{
    public static readonly NativeCurrency Open = new("Open", "OPEN", 18);
}

/// <summary>Chain parameters: identity, fork activation and fee market. Read from the genesis file's "config".</summary>
public sealed record ChainConfig
{
    /// <summary>"OPEN" in ASCII (0x4F50454E); no public chain uses it.</summary>
    public const ulong DevnetChainId = 1330660686;

    public required ulong ChainId { get; init; }
    /// <summary>Cancun from genesis is the only supported schedule; older forks are refused at load.</summary>
    public ulong CancunTime { get; init; }
    public ulong BaseFeeElasticity { get; init; } = 2;
    public ulong BaseFeeChangeDenominator { get; init; } = 8;
    public UInt256 MinBaseFee { get; init; } = new(1_000_000); // 0.001 gwei: keeps the fee market from collapsing to zero on an idle L2
    public NativeCurrency Currency { get; init; } = NativeCurrency.Open;

    /// <summary>
    /// OP Stack fee rules (genesis "config.optimism", as op-geth): base fees go to the BaseFeeVault predeploy instead of
    /// being burned; the coinbase of sequenced blocks is the SequencerFeeVault.
    /// </summary>
    public bool Optimism { get; init; }
}
