using System.Text.Json;

namespace OpenLedger.Rpc.Hosting;

/// <summary>The node's health for /health and /readyz: healthy or not, and each failing part with its reason.</summary>
public sealed record HealthReport(bool Healthy, IReadOnlyDictionary<string, string> Problems)
{
    public string ToJson() => JsonSerializer.Serialize(new { healthy = Healthy, problems = Problems });
}
