using System.Net;
using System.Text.Json;
using OpenLedger.Chain.Genesis;
using OpenLedger.Primitives;

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
    /// <summary>Null: instant mode (seal on each transaction).</summary>
    public TimeSpan? BlockTime { get; init; } = TimeSpan.FromSeconds(1);
    /// <summary>Dev mode (evm_*/anvil_* methods, eth_sendTransaction for these accounts): set by `openledger devnet` only, never read from a config file.</summary>
    public IReadOnlyList<(Address Address, byte[] Key)>? DevAccounts { get; init; }
    /// <summary>Null: a plain (non-rollup) chain; otherwise where the sequencer reads L1 and the rollup rules.</summary>
    public RollupNodeConfig? Rollup { get; init; }

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
                if (p.Name is not ("datadir" or "genesis" or "coinbase" or "rpc" or "sequencer" or "rollup"))
                    throw new ConfigException($"config: unknown field '{p.Name}' (known: datadir, genesis, coinbase, rpc, sequencer, rollup)");

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
                config = config with { Rollup = RollupNodeConfig.Parse(rollup, seconds) };
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
        if (rpc.TryGetProperty("maxRequestBytes", out var mrb))
            config = config with { MaxRequestBytes = mrb.TryGetInt32(out var v) && v >= 1024 ? v : throw new ConfigException("config.rpc.maxRequestBytes must be an integer >= 1024") };
        if (rpc.TryGetProperty("maxBatchLength", out var mbl))
            config = config with { MaxBatchLength = mbl.TryGetInt32(out var v) && v >= 1 ? v : throw new ConfigException("config.rpc.maxBatchLength must be a positive integer") };
        return config;
    }

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
