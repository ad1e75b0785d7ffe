using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;

namespace OpenLedger.Settlement.Prover;

/// <summary>
/// Publishes a posted epoch to the Datanets API: its leaves (<c>PUT /api/epochs/{n}/leaves</c>, what claimants read
/// proofs from) and its epoch file (<c>PUT /api/epochs/{n}/records</c>, the records behind the root). The API checks
/// both against the root the chain holds, which its indexer may not have seen yet: a 409 is retried for a while.
/// </summary>
public static class EpochPublisher
{
    public static async Task PublishAsync(string apiBaseUrl, ulong epoch, JsonObject epochFile, CancellationToken ct = default, int attempts = 40)
    {
        using var http = new HttpClient { BaseAddress = new Uri(apiBaseUrl.TrimEnd('/') + "/"), Timeout = TimeSpan.FromSeconds(60) };
        var leaves = new JsonObject
        {
            ["claims"] = new JsonArray((epochFile["claims"] as JsonArray ?? []).Select(c => (JsonNode)new JsonObject
            {
                ["account"] = c!["account"]!.GetValue<string>(), ["amount"] = c["amount"]!.GetValue<string>(),
            }).ToArray()),
        };
        await PutAsync(http, $"api/epochs/{epoch}/leaves", leaves.ToJsonString(), apiBaseUrl, attempts, ct);
        await PutAsync(http, $"api/epochs/{epoch}/records", epochFile.ToJsonString(), apiBaseUrl, attempts, ct);
    }

    private static async Task PutAsync(HttpClient http, string path, string json, string baseUrl, int attempts, CancellationToken ct)
    {
        for (int attempt = 1; ; attempt++)
        {
            using var res = await http.PutAsync(path, new StringContent(json, Encoding.UTF8, "application/json"), ct);
            if (res.IsSuccessStatusCode) return;
            var text = await res.Content.ReadAsStringAsync(ct);
            // 409 while the indexer has not seen the root (or the contributions/model) yet; anything else is final.
            if (attempt >= attempts || (int)res.StatusCode != 409)
                throw new InvalidOperationException($"PUT {baseUrl.TrimEnd('/')}/{path} failed: {(int)res.StatusCode} {text}");
            await Task.Delay(500, ct);
        }
    }
}
