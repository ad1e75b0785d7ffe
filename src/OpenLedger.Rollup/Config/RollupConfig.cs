namespace OpenLedger.Rollup.Config;

public readonly record struct BlockId(Hash256 Hash, ulong Number)
{
    public override string ToString() => $"{Hash}:{Number}";
}

/// <summary>
/// The rollup's consensus parameters, in op-node's rollup.json shape (see <see cref="RollupConfigJson"/>).
/// Hardforks: Regolith, Canyon, Delta, Ecotone and Fjord must be active from genesis (their upgrade transactions are
/// not derived here); Granite may activate later (it only shortens the channel timeout); Holocene and later are refused.
/// </summary>
public sealed record RollupConfig
{
    public required BlockId GenesisL1 { get; init; }
    public required BlockId GenesisL2 { get; init; }
    public required ulong GenesisL2Time { get; init; }
    public required SystemConfig GenesisSystemConfig { get; init; }
    public required ulong BlockTime { get; init; }
    /// <summary>Pre-Fjord parameter; Fjord replaces it with 1800.</summary>
    public required ulong MaxSequencerDrift { get; init; }
    public required ulong SeqWindowSize { get; init; }
    /// <summary>Pre-Granite channel timeout in L1 blocks; Granite replaces it with 50.</summary>
    public required ulong ChannelTimeout { get; init; }
    public required ulong L1ChainId { get; init; }
    public required ulong L2ChainId { get; init; }
    public required Address BatchInboxAddress { get; init; }
    public required Address DepositContractAddress { get; init; }
    public required Address L1SystemConfigAddress { get; init; }
    /// <summary>Fjord activation (L1 origin / L1 block timestamp); must be at or before genesis.</summary>
    public ulong FjordTime { get; init; }
    /// <summary>Granite activation; null = not scheduled.</summary>
    public ulong? GraniteTime { get; init; }

    public bool IsFjord(ulong timestamp) => timestamp >= FjordTime;
    public bool IsGranite(ulong timestamp) => GraniteTime is { } t && timestamp >= t;

    public ulong MaxSequencerDriftAt(ulong l1OriginTime) => IsFjord(l1OriginTime) ? ProtocolConstants.MaxSequencerDriftFjord : MaxSequencerDrift;

    public ulong ChannelTimeoutAt(ulong l1Time) => IsGranite(l1Time) ? ProtocolConstants.ChannelTimeoutGranite : ChannelTimeout;

    public long MaxRlpBytesPerChannelAt(ulong l1Time) =>
        IsFjord(l1Time) ? ProtocolConstants.MaxRlpBytesPerChannelFjord : ProtocolConstants.MaxRlpBytesPerChannelBedrock;

    public long MaxChannelBankSizeAt(ulong l1Time) =>
        IsFjord(l1Time) ? ProtocolConstants.MaxChannelBankSizeFjord : ProtocolConstants.MaxChannelBankSizeBedrock;

    /// <summary>Timestamp of L2 block <paramref name="number"/>.</summary>
    public ulong L2TimestampOf(ulong number) => GenesisL2Time + (number - GenesisL2.Number) * BlockTime;
}
