using OpenLedger.Evm.Precompiles;

namespace OpenLedger.Evm;

/// <summary>
/// A fork's rules as data: which opcodes exist, which EIPs apply, the gas schedule, limits and precompiles.
/// The interpreter's 256-entry dispatch table is built from one of these (<see cref="Instructions.InstructionTable"/>),
/// so a chain adds or changes rules by deriving a spec (records copy with `with`) instead of editing opcode code.
/// </summary>
public sealed record ForkSpec
{
    public required string Name { get; init; }
    public GasSchedule Gas { get; init; } = GasSchedule.Cancun;

    public bool HasPush0 { get; init; } = true;            // EIP-3855
    public bool HasWarmCoinbase { get; init; } = true;     // EIP-3651
    public bool HasTransientStorage { get; init; } = true; // EIP-1153
    public bool HasMcopy { get; init; } = true;            // EIP-5656
    public bool HasBlobs { get; init; } = true;            // EIP-4844 (type-3 txs, BLOBHASH)
    public bool HasBlobBaseFee { get; init; } = true;      // EIP-7516
    /// <summary>EIP-6780: SELFDESTRUCT only deletes a contract created in the same transaction.</summary>
    public bool SelfDestructOnlyInCreatingTx { get; init; } = true;

    public int MaxCodeSize { get; init; } = 24576;          // EIP-170
    public int MaxInitCodeSize { get; init; } = 49152;      // EIP-3860
    public int MaxCallDepth { get; init; } = 1024;
    public int MaxStackSize { get; init; } = 1024;

    // EIP-4844 blob gas
    public ulong BlobGasPerBlob { get; init; } = 131072;
    public int MaxBlobsPerBlock { get; init; } = 6;
    public ulong BlobBaseFeeUpdateFraction { get; init; } = 3338477;
    public ulong MinBlobBaseFee { get; init; } = 1;
    public byte BlobVersionedHashVersion { get; init; } = 0x01;

    /// <summary>Precompiles by address number.</summary>
    public IReadOnlyList<IPrecompile> Precompiles { get; init; } = [];

    /// <summary>A hook run last when the dispatch table is built: an L2 adds or replaces opcodes here.</summary>
    public Action<Instructions.InstructionTable>? CustomizeInstructions { get; init; }

    public static ForkSpec Cancun { get; } = new() { Name = "Cancun", Precompiles = PrecompileRegistry.Cancun() };

    public static ForkSpec Shanghai { get; } = Cancun with
    {
        Name = "Shanghai",
        HasTransientStorage = false,
        HasMcopy = false,
        HasBlobs = false,
        HasBlobBaseFee = false,
        SelfDestructOnlyInCreatingTx = false,
        Precompiles = PrecompileRegistry.Cancun().Where(p => p.AddressIndex < 0x0a).ToArray(),
    };

    public static ForkSpec? ByName(string name) =>
        string.Equals(name, "Cancun", StringComparison.OrdinalIgnoreCase) ? Cancun
        : string.Equals(name, "Shanghai", StringComparison.OrdinalIgnoreCase) ? Shanghai
        : null;
}
