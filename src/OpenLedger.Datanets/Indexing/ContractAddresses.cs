using System.Text.Json;
using OpenLedger.Primitives;

namespace OpenLedger.Datanets.Indexing;

/// <summary>The L2 app contracts the service follows (lower-case hex).</summary>
public sealed record ContractAddresses(string DatanetRegistry, string ModelRegistry, string AttributionRewards)
{
    public IReadOnlyList<string> All => [DatanetRegistry, ModelRegistry, AttributionRewards];

    /// <summary>Reads <c>deployments/&lt;chainid&gt;-l2.json</c> as DeployL2.s.sol writes it.</summary>
    public static ContractAddresses Load(string file)
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(file));
        string Get(string name)
        {
            if (!doc.RootElement.TryGetProperty(name, out var v) || v.ValueKind != JsonValueKind.String || !Address.TryParse(v.GetString(), out var a))
                throw new ArgumentException($"{file}: \"{name}\" is missing or not an address");
            return a.ToLowerHex();
        }
        return new ContractAddresses(Get("DatanetRegistry"), Get("ModelRegistry"), Get("AttributionRewards"));
    }
}
