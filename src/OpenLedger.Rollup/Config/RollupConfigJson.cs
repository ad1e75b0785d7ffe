using System.Globalization;
using System.Text.Json;

namespace OpenLedger.Rollup.Config;

/// <summary>
/// Reads and writes op-node's rollup.json. Fields op-node has but derivation here does not use are accepted and
/// ignored (listed in <see cref="IgnoredFields"/>); any other field, a missing required one, or a bad value is a
/// <see cref="RollupConfigException"/> naming it.
/// </summary>
public static class RollupConfigJson
{
    private static readonly string[] Known =
    [
        "genesis", "block_time", "max_sequencer_drift", "seq_window_size", "channel_timeout", "l1_chain_id", "l2_chain_id",
        "batch_inbox_address", "deposit_contract_address", "l1_system_config_address",
        "regolith_time", "canyon_time", "delta_time", "ecotone_time", "fjord_time", "granite_time", "holocene_time", "isthmus_time",
        "jovian_time", "interop_time",
    ];

    public static readonly string[] IgnoredFields = ["protocol_versions_address", "da_challenge_contract_address", "chain_op_config", "alt_da", "pectra_blob_schedule_time"];

    public static RollupConfig Load(string path)
    {
        string text;
        try { text = File.ReadAllText(path); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { throw new RollupConfigException($"rollup config {path}: {e.Message}"); }
        return Parse(text);
    }

    public static RollupConfig Parse(string json)
    {
        JsonDocument doc;
        try { doc = JsonDocument.Parse(json); }
        catch (JsonException e) { throw new RollupConfigException($"rollup config: not valid JSON: {e.Message}"); }
        using (doc)
        {
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object) throw new RollupConfigException("rollup config: expected a JSON object");
            foreach (var p in root.EnumerateObject())
                if (!Known.Contains(p.Name) && !IgnoredFields.Contains(p.Name)) throw new RollupConfigException($"rollup config: unknown field \"{p.Name}\"");

            var genesis = Obj(root, "genesis");
            var sys = Obj(genesis, "system_config", "genesis.");
            var config = new RollupConfig
            {
                GenesisL1 = Id(genesis, "l1"),
                GenesisL2 = Id(genesis, "l2"),
                GenesisL2Time = U64(genesis, "l2_time", "genesis."),
                GenesisSystemConfig = new SystemConfig(
                    Addr(sys, "batcherAddr", "genesis.system_config."),
                    Hash(sys, "overhead", "genesis.system_config."),
                    Hash(sys, "scalar", "genesis.system_config."),
                    U64(sys, "gasLimit", "genesis.system_config."))
                {
                    GasTokenPerEth = OptU256(sys, "gasTokenPerEth", "genesis.system_config."),
                },
                BlockTime = U64(root, "block_time"),
                MaxSequencerDrift = U64(root, "max_sequencer_drift"),
                SeqWindowSize = U64(root, "seq_window_size"),
                ChannelTimeout = U64(root, "channel_timeout"),
                L1ChainId = U64(root, "l1_chain_id"),
                L2ChainId = U64(root, "l2_chain_id"),
                BatchInboxAddress = Addr(root, "batch_inbox_address"),
                DepositContractAddress = Addr(root, "deposit_contract_address"),
                L1SystemConfigAddress = Addr(root, "l1_system_config_address"),
                FjordTime = OptU64(root, "fjord_time") ?? ulong.MaxValue,
                GraniteTime = OptU64(root, "granite_time"),
            };
            ulong g = config.GenesisL2Time;
            foreach (var fork in new[] { "regolith_time", "canyon_time", "delta_time", "ecotone_time", "fjord_time" })
            {
                var t = OptU64(root, fork);
                if (t is null || t > g)
                    throw new RollupConfigException($"rollup config: {fork} must be at or before genesis.l2_time ({g}): this node derives only chains that start with Fjord active");
            }
            foreach (var fork in new[] { "holocene_time", "isthmus_time", "jovian_time", "interop_time" })
                if (OptU64(root, fork) is not null) throw new RollupConfigException($"rollup config: {fork}: this node does not implement that hardfork's derivation rules; leave it unset");
            Validate(config);
            return config;
        }
    }

    private static void Validate(RollupConfig c)
    {
        if (c.BlockTime == 0) throw new RollupConfigException("rollup config: block_time must be positive");
        if (c.SeqWindowSize < 2) throw new RollupConfigException("rollup config: seq_window_size must be at least 2");
        if (c.ChannelTimeout == 0) throw new RollupConfigException("rollup config: channel_timeout must be positive");
        if (c.L1ChainId == 0 || c.L2ChainId == 0) throw new RollupConfigException("rollup config: chain ids must be positive");
        if (c.L1ChainId == c.L2ChainId) throw new RollupConfigException("rollup config: l1_chain_id and l2_chain_id must differ");
        if (c.BatchInboxAddress.IsZero) throw new RollupConfigException("rollup config: batch_inbox_address must not be zero");
        if (c.GenesisSystemConfig.BatcherAddress.IsZero) throw new RollupConfigException("rollup config: genesis.system_config.batcherAddr must not be zero");
        if (c.GenesisSystemConfig.GasLimit == 0) throw new RollupConfigException("rollup config: genesis.system_config.gasLimit must be positive");
        var v = c.GenesisSystemConfig.Scalar.Bytes;
        if (v[0] > 1 || (v[0] == 1 && !v[1..24].IsEmpty && v[1..24].IndexOfAnyExcept((byte)0) >= 0) || (v[0] == 0 && v[1..28].IndexOfAnyExcept((byte)0) >= 0))
            throw new RollupConfigException("rollup config: genesis.system_config.scalar is not a version 0 or version 1 (Ecotone) scalar");
    }

    public static string Serialize(RollupConfig c)
    {
        var o = new Dictionary<string, object?>
        {
            ["genesis"] = new Dictionary<string, object?>
            {
                ["l1"] = new Dictionary<string, object?> { ["hash"] = c.GenesisL1.Hash.ToString(), ["number"] = c.GenesisL1.Number },
                ["l2"] = new Dictionary<string, object?> { ["hash"] = c.GenesisL2.Hash.ToString(), ["number"] = c.GenesisL2.Number },
                ["l2_time"] = c.GenesisL2Time,
                ["system_config"] = new Dictionary<string, object?>
                {
                    ["batcherAddr"] = c.GenesisSystemConfig.BatcherAddress.ToString(),
                    ["overhead"] = c.GenesisSystemConfig.Overhead.ToString(),
                    ["scalar"] = c.GenesisSystemConfig.Scalar.ToString(),
                    ["gasLimit"] = c.GenesisSystemConfig.GasLimit,
                    ["gasTokenPerEth"] = c.GenesisSystemConfig.GasTokenPerEth.ToString(),
                },
            },
            ["block_time"] = c.BlockTime,
            ["max_sequencer_drift"] = c.MaxSequencerDrift,
            ["seq_window_size"] = c.SeqWindowSize,
            ["channel_timeout"] = c.ChannelTimeout,
            ["l1_chain_id"] = c.L1ChainId,
            ["l2_chain_id"] = c.L2ChainId,
            ["regolith_time"] = 0, ["canyon_time"] = 0, ["delta_time"] = 0, ["ecotone_time"] = 0,
            ["fjord_time"] = c.FjordTime,
            ["batch_inbox_address"] = c.BatchInboxAddress.ToString(),
            ["deposit_contract_address"] = c.DepositContractAddress.ToString(),
            ["l1_system_config_address"] = c.L1SystemConfigAddress.ToString(),
        };
        if (c.GraniteTime is { } gt) o["granite_time"] = gt;
        return JsonSerializer.Serialize(o, new JsonSerializerOptions { WriteIndented = true });
    }

    /// <summary>Ours: an optional uint256 as a decimal or 0x-hex string; zero when absent.</summary>
    private static UInt256 OptU256(JsonElement e, string name, string prefix)
    {
        if (!e.TryGetProperty(name, out var v)) return UInt256.Zero;
        return v.ValueKind == JsonValueKind.String && UInt256.TryParse(v.GetString(), out var x) ? x
            : throw new RollupConfigException($"rollup config: {prefix}{name} must be a uint256 as a decimal or 0x-hex string");
    }

    private static JsonElement Obj(JsonElement e, string name, string prefix = "")
    {
        if (!e.TryGetProperty(name, out var v)) throw new RollupConfigException($"rollup config: missing {prefix}{name}");
        if (v.ValueKind != JsonValueKind.Object) throw new RollupConfigException($"rollup config: {prefix}{name} must be an object");
        return v;
    }

    private static BlockId Id(JsonElement genesis, string name)
    {
        var o = Obj(genesis, name, "genesis.");
        return new BlockId(Hash(o, "hash", $"genesis.{name}."), U64(o, "number", $"genesis.{name}."));
    }

    private static ulong? OptU64(JsonElement e, string name, string prefix = "")
    {
        if (!e.TryGetProperty(name, out var v) || v.ValueKind == JsonValueKind.Null) return null;
        if (v.ValueKind == JsonValueKind.Number && v.TryGetUInt64(out var n)) return n;
        if (v.ValueKind == JsonValueKind.String)
        {
            var s = v.GetString()!;
            if (s.StartsWith("0x", StringComparison.OrdinalIgnoreCase) && ulong.TryParse(s.AsSpan(2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out n)) return n;
        }
        throw new RollupConfigException($"rollup config: {prefix}{name} must be an unsigned 64-bit integer, got {v.GetRawText()}");
    }

    private static ulong U64(JsonElement e, string name, string prefix = "") =>
        OptU64(e, name, prefix) ?? throw new RollupConfigException($"rollup config: missing {prefix}{name}");

    private static string Str(JsonElement e, string name, string prefix)
    {
        if (!e.TryGetProperty(name, out var v)) throw new RollupConfigException($"rollup config: missing {prefix}{name}");
        if (v.ValueKind != JsonValueKind.String) throw new RollupConfigException($"rollup config: {prefix}{name} must be a hex string");
        return v.GetString()!;
    }

    private static Address Addr(JsonElement e, string name, string prefix = "")
    {
        var s = Str(e, name, prefix);
        if (s.Length != 42 || !Address.TryParse(s, out var a)) throw new RollupConfigException($"rollup config: {prefix}{name} is not a 20-byte hex address: \"{s}\"");
        return a;
    }

    private static Hash256 Hash(JsonElement e, string name, string prefix = "")
    {
        var s = Str(e, name, prefix);
        if (s.Length != 66 || !Hash256.TryParse(s, out var h)) throw new RollupConfigException($"rollup config: {prefix}{name} is not a 32-byte hex value: \"{s}\"");
        return h;
    }
}
