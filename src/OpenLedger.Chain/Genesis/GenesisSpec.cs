using System.Globalization;
using System.Text.Json;
using OpenLedger.Primitives;

namespace OpenLedger.Chain.Genesis;

/// <summary>One prefunded or predeployed account of the genesis "alloc".</summary>
public sealed record GenesisAccount(UInt256 Balance, ulong Nonce, byte[] Code, IReadOnlyDictionary<UInt256, UInt256> Storage);

/// <summary>A genesis file in geth's format: config, alloc and the genesis header fields.</summary>
public sealed record GenesisSpec
{
    public required ChainConfig Config { get; init; }
    public required IReadOnlyDictionary<Address, GenesisAccount> Alloc { get; init; }
    public ulong GasLimit { get; init; } = 30_000_000;
    public ulong Timestamp { get; init; }
    public byte[] ExtraData { get; init; } = [];
    public UInt256 BaseFeePerGas { get; init; } = new(1_000_000_000);
    public Address Coinbase { get; init; }
    public Hash256 MixHash { get; init; }

    public static GenesisSpec Load(string path)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (IOException e)
        {
            throw new GenesisException($"cannot read genesis file {path}: {e.Message}");
        }
        return Parse(text);
    }

    /// <summary>Parses and validates a geth-style genesis JSON; errors name the field.</summary>
    public static GenesisSpec Parse(string json)
    {
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(json, new JsonDocumentOptions { AllowTrailingCommas = false, MaxDepth = 16 });
        }
        catch (JsonException e)
        {
            throw new GenesisException($"genesis is not valid JSON: {e.Message}");
        }

        using (doc)
        {
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object) throw new GenesisException("genesis must be a JSON object");
            if (!root.TryGetProperty("config", out var cfg) || cfg.ValueKind != JsonValueKind.Object)
                throw new GenesisException("genesis.config is missing");

            var config = ParseConfig(cfg);
            var alloc = new Dictionary<Address, GenesisAccount>();
            if (root.TryGetProperty("alloc", out var allocEl))
            {
                if (allocEl.ValueKind != JsonValueKind.Object) throw new GenesisException("genesis.alloc must be an object");
                foreach (var entry in allocEl.EnumerateObject())
                {
                    var key = entry.Name.StartsWith("0x", StringComparison.OrdinalIgnoreCase) ? entry.Name : "0x" + entry.Name;
                    if (!Address.TryParse(key, out var address)) throw new GenesisException($"genesis.alloc: bad address '{entry.Name}'");
                    if (!alloc.TryAdd(address, ParseAccount(entry.Value, $"alloc[{entry.Name}]")))
                        throw new GenesisException($"genesis.alloc: duplicate address {address}");
                }
            }

            return new GenesisSpec
            {
                Config = config,
                Alloc = alloc,
                GasLimit = OptionalU64(root, "gasLimit", "genesis.gasLimit") ?? 30_000_000,
                Timestamp = OptionalU64(root, "timestamp", "genesis.timestamp") ?? 0,
                ExtraData = root.TryGetProperty("extraData", out var ed) ? HexField(ed, "genesis.extraData", maxLength: 32) : [],
                BaseFeePerGas = root.TryGetProperty("baseFeePerGas", out var bf) ? U256(bf, "genesis.baseFeePerGas") : new UInt256(1_000_000_000),
                Coinbase = root.TryGetProperty("coinbase", out var cb) ? AddressField(cb, "genesis.coinbase") : Address.Zero,
                MixHash = root.TryGetProperty("mixHash", out var mh) ? new Hash256(HexField(mh, "genesis.mixHash", exactLength: 32)) : default,
            };
        }
    }

    private static ChainConfig ParseConfig(JsonElement cfg)
    {
        var chainId = OptionalU64(cfg, "chainId", "config.chainId") ?? throw new GenesisException("config.chainId is missing");
        if (chainId == 0) throw new GenesisException("config.chainId must not be 0");
        var (prague, osaka) = ParseForks(cfg);
        var currency = NativeCurrency.Open;
        if (cfg.TryGetProperty("nativeCurrency", out var nc))
        {
            currency = new NativeCurrency(
                StringField(nc, "name", "config.nativeCurrency.name"),
                StringField(nc, "symbol", "config.nativeCurrency.symbol"),
                (int)(OptionalU64(nc, "decimals", "config.nativeCurrency.decimals") ?? 18));
        }

        var config = new ChainConfig { ChainId = chainId, Currency = currency, PragueTime = prague, OsakaTime = osaka };
        if (cfg.TryGetProperty("optimism", out var op))
        {
            if (op.ValueKind != JsonValueKind.Object) throw new GenesisException("config.optimism must be an object (it turns on the OP Stack fee rules)");
            config = config with { Optimism = true };
        }
        if (cfg.TryGetProperty("eip1559", out var fee))
        {
            config = config with
            {
                BaseFeeElasticity = OptionalU64(fee, "elasticityMultiplier", "config.eip1559.elasticityMultiplier") ?? config.BaseFeeElasticity,
                BaseFeeChangeDenominator = OptionalU64(fee, "baseFeeChangeDenominator", "config.eip1559.baseFeeChangeDenominator") ?? config.BaseFeeChangeDenominator,
                MinBaseFee = fee.TryGetProperty("minBaseFee", out var mbf) ? U256(mbf, "config.eip1559.minBaseFee") : config.MinBaseFee,
            };
            if (config.BaseFeeElasticity == 0 || config.BaseFeeChangeDenominator == 0)
                throw new GenesisException("config.eip1559: elasticityMultiplier and baseFeeChangeDenominator must be positive");
        }
        return config;
    }

    // Pre-merge forks are activated by block number; this node starts post-merge, so any that is named must be 0.
    private static readonly string[] BlockForks =
    [
        "homesteadBlock", "daoForkBlock", "eip150Block", "eip155Block", "eip158Block", "byzantiumBlock", "constantinopleBlock",
        "petersburgBlock", "istanbulBlock", "muirGlacierBlock", "berlinBlock", "londonBlock", "arrowGlacierBlock",
        "grayGlacierBlock", "mergeNetsplitBlock",
    ];
    private static readonly string[] TimeForks = ["shanghaiTime", "cancunTime", "pragueTime", "osakaTime"];

    /// <summary>
    /// Fork times as geth's config names them. Shanghai and Cancun must be active from genesis (0 or absent);
    /// Prague and Osaka are optional, Osaka only with Prague at or before it. Unknown fork keys are rejected.
    /// </summary>
    private static (ulong? Prague, ulong? Osaka) ParseForks(JsonElement cfg)
    {
        foreach (var p in cfg.EnumerateObject())
        {
            bool forkKey = p.Name.EndsWith("Block", StringComparison.Ordinal) || p.Name.EndsWith("Time", StringComparison.Ordinal);
            if (forkKey && !BlockForks.Contains(p.Name) && !TimeForks.Contains(p.Name))
                throw new GenesisException($"config.{p.Name}: unknown fork '{p.Name[..^(p.Name.EndsWith("Time") ? 4 : 5)]}' (known: shanghai, cancun, prague, osaka, and the pre-merge block forks at 0)");
        }
        foreach (var name in BlockForks)
            if (OptionalU64(cfg, name, "config." + name) is { } n && n != 0)
                throw new GenesisException($"config.{name} is {n}: this node starts after the merge, so pre-merge forks must be active from block 0");
        foreach (var name in new[] { "shanghaiTime", "cancunTime" })
            if (OptionalU64(cfg, name, "config." + name) is { } t && t != 0)
                throw new GenesisException($"config.{name} is {t}: this node runs Cancun or later, so it must be 0 (active from genesis)");
        var prague = OptionalU64(cfg, "pragueTime", "config.pragueTime");
        var osaka = OptionalU64(cfg, "osakaTime", "config.osakaTime");
        if (osaka is { } o)
        {
            if (prague is not { } p) throw new GenesisException($"config.osakaTime is {o} but config.pragueTime is missing: Osaka requires Prague at or before it");
            if (o < p) throw new GenesisException($"config.osakaTime ({o}) is before config.pragueTime ({p}): fork times must not decrease");
        }
        return (prague, osaka);
    }

    private static GenesisAccount ParseAccount(JsonElement a, string where)
    {
        if (a.ValueKind != JsonValueKind.Object) throw new GenesisException($"genesis.{where} must be an object");
        var balance = a.TryGetProperty("balance", out var b) ? U256(b, $"genesis.{where}.balance") : UInt256.Zero;
        var nonce = OptionalU64(a, "nonce", $"genesis.{where}.nonce") ?? 0;
        var code = a.TryGetProperty("code", out var c) ? HexField(c, $"genesis.{where}.code", maxLength: 24576) : [];
        var storage = new Dictionary<UInt256, UInt256>();
        if (a.TryGetProperty("storage", out var s))
        {
            if (s.ValueKind != JsonValueKind.Object) throw new GenesisException($"genesis.{where}.storage must be an object");
            foreach (var slot in s.EnumerateObject())
            {
                var key = ParseU256Text(slot.Name, $"genesis.{where}.storage key");
                storage[key] = U256(slot.Value, $"genesis.{where}.storage[{slot.Name}]");
            }
        }
        return new GenesisAccount(balance, nonce, code, storage);
    }

    private static string StringField(JsonElement o, string name, string where) =>
        o.TryGetProperty(name, out var e) && e.ValueKind == JsonValueKind.String ? e.GetString()! : throw new GenesisException($"{where} must be a string");

    private static ulong? OptionalU64(JsonElement o, string name, string where)
    {
        if (!o.TryGetProperty(name, out var e) || e.ValueKind == JsonValueKind.Null) return null;
        if (e.ValueKind == JsonValueKind.Number && e.TryGetUInt64(out var n)) return n;
        var v = U256(e, where);
        return v.IsUlong ? (ulong)v : throw new GenesisException($"{where} does not fit in 64 bits");
    }

    private static UInt256 U256(JsonElement e, string where) => e.ValueKind switch
    {
        JsonValueKind.String => ParseU256Text(e.GetString()!, where),
        JsonValueKind.Number when e.TryGetUInt64(out var n) => new UInt256(n),
        _ => throw new GenesisException($"{where} must be a hex or decimal string or a non-negative integer"),
    };

    private static UInt256 ParseU256Text(string s, string where)
    {
        try
        {
            return UInt256.Parse(s);
        }
        catch (Exception e) when (e is FormatException or OverflowException)
        {
            throw new GenesisException($"{where}: '{s}' is not a 256-bit number ({e.Message})");
        }
    }

    private static Address AddressField(JsonElement e, string where) =>
        e.ValueKind == JsonValueKind.String && Address.TryParse(e.GetString(), out var a) ? a : throw new GenesisException($"{where} must be a 20-byte hex address");

    private static byte[] HexField(JsonElement e, string where, int maxLength = int.MaxValue, int exactLength = -1)
    {
        if (e.ValueKind != JsonValueKind.String) throw new GenesisException($"{where} must be a hex string");
        byte[] bytes;
        try
        {
            bytes = Hex.Decode(e.GetString()!);
        }
        catch (FormatException ex)
        {
            throw new GenesisException($"{where}: {ex.Message}");
        }
        if (exactLength >= 0 && bytes.Length != exactLength) throw new GenesisException($"{where} must be {exactLength} bytes, got {bytes.Length}");
        if (bytes.Length > maxLength) throw new GenesisException($"{where} is {bytes.Length} bytes, limit {maxLength}");
        return bytes;
    }
}

public sealed class GenesisException(string message) : Exception(message);
