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

    /// <summary>
    /// Fork activation by block timestamp, as geth's genesis config: a fork is active from the first block whose
    /// timestamp is at or past its time; null = never. This node runs Cancun or later: Shanghai and Cancun are active
    /// from genesis (time 0). Times are non-decreasing in fork order (checked when the genesis is parsed).
    /// </summary>
    public ulong? PragueTime { get; init; }
    public ulong? OsakaTime { get; init; }

    /// <summary>The rules of a block with this timestamp.</summary>
    public ForkSpec SpecAt(ulong timestamp) =>
        OsakaTime is { } osaka && timestamp >= osaka ? ForkSpec.Osaka
        : PragueTime is { } prague && timestamp >= prague ? ForkSpec.Prague
        : ForkSpec.Cancun;

    /// <summary>Forks with an activation time, oldest first (for eth_config and logs).</summary>
    public IEnumerable<(ForkSpec Spec, ulong Time)> Schedule()
    {
        yield return (ForkSpec.Cancun, 0);
        if (PragueTime is { } p) yield return (ForkSpec.Prague, p);
        if (OsakaTime is { } o) yield return (ForkSpec.Osaka, o);
    }
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
