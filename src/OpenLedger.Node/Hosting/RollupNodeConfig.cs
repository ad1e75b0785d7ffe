using System.Text.Json;
using OpenLedger.Chain.Rollup;
using OpenLedger.Primitives;

namespace OpenLedger.Node.Hosting;

/// <summary>
/// The node config's "rollup" section: where the sequencer reads L1 and the rollup parameters. Exactly one L1:
/// "l1Rpc" (an Ethereum JSON-RPC URL, read through Nethereum) or "fixedL1Origin" (a standalone chain whose every block
/// names that one L1 block; past the sequencer drift it can only make deposit-only blocks, then none). Without the
/// section the node is a plain (non-rollup) chain: no L1 origin, no L1 attributes deposit.
/// </summary>
public sealed record RollupNodeConfig
{
    public string? L1Rpc { get; init; }
    public L1BlockRef? FixedL1Origin { get; init; }
    public ulong BlobBaseFeeUpdateFraction { get; init; } = L1.NethereumL1Source.PragueBlobBaseFeeUpdateFraction;
    public required RollupSequencingConfig Sequencing { get; init; }

    /// <summary>
    /// op-node's rollup.json for this chain ("rollupConfig": a path): with it the node derives from L1 (a sequencer
    /// moves its safe and finalized heads; a replica gets every block that way), and the sequencer's genesis anchor,
    /// system config, window and drift come from it. Null: no derivation (safe and finalized stay at genesis).
    /// </summary>
    public Rollup.Config.RollupConfig? Derivation { get; init; }
    /// <summary>The L1 portal whose TransactionDeposited logs become user deposits (rollup.json's deposit_contract_address); null: none.</summary>
    public Address? DepositContractAddress { get; init; }

    private static readonly string[] Known = ["l1Rpc", "fixedL1Origin", "genesisL1", "maxSequencerDrift", "sequencingWindowSize", "l1ConfirmationDepth", "l1BlobBaseFeeUpdateFraction", "systemConfig", "rollupConfig", "depositContractAddress"];
    private static readonly string[] FromRollupConfig = ["fixedL1Origin", "genesisL1", "maxSequencerDrift", "sequencingWindowSize", "systemConfig", "depositContractAddress"];

    public static RollupNodeConfig Parse(JsonElement e, ulong blockTimeSeconds, string? baseDir = null)
    {
        if (e.ValueKind != JsonValueKind.Object) throw new ConfigException("config.rollup must be an object");
        foreach (var p in e.EnumerateObject())
            if (!Known.Contains(p.Name)) throw new ConfigException($"config.rollup: unknown field '{p.Name}' (known: {string.Join(", ", Known)})");
        if (e.TryGetProperty("rollupConfig", out var rc))
        {
            if (rc.ValueKind != JsonValueKind.String || string.IsNullOrEmpty(rc.GetString())) throw new ConfigException("config.rollup.rollupConfig must be the path of a rollup.json");
            foreach (var name in FromRollupConfig)
                if (e.TryGetProperty(name, out _)) throw new ConfigException($"config.rollup.{name} comes from rollupConfig (rollup.json); remove it");
            if (!e.TryGetProperty("l1Rpc", out _)) throw new ConfigException("config.rollup.rollupConfig needs config.rollup.l1Rpc (derivation reads L1)");
            return FromRollupJson(LoadRollupJson(Path.Combine(baseDir ?? ".", rc.GetString()!)), ParseFields(SansRollupConfig(e), blockTimeSeconds));
        }
        return ParseFields(e, blockTimeSeconds);
    }

    /// <summary>Reads rollup.json, turning its errors into config errors.</summary>
    public static Rollup.Config.RollupConfig LoadRollupJson(string path)
    {
        try { return Rollup.Config.RollupConfigJson.Load(path); }
        catch (Rollup.Config.RollupConfigException ex) { throw new ConfigException(ex.Message); }
    }

    /// <summary>
    /// The node's rollup settings with the consensus parts taken from rollup.json: genesis L1 anchor, system config
    /// (batcher, fee scalars, operator fee), sequencing window, drift (Fjord's constant) and block time (must agree).
    /// </summary>
    public static RollupNodeConfig FromRollupJson(Rollup.Config.RollupConfig rc, RollupNodeConfig node)
    {
        if (rc.BlockTime != node.Sequencing.BlockTimeSeconds)
            throw new ConfigException($"rollup.json block_time is {rc.BlockTime} s but the node's block time is {node.Sequencing.BlockTimeSeconds} s");
        return node with
        {
            Derivation = rc,
            // rollup.json's deposit_contract_address (the zero address: no portal, no user deposits).
            DepositContractAddress = rc.DepositContractAddress == Address.Zero ? null : rc.DepositContractAddress,
            Sequencing = node.Sequencing with
            {
                GenesisL1Number = rc.GenesisL1.Number,
                GenesisL1Hash = rc.GenesisL1.Hash,
                GenesisSystemConfig = rc.GenesisSystemConfig.ToL1AttributesValues(),
                SequencingWindowSize = rc.SeqWindowSize,
                MaxSequencerDrift = rc.MaxSequencerDriftAt(rc.GenesisL2Time),
            },
        };
    }

    private static JsonElement SansRollupConfig(JsonElement e)
    {
        var copy = new Dictionary<string, JsonElement>();
        foreach (var p in e.EnumerateObject())
            if (p.Name != "rollupConfig") copy[p.Name] = p.Value;
        copy["genesisL1"] = JsonSerializer.SerializeToElement(new { number = 0, hash = "0x" + new string('0', 64) });
        return JsonSerializer.SerializeToElement(copy);
    }

    private static RollupNodeConfig ParseFields(JsonElement e, ulong blockTimeSeconds)
    {
        string? rpc = e.TryGetProperty("l1Rpc", out var r) ? (r.ValueKind == JsonValueKind.String && Uri.TryCreate(r.GetString(), UriKind.Absolute, out var u) && u.Scheme is "http" or "https" ? r.GetString() : throw new ConfigException("config.rollup.l1Rpc must be an http(s) URL")) : null;
        L1BlockRef? fixedOrigin = e.TryGetProperty("fixedL1Origin", out var f) ? ParseOrigin(f) : null;
        if ((rpc is null) == (fixedOrigin is null))
            throw new ConfigException("config.rollup needs exactly one L1: \"l1Rpc\" (an Ethereum JSON-RPC URL) or \"fixedL1Origin\" ({number, hash, timestamp, baseFee}: a standalone chain anchored to one L1 block)");

        ulong genesisNumber;
        Hash256 genesisHash;
        if (e.TryGetProperty("genesisL1", out var g))
        {
            genesisNumber = U64(g, "number", "config.rollup.genesisL1.number") ?? throw new ConfigException("config.rollup.genesisL1.number is required");
            genesisHash = HashField(g, "hash", "config.rollup.genesisL1.hash");
        }
        else if (fixedOrigin is not null)
        {
            (genesisNumber, genesisHash) = (fixedOrigin.Number, fixedOrigin.Hash);
        }
        else throw new ConfigException("config.rollup.genesisL1 ({number, hash}: the L1 block L2 genesis is anchored to) is required with l1Rpc");

        var system = new SystemConfigValues();
        if (e.TryGetProperty("systemConfig", out var s))
        {
            if (s.ValueKind != JsonValueKind.Object) throw new ConfigException("config.rollup.systemConfig must be an object");
            system = new SystemConfigValues
            {
                BatcherHash = s.TryGetProperty("batcherAddress", out var b) && b.ValueKind == JsonValueKind.String && Address.TryParse(b.GetString(), out var ba)
                    ? SystemConfigValues.BatcherHashOf(ba)
                    : s.TryGetProperty("batcherAddress", out _) ? throw new ConfigException("config.rollup.systemConfig.batcherAddress must be a 20-byte hex address") : default,
                BaseFeeScalar = U32(s, "baseFeeScalar", "config.rollup.systemConfig.baseFeeScalar"),
                BlobBaseFeeScalar = U32(s, "blobBaseFeeScalar", "config.rollup.systemConfig.blobBaseFeeScalar"),
                GasTokenPerEth = !s.TryGetProperty("gasTokenPerEth", out var rate) ? UInt256.Zero
                    : rate.ValueKind == JsonValueKind.String && UInt256.TryParse(rate.GetString(), out var r256) ? r256
                    : throw new ConfigException("config.rollup.systemConfig.gasTokenPerEth must be a uint256 as a decimal or 0x-hex string (OPEN wei per ETH wei, 1e18 = 1)"),
            };
        }

        var sequencing = new RollupSequencingConfig
        {
            BlockTimeSeconds = blockTimeSeconds,
            GenesisL1Number = genesisNumber,
            GenesisL1Hash = genesisHash,
            GenesisSystemConfig = system,
        };
        sequencing = sequencing with
        {
            MaxSequencerDrift = U64(e, "maxSequencerDrift", "config.rollup.maxSequencerDrift") ?? sequencing.MaxSequencerDrift,
            SequencingWindowSize = U64(e, "sequencingWindowSize", "config.rollup.sequencingWindowSize") ?? sequencing.SequencingWindowSize,
            L1ConfirmationDepth = U64(e, "l1ConfirmationDepth", "config.rollup.l1ConfirmationDepth") ?? sequencing.L1ConfirmationDepth,
        };
        if (sequencing.SequencingWindowSize == 0) throw new ConfigException("config.rollup.sequencingWindowSize must be positive");
        Address? portal = null;
        if (e.TryGetProperty("depositContractAddress", out var dc))
        {
            portal = dc.ValueKind == JsonValueKind.String && Address.TryParse(dc.GetString(), out var pa) ? pa : throw new ConfigException("config.rollup.depositContractAddress must be a 20-byte hex address");
            if (rpc is null) throw new ConfigException("config.rollup.depositContractAddress needs l1Rpc (deposits are read from L1 logs)");
        }
        return new RollupNodeConfig
        {
            DepositContractAddress = portal,
            L1Rpc = rpc,
            FixedL1Origin = fixedOrigin,
            Sequencing = sequencing,
            BlobBaseFeeUpdateFraction = U64(e, "l1BlobBaseFeeUpdateFraction", "config.rollup.l1BlobBaseFeeUpdateFraction") is { } frac and > 0 ? frac
                : e.TryGetProperty("l1BlobBaseFeeUpdateFraction", out _) ? throw new ConfigException("config.rollup.l1BlobBaseFeeUpdateFraction must be positive") : L1.NethereumL1Source.PragueBlobBaseFeeUpdateFraction,
        };
    }

    /// <summary>The portal's logs over JSON-RPC, or null without a deposit contract.</summary>
    public IL1DepositSource? CreateDepositSource() => DepositContractAddress is { } portal && L1Rpc is { } url ? OpenLedger.Rollup.L1.RpcDepositLogSource.Create(url, portal) : null;

    /// <summary>The configured L1: Nethereum over JSON-RPC, or the fixed origin.</summary>
    public IL1BlockSource CreateSource() => L1Rpc is { } url ? new L1.NethereumL1Source(url, BlobBaseFeeUpdateFraction) : new FixedL1Source(FixedL1Origin!);

    private static L1BlockRef ParseOrigin(JsonElement f)
    {
        const string at = "config.rollup.fixedL1Origin";
        if (f.ValueKind != JsonValueKind.Object) throw new ConfigException($"{at} must be an object {{number, hash, timestamp, baseFee}}");
        return new L1BlockRef(
            U64(f, "number", $"{at}.number") ?? throw new ConfigException($"{at}.number is required"),
            HashField(f, "hash", $"{at}.hash"),
            default,
            U64(f, "timestamp", $"{at}.timestamp") ?? throw new ConfigException($"{at}.timestamp is required"),
            new UInt256(U64(f, "baseFee", $"{at}.baseFee") ?? throw new ConfigException($"{at}.baseFee is required")),
            new UInt256(U64(f, "blobBaseFee", $"{at}.blobBaseFee") ?? 1));
    }

    private static ulong? U64(JsonElement o, string name, string where)
    {
        if (!o.TryGetProperty(name, out var v)) return null;
        return v.ValueKind == JsonValueKind.Number && v.TryGetUInt64(out var n) ? n : throw new ConfigException($"{where} must be a non-negative integer");
    }

    private static uint U32(JsonElement o, string name, string where) =>
        U64(o, name, where) is { } v ? (v <= uint.MaxValue ? (uint)v : throw new ConfigException($"{where} must fit 32 bits")) : 0;

    private static Hash256 HashField(JsonElement o, string name, string where) =>
        o.TryGetProperty(name, out var h) && h.ValueKind == JsonValueKind.String && Hash256.TryParse(h.GetString(), out var hash) ? hash : throw new ConfigException($"{where} must be a 32-byte hex hash");
}
