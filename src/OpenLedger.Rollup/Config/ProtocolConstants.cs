namespace OpenLedger.Rollup.Config;

/// <summary>Derivation constants from the OP Stack specs (derivation.md "Protocol Parameters", Fjord, Granite).</summary>
public static class ProtocolConstants
{
    public const long MaxRlpBytesPerChannelBedrock = 10_000_000;
    public const long MaxRlpBytesPerChannelFjord = 100_000_000;
    public const long MaxChannelBankSizeBedrock = 100_000_000;
    public const long MaxChannelBankSizeFjord = 1_000_000_000;
    /// <summary>Fjord makes the sequencer drift a constant (seconds).</summary>
    public const ulong MaxSequencerDriftFjord = 1800;
    /// <summary>Granite's channel timeout (L1 blocks).</summary>
    public const ulong ChannelTimeoutGranite = 50;
    /// <summary>Added to each frame's data length when sizing the channel bank.</summary>
    public const int FrameOverheadInBank = 200;

    public static readonly Address L1InfoDepositor = Address.Parse("0xdeaddeaddeaddeaddeaddeaddeaddeaddead0001");
    public static readonly Address L1BlockPredeploy = Address.Parse("0x4200000000000000000000000000000000000015");
    public static readonly Address SequencerFeeVault = Address.Parse("0x4200000000000000000000000000000000000011");
    /// <summary>Post-Regolith gas limit of the L1 attributes deposit.</summary>
    public const ulong L1InfoDepositGas = 1_000_000;
}
