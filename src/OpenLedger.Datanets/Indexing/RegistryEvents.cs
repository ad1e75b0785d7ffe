using System.Text.Json;
using System.Text.Json.Nodes;
using OpenLedger.Primitives;
using OpenLedger.Primitives.Abi;

namespace OpenLedger.Datanets.Indexing;

/// <summary>The events of DatanetRegistry, ModelRegistry and AttributionRewards the indexer reads, as declared in contracts/src/l2.</summary>
public static class RegistryEvents
{
    public static readonly AbiEvent[] Datanet =
    [
        Ev("DatanetCreated", "uint256 indexed datanetId, address indexed owner, uint8 kind, string name, string metadataURI, string license, uint128 fee, uint64 maxFileBytes"),
        Ev("DatanetUpdated", "uint256 indexed datanetId, string metadataURI, uint128 fee, uint64 maxFileBytes"),
        Ev("DatanetOwnershipTransferred", "uint256 indexed datanetId, address indexed previousOwner, address indexed newOwner"),
        Ev("CuratorSet", "uint256 indexed datanetId, address indexed curator, bool allowed"),
        Ev("Contributed", "uint256 indexed contributionId, uint256 indexed datanetId, address indexed contributor, bytes32 contentHash, uint64 size, string metadataURI, uint128 feePaid"),
        Ev("ContributionReviewed", "uint256 indexed contributionId, uint256 indexed datanetId, uint8 status, address reviewer"),
        Ev("VersionPublished", "uint256 indexed datanetId, uint64 indexed version, bytes32 root, uint64 count"),
        Ev("FeesWithdrawn", "uint256 indexed datanetId, address indexed to, uint256 amount"),
        Ev("LimitsSet", "uint128 maxUserBytesPerDay, uint64 maxUserFilesPerDay, uint128 maxDatanetBytesPerDay"),
    ];

    public static readonly AbiEvent[] Model =
    [
        Ev("ModelRegistered", "uint256 indexed modelId, address indexed owner, uint8 kind, string baseModel, string metadataURI, uint128 pricePer1kTokens"),
        Ev("ModelVersionAdded", "uint256 indexed modelId, uint64 indexed version, bytes32 adapterHash, bytes32 trainingConfigHash, (uint256,uint64,bytes32)[] trainedOn"),
        Ev("ModelPriceSet", "uint256 indexed modelId, uint128 pricePer1kTokens"),
        Ev("ModelDeactivated", "uint256 indexed modelId, address by"),
        Ev("ModelOwnershipTransferred", "uint256 indexed modelId, address indexed previousOwner, address indexed newOwner"),
    ];

    public static readonly AbiEvent[] Rewards =
    [
        Ev("FeesDeposited", "uint256 indexed epoch, address indexed from, uint256 amount, uint256 epochFees"),
        Ev("RootPosted", "uint256 indexed epoch, bytes32 root, uint256 total, uint256 distributable, address poster"),
        Ev("RootReplaced", "uint256 indexed epoch, bytes32 oldRoot, bytes32 newRoot, uint256 newTotal"),
        Ev("Claimed", "uint256 indexed epoch, address indexed account, uint256 amount"),
        Ev("ProtocolShareReleased", "uint256 indexed epoch, address indexed treasury, uint256 amount"),
    ];

    private static readonly Dictionary<Hash256, AbiEvent> ByTopic =
        Datanet.Concat(Model).Concat(Rewards).ToDictionary(e => e.Topic0);

    /// <summary>Every topic0 the indexer asks eth_getLogs for.</summary>
    public static IEnumerable<Hash256> Topics => ByTopic.Keys;

    /// <summary>Decodes a log into (event name, arguments as a JSON object), or null when the topic is not one of ours.</summary>
    public static (string Name, string ArgsJson)? TryDecode(IReadOnlyList<Hash256> topics, ReadOnlySpan<byte> data)
    {
        if (topics.Count == 0 || !ByTopic.TryGetValue(topics[0], out var ev)) return null;
        var decoded = ev.Decode(topics, data);
        var obj = new JsonObject();
        for (int i = 0; i < ev.Inputs.Count; i++) obj[ev.Inputs[i].Name] = ToJson(decoded.Values[i]);
        return (ev.Name, obj.ToJsonString());
    }

    private static JsonNode? ToJson(object? v) => v switch
    {
        UInt256 u => JsonValue.Create(u.ToString()),
        Address a => JsonValue.Create(a.ToLowerHex()),
        Hash256 h => JsonValue.Create(h.ToString()),
        byte[] b => JsonValue.Create(Hex.Encode(b)),
        string s => JsonValue.Create(s),
        bool b => JsonValue.Create(b),
        object?[] arr => new JsonArray(arr.Select(ToJson).ToArray()),
        System.Numerics.BigInteger bi => JsonValue.Create(bi.ToString(System.Globalization.CultureInfo.InvariantCulture)),
        null => null,
        _ => throw new AbiDecodingException($"unexpected decoded value {v.GetType().Name}"),
    };

    private static AbiEvent Ev(string name, string inputs)
    {
        var ps = inputs.Split(", ").Select(p =>
        {
            var words = p.Split(' ');
            bool indexed = words.Length == 3;
            return new AbiParameter(words[^1], AbiType.Parse(words[0]), indexed);
        }).ToList();
        return new AbiEvent(name, ps);
    }
}
