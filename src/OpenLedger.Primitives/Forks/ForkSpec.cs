namespace OpenLedger.Primitives.Forks;

/// <summary>
/// One fork's rules as data, the single home for them: which transaction types and EIPs apply (what the pool's
/// validator and the transaction processor check), which opcodes exist, the gas schedule, limits and blob
/// parameters. The interpreter's dispatch table and the precompile set are built from one of these; a chain
/// derives its own with `with`. Transaction rules are modelled from Frontier on (the TransactionTests fixtures);
/// the EVM executes Shanghai and later (<see cref="ExecutionSupported"/>).
/// </summary>
public sealed record ForkSpec
{
    /// <summary>The ethereum/tests name (EIP150, EIP158, ConstantinopleFix for the three renamed forks).</summary>
    public required string Name { get; init; }
    public required Fork Fork { get; init; }
    public GasSchedule Gas { get; init; } = GasSchedule.Cancun;

    // ---- transaction rules ----
    public bool Eip2 { get; init; }         // Homestead: creation costs 53000; s <= n/2
    public bool Eip155 { get; init; }       // Spurious Dragon: chain id in legacy V
    public bool Eip2930 { get; init; }      // Berlin: type 1 and access lists
    public bool Eip1559 { get; init; }      // London: type 2
    public bool Eip3860 { get; init; }      // Shanghai: init code word cost and size limit
    public bool Eip7702 { get; init; }      // Prague: type 4, delegation designators
    public bool Eip7623 { get; init; }      // Prague: calldata floor cost

    // ---- EVM ----
    public bool HasPush0 { get; init; }             // EIP-3855
    public bool HasWarmCoinbase { get; init; }      // EIP-3651
    public bool HasTransientStorage { get; init; }  // EIP-1153
    public bool HasMcopy { get; init; }             // EIP-5656
    public bool HasBlobs { get; init; }             // EIP-4844 (type-3 txs, BLOBHASH)
    public bool HasBlobBaseFee { get; init; }       // EIP-7516
    /// <summary>EIP-6780: SELFDESTRUCT only deletes a contract created in the same transaction.</summary>
    public bool SelfDestructOnlyInCreatingTx { get; init; }
    public bool HasClz { get; init; }               // EIP-7939
    /// <summary>EIP-2935: block hashes kept in the history contract, written by a system call at block start.</summary>
    public bool HasHistoryStorage { get; init; }
    /// <summary>EIP-7685: headers carry requestsHash (an L2 has no consensus-layer requests: always the empty hash).</summary>
    public bool HasRequestsHash { get; init; }

    // ---- limits ----
    public int MaxCodeSize { get; init; } = 24576;          // EIP-170
    public int MaxInitCodeSize { get; init; } = 49152;      // EIP-3860
    public int MaxCallDepth { get; init; } = 1024;
    public int MaxStackSize { get; init; } = 1024;
    /// <summary>EIP-7825: a transaction's gas limit cap (2^24 from Osaka); null for none.</summary>
    public ulong? MaxTxGas { get; init; }
    /// <summary>EIP-7934: the RLP-encoded block may not exceed this (10 MiB less a 2 MiB margin from Osaka); null for none.</summary>
    public int? MaxBlockRlpSize { get; init; }

    // ---- EIP-4844 blob gas (EIP-7691 raised the counts in Prague) ----
    public ulong BlobGasPerBlob { get; init; } = 131072;
    public int TargetBlobsPerBlock { get; init; }
    public int MaxBlobsPerBlock { get; init; }
    /// <summary>EIP-7594 (Osaka) limits one transaction below the block's maximum.</summary>
    public int MaxBlobsPerTx { get; init; }
    public ulong BlobBaseFeeUpdateFraction { get; init; } = 3338477;
    public ulong MinBlobBaseFee { get; init; } = 1;
    public byte BlobVersionedHashVersion { get; init; } = 0x01;
    /// <summary>EIP-7918 (Osaka): the blob base fee is bounded below by this many gas at the execution base fee; 0 = off.</summary>
    public ulong BlobBaseCost { get; init; }

    public ulong TargetBlobGasPerBlock => (ulong)TargetBlobsPerBlock * BlobGasPerBlob;
    public ulong MaxBlobGasPerBlock => (ulong)MaxBlobsPerBlock * BlobGasPerBlob;

    /// <summary>Whether this EVM executes transactions under this fork (Shanghai and later).</summary>
    public bool ExecutionSupported => Fork >= Fork.Shanghai;

    public bool IsActive(Fork fork) => Fork >= fork;

    public bool Supports(Transactions.TxType type) => type switch
    {
        Transactions.TxType.Legacy => true,
        Transactions.TxType.AccessList => Eip2930,
        Transactions.TxType.DynamicFee => Eip1559,
        Transactions.TxType.Blob => HasBlobs,
        Transactions.TxType.SetCode => Eip7702,
        _ => false,
    };

    public static ForkSpec Frontier { get; } = new() { Name = "Frontier", Fork = Fork.Frontier, Gas = GasSchedule.PreIstanbul, MaxInitCodeSize = int.MaxValue, MaxCodeSize = int.MaxValue };
    public static ForkSpec Homestead { get; } = Frontier with { Name = "Homestead", Fork = Fork.Homestead, Eip2 = true };
    public static ForkSpec TangerineWhistle { get; } = Homestead with { Name = "EIP150", Fork = Fork.TangerineWhistle };
    public static ForkSpec SpuriousDragon { get; } = TangerineWhistle with { Name = "EIP158", Fork = Fork.SpuriousDragon, Eip155 = true, MaxCodeSize = 24576 };
    public static ForkSpec Byzantium { get; } = SpuriousDragon with { Name = "Byzantium", Fork = Fork.Byzantium };
    public static ForkSpec Constantinople { get; } = Byzantium with { Name = "Constantinople", Fork = Fork.Constantinople };
    public static ForkSpec Petersburg { get; } = Constantinople with { Name = "ConstantinopleFix", Fork = Fork.Petersburg };
    public static ForkSpec Istanbul { get; } = Petersburg with { Name = "Istanbul", Fork = Fork.Istanbul, Gas = GasSchedule.Cancun };
    public static ForkSpec Berlin { get; } = Istanbul with { Name = "Berlin", Fork = Fork.Berlin, Eip2930 = true };
    public static ForkSpec London { get; } = Berlin with { Name = "London", Fork = Fork.London, Eip1559 = true };
    public static ForkSpec Paris { get; } = London with { Name = "Paris", Fork = Fork.Paris };
    public static ForkSpec Shanghai { get; } = Paris with
    {
        Name = "Shanghai", Fork = Fork.Shanghai, Eip3860 = true, MaxInitCodeSize = 49152, HasPush0 = true, HasWarmCoinbase = true,
    };
    public static ForkSpec Cancun { get; } = Shanghai with
    {
        Name = "Cancun", Fork = Fork.Cancun, HasTransientStorage = true, HasMcopy = true, HasBlobs = true, HasBlobBaseFee = true,
        SelfDestructOnlyInCreatingTx = true, TargetBlobsPerBlock = 3, MaxBlobsPerBlock = 6, MaxBlobsPerTx = 6,
    };
    public static ForkSpec Prague { get; } = Cancun with
    {
        Name = "Prague", Fork = Fork.Prague, Eip7702 = true, Eip7623 = true, HasHistoryStorage = true, HasRequestsHash = true,
        TargetBlobsPerBlock = 6, MaxBlobsPerBlock = 9, MaxBlobsPerTx = 9, BlobBaseFeeUpdateFraction = 5007716,
    };
    public static ForkSpec Osaka { get; } = Prague with
    {
        Name = "Osaka", Fork = Fork.Osaka, HasClz = true, MaxTxGas = 1UL << 24, MaxBlockRlpSize = 10_485_760 - 2_097_152,
        MaxBlobsPerTx = 6, BlobBaseCost = 1 << 13,
    };

    /// <summary>Oldest first.</summary>
    public static IReadOnlyList<ForkSpec> All { get; } =
        [Frontier, Homestead, TangerineWhistle, SpuriousDragon, Byzantium, Constantinople, Petersburg, Istanbul, Berlin, London, Paris, Shanghai, Cancun, Prague, Osaka];

    public static ForkSpec For(Fork fork) => All[(int)fork];

    /// <summary>By ethereum/tests name or enum name, case-insensitive ("EIP150" and "TangerineWhistle" alike); null when unknown.</summary>
    public static ForkSpec? ByName(string name)
    {
        foreach (var f in All)
            if (string.Equals(f.Name, name, StringComparison.OrdinalIgnoreCase) || string.Equals(f.Fork.ToString(), name, StringComparison.OrdinalIgnoreCase))
                return f;
        return string.Equals(name, "Merge", StringComparison.OrdinalIgnoreCase) ? Paris : null;
    }

    /// <summary>Names accepted by <see cref="ByName"/>, for error messages.</summary>
    public static string KnownNames => string.Join(", ", All.Select(f => f.Fork.ToString()));
}
