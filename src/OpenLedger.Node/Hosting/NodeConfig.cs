using System.Net;
using System.Text.Json;
using OpenLedger.Chain.Genesis;
using OpenLedger.Primitives;
using OpenLedger.Rpc.Eth;
using OpenLedger.Rpc.Execution;

namespace OpenLedger.Node.Hosting;

/// <summary>Everything `openledger node` needs; read from a JSON file and validated field by field.</summary>
public sealed record NodeConfig
{
    /// <summary>RocksDB directory; null keeps the chain in memory (tests, ephemeral devnets).</summary>
    public string? DataDir { get; init; }
    public required GenesisSpec Genesis { get; init; }
    public Address Coinbase { get; init; }
    public IPAddress RpcHost { get; init; } = IPAddress.Loopback;
    public int RpcPort { get; init; } = 9545;
    public IReadOnlyList<string> CorsOrigins { get; init; } = ["*"];
    public int MaxRequestBytes { get; init; } = 5 * 1024 * 1024;
    public int MaxBatchLength { get; init; } = 1000;
    public long MaxResponseBytes { get; init; } = Rpc.JsonRpc.RpcLimits.DefaultMaxResponseBytes;
    public int MaxWebSocketConnections { get; init; } = 1000;
    public int WsSendQueueMessages { get; init; } = 4096;
    public long WsSendQueueBytes { get; init; } = 16 * 1024 * 1024;
    public TimeSpan BodyReadTimeout { get; init; } = TimeSpan.FromSeconds(30);
    /// <summary>Method-level limits, gas cap, timeouts and the optional namespaces (debug, txpool: off unless listed).</summary>
    public EthRpcOptions EthRpc { get; init; } = new();
    /// <summary>geth's --rpc.allow-unprotected-txs.</summary>
    public bool AllowUnprotectedTxs { get; init; }
    /// <summary>Keep accepted transactions in datadir/txpool.journal so a restart still has them (needs a datadir).</summary>
    public bool TxPoolJournal { get; init; } = true;
    /// <summary>Null: instant mode (seal on each transaction).</summary>
    public TimeSpan? BlockTime { get; init; } = TimeSpan.FromSeconds(1);
    /// <summary>Dev mode (evm_*/anvil_* methods, eth_sendTransaction for these accounts): set by `openledger devnet` only, never read from a config file.</summary>
    public IReadOnlyList<(Address Address, byte[] Key)>? DevAccounts { get; init; }
    /// <summary>Null: a plain (non-rollup) chain; otherwise where the sequencer reads L1 and the rollup rules.</summary>
    public RollupNodeConfig? Rollup { get; init; }
    /// <summary>Sequencer (the default) or replica (`--role replica`: every block derived from L1, RPC read-only).</summary>
    public NodeRole Role { get; init; } = NodeRole.Sequencer;
    /// <summary>A replica's forward target for eth_sendRawTransaction (`--sequencer-rpc`); null: such calls are refused.</summary>
    public string? SequencerRpc { get; init; }

    public static NodeConfig Load(string path)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ConfigException($"cannot read config {path}: {e.Message}");
        }
        return Parse(text, Path.GetDirectoryName(Path.GetFullPath(path))!);
    }

    /// <summary>Parses a config; relative paths resolve against <paramref name="baseDir"/>.</summary>
    public static NodeConfig Parse(string json, string baseDir)
    {
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(json);
        }
        catch (JsonException e)
        {
            throw new ConfigException($"config is not valid JSON: {e.Message}");
        }
        using (doc)
        {
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object) throw new ConfigException("config must be a JSON object");
            foreach (var p in root.EnumerateObject())
                if (p.Name is not ("datadir" or "genesis" or "coinbase" or "rpc" or "sequencer" or "rollup" or "txpoolJournal"))
                    throw new ConfigException($"config: unknown field '{p.Name}' (known: datadir, genesis, coinbase, rpc, sequencer, rollup, txpoolJournal)");

            GenesisSpec genesis = root.TryGetProperty("genesis", out var g)
                ? g.ValueKind switch
                {
                    JsonValueKind.String => LoadGenesis(Path.Combine(baseDir, g.GetString()!)),
                    JsonValueKind.Object => ParseGenesis(g.GetRawText()),
                    _ => throw new ConfigException("config.genesis must be a path or an inline genesis object"),
                }
                : throw new ConfigException("config.genesis is required (a path to a geth-style genesis file, or the object itself)");

            var config = new NodeConfig { Genesis = genesis };
            if (root.TryGetProperty("datadir", out var d))
                config = config with { DataDir = d.ValueKind == JsonValueKind.String ? Path.Combine(baseDir, d.GetString()!) : throw new ConfigException("config.datadir must be a string") };
            if (root.TryGetProperty("coinbase", out var cb))
                config = config with { Coinbase = cb.ValueKind == JsonValueKind.String && Address.TryParse(cb.GetString(), out var a) ? a : throw new ConfigException("config.coinbase must be a 20-byte hex address") };
            if (root.TryGetProperty("rpc", out var rpc)) config = ParseRpc(config, rpc);
            if (root.TryGetProperty("txpoolJournal", out var tj))
                config = config with { TxPoolJournal = tj.ValueKind is JsonValueKind.True or JsonValueKind.False ? tj.GetBoolean() : throw new ConfigException("config.txpoolJournal must be true or false") };
            if (root.TryGetProperty("sequencer", out var seq))
            {
                if (seq.ValueKind != JsonValueKind.Object || !seq.TryGetProperty("blockTimeMs", out var bt) || !bt.TryGetInt32(out var ms) || ms < 0 || ms > 3_600_000)
                    throw new ConfigException("config.sequencer.blockTimeMs must be an integer from 0 (instant: seal on each transaction) to 3600000");
                config = config with { BlockTime = ms == 0 ? null : TimeSpan.FromMilliseconds(ms) };
            }
            if (root.TryGetProperty("rollup", out var rollup))
            {
                // Rollup blocks are parent + block time in whole seconds (instant mode: + 1 s per block).
                ulong seconds = config.BlockTime is { } bt ? (ulong)bt.TotalSeconds : 1;
                if (config.BlockTime is { } t && (t.TotalMilliseconds % 1000 != 0 || seconds == 0))
                    throw new ConfigException("config.sequencer.blockTimeMs must be a whole number of seconds (or 0) on a rollup: L2 timestamps are parent + block time");
                config = config with { Rollup = RollupNodeConfig.Parse(rollup, seconds, baseDir) };
            }
            return config;
        }
    }

    private static NodeConfig ParseRpc(NodeConfig config, JsonElement rpc)
    {
        if (rpc.ValueKind != JsonValueKind.Object) throw new ConfigException("config.rpc must be an object");
        if (rpc.TryGetProperty("host", out var h))
            config = config with { RpcHost = h.ValueKind == JsonValueKind.String && IPAddress.TryParse(h.GetString(), out var ip) ? ip : throw new ConfigException("config.rpc.host must be an IP address such as 127.0.0.1") };
        if (rpc.TryGetProperty("port", out var port))
            config = config with { RpcPort = port.TryGetInt32(out var p) && p is >= 0 and <= 65535 ? p : throw new ConfigException("config.rpc.port must be 0-65535") };
        if (rpc.TryGetProperty("corsOrigins", out var cors))
            config = config with { CorsOrigins = cors.ValueKind == JsonValueKind.Array && cors.EnumerateArray().All(c => c.ValueKind == JsonValueKind.String) ? cors.EnumerateArray().Select(c => c.GetString()!).ToArray() : throw new ConfigException("config.rpc.corsOrigins must be an array of strings") };
        foreach (var f in rpc.EnumerateObject())
            if (Array.IndexOf(RpcFields, f.Name) < 0)
                throw new ConfigException($"config.rpc: unknown field '{f.Name}' (known: {string.Join(", ", RpcFields)})");
        var eth = config.EthRpc;
        if (rpc.TryGetProperty("maxRequestBytes", out _)) config = config with { MaxRequestBytes = Int(rpc, "maxRequestBytes", 1024, int.MaxValue) };
        if (rpc.TryGetProperty("maxBatchLength", out _)) config = config with { MaxBatchLength = Int(rpc, "maxBatchLength", 1, 100_000) };
        if (rpc.TryGetProperty("maxResponseBytes", out _)) config = config with { MaxResponseBytes = Long(rpc, "maxResponseBytes", 1024, long.MaxValue) };
        if (rpc.TryGetProperty("maxWebSocketConnections", out _)) config = config with { MaxWebSocketConnections = Int(rpc, "maxWebSocketConnections", 1, 1_000_000) };
        if (rpc.TryGetProperty("wsSendQueueMessages", out _)) config = config with { WsSendQueueMessages = Int(rpc, "wsSendQueueMessages", 1, 10_000_000) };
        if (rpc.TryGetProperty("wsSendQueueBytes", out _)) config = config with { WsSendQueueBytes = Long(rpc, "wsSendQueueBytes", 1024, long.MaxValue) };
        if (rpc.TryGetProperty("bodyReadTimeoutMs", out _)) config = config with { BodyReadTimeout = TimeSpan.FromMilliseconds(Int(rpc, "bodyReadTimeoutMs", 100, 3_600_000)) };
        if (rpc.TryGetProperty("allowUnprotectedTxs", out var au))
            config = config with { AllowUnprotectedTxs = au.ValueKind is JsonValueKind.True or JsonValueKind.False ? au.GetBoolean() : throw new ConfigException("config.rpc.allowUnprotectedTxs must be true or false") };
        if (rpc.TryGetProperty("apis", out var apis))
        {
            if (apis.ValueKind != JsonValueKind.Array || apis.EnumerateArray().Any(a => a.ValueKind != JsonValueKind.String || !Rpc.Hosting.NodeRpc.OptionalApis.Contains(a.GetString()!)))
                throw new ConfigException($"config.rpc.apis must be an array naming optional namespaces: {string.Join(", ", Rpc.Hosting.NodeRpc.OptionalApis)} (eth, net and web3 are always on)");
            eth = eth with { ExtraApis = apis.EnumerateArray().Select(a => a.GetString()!).ToHashSet() };
        }
        var exec = eth.Execution;
        if (rpc.TryGetProperty("gasCap", out _)) exec = exec with { GasCap = (ulong)Long(rpc, "gasCap", 0, long.MaxValue) };
        if (rpc.TryGetProperty("evmTimeoutMs", out _)) exec = exec with { Timeout = TimeSpan.FromMilliseconds(Int(rpc, "evmTimeoutMs", 1, 3_600_000)) };
        if (rpc.TryGetProperty("maxConcurrentCalls", out _)) exec = exec with { MaxConcurrent = Int(rpc, "maxConcurrentCalls", 1, 4096) };
        eth = eth with { Execution = exec };
        if (rpc.TryGetProperty("maxFilters", out _)) eth = eth with { MaxFilters = Int(rpc, "maxFilters", 1, 10_000_000) };
        if (rpc.TryGetProperty("maxSubscriptionsPerConnection", out _)) eth = eth with { MaxSubscriptionsPerConnection = Int(rpc, "maxSubscriptionsPerConnection", 1, 1_000_000) };
        if (rpc.TryGetProperty("maxFeeHistoryPercentiles", out _)) eth = eth with { MaxFeeHistoryPercentiles = Int(rpc, "maxFeeHistoryPercentiles", 1, 10_000) };
        if (rpc.TryGetProperty("maxProofKeys", out _)) eth = eth with { MaxProofKeys = Int(rpc, "maxProofKeys", 1, 1_000_000) };
        if (rpc.TryGetProperty("maxLogResults", out _)) eth = eth with { MaxLogResults = Int(rpc, "maxLogResults", 1, 10_000_000) };
        if (rpc.TryGetProperty("maxLogBlockRange", out _)) eth = eth with { MaxLogBlockRange = (ulong)Long(rpc, "maxLogBlockRange", 1, long.MaxValue) };
        if (rpc.TryGetProperty("filterJournalBlocks", out _)) eth = eth with { FilterJournalBlocks = Int(rpc, "filterJournalBlocks", 1, 1_000_000) };
        if (rpc.TryGetProperty("filterJournalLogs", out _)) eth = eth with { FilterJournalLogs = Long(rpc, "filterJournalLogs", 1, long.MaxValue) };
        if (rpc.TryGetProperty("filterJournalTransactions", out _)) eth = eth with { FilterJournalTransactions = Int(rpc, "filterJournalTransactions", 1, 100_000_000) };
        return config with { EthRpc = eth };
    }

    private static readonly string[] RpcFields =
    [
        "host", "port", "corsOrigins", "maxRequestBytes", "maxBatchLength", "maxResponseBytes", "maxWebSocketConnections",
        "wsSendQueueMessages", "wsSendQueueBytes", "bodyReadTimeoutMs", "allowUnprotectedTxs", "apis", "gasCap", "evmTimeoutMs",
        "maxConcurrentCalls", "maxFilters", "maxSubscriptionsPerConnection", "maxFeeHistoryPercentiles", "maxProofKeys",
        "maxLogResults", "maxLogBlockRange", "filterJournalBlocks", "filterJournalLogs", "filterJournalTransactions",
    ];

    private static int Int(JsonElement o, string name, int min, int max) =>
        o.GetProperty(name).TryGetInt32(out var v) && v >= min && v <= max ? v : throw new ConfigException($"config.rpc.{name} must be an integer from {min} to {max}");

    private static long Long(JsonElement o, string name, long min, long max) =>
        o.GetProperty(name).TryGetInt64(out var v) && v >= min && v <= max ? v : throw new ConfigException($"config.rpc.{name} must be an integer from {min} to {max}");

    private static GenesisSpec LoadGenesis(string path)
    {
        try
        {
            return GenesisSpec.Load(path);
        }
        catch (GenesisException e)
        {
            throw new ConfigException(e.Message);
        }
    }

    private static GenesisSpec ParseGenesis(string json)
    {
        try
        {
            return GenesisSpec.Parse(json);
        }
        catch (GenesisException e)
        {
            throw new ConfigException(e.Message);
        }
    }
}

public sealed class ConfigException(string message) : Exception(message);

/// <summary>What a node does with its chain: make blocks (sequencer) or only derive them from L1 (replica).</summary>
public enum NodeRole { Sequencer, Replica }
