using System.Text.Json;
using System.Text.Json.Nodes;
using OpenLedger.Attribution.Records;
using OpenLedger.Primitives;

namespace OpenLedger.Serving.Attribution;

/// <summary>One answered request, with every input a prover needs to recompute its attribution record.</summary>
public sealed record InferenceLogEntry(
    string RequestId, Hash256 InferenceId, DateTimeOffset Time, string Model, ulong? RegistryId, Hash256? AdapterHash,
    int[] PromptTokens, int[] CompletionTokens, int? EosToken, string FinishReason, UInt256 PricePer1kTokens, UInt256 Fee,
    string Account, AttributionRecord? Record, int? SketchTopK, string? ChargeReference);

/// <summary>
/// The JSON-lines inference log (DATADIR/inference-log.jsonl): one line per answered request, appended and flushed to
/// the disk before the answer is returned. Fields (docs/serving.md): `requestId`, `inferenceId` (keccak256 of the
/// request id, the record's inference id), `time`, `model`, `registryId`, `adapterHash`, `promptTokens`,
/// `completionTokens`, `endedWithEos`, `eosToken` (the EOS id the model ended with, or null: the answer sketched is completionTokens followed by it),
/// `finishReason`, `pricePer1kTokens`, `fee` (decimal wei), `account`, `recordHash`, `record` (the canonical encoding,
/// hex), `sketchTopK`, `chargeReference`.
/// </summary>
public sealed class InferenceLog : IDisposable
{
    public const string FileName = "inference-log.jsonl";
    private readonly FileStream _file;
    private readonly object _lock = new();
    public string Path { get; }

    public InferenceLog(string dataDir)
    {
        Directory.CreateDirectory(dataDir);
        Path = System.IO.Path.Combine(dataDir, FileName);
        _file = new FileStream(Path, FileMode.Append, FileAccess.Write, FileShare.Read);
    }

    public static JsonObject ToJson(InferenceLogEntry e) => new()
    {
        ["requestId"] = e.RequestId,
        ["inferenceId"] = e.InferenceId.ToString(),
        ["time"] = e.Time.ToUnixTimeMilliseconds(),
        ["model"] = e.Model,
        ["registryId"] = e.RegistryId,
        ["adapterHash"] = e.AdapterHash?.ToString(),
        ["promptTokens"] = new JsonArray(e.PromptTokens.Select(t => (JsonNode)t).ToArray()),
        ["completionTokens"] = new JsonArray(e.CompletionTokens.Select(t => (JsonNode)t).ToArray()),
        ["endedWithEos"] = e.EosToken != null,
        ["eosToken"] = e.EosToken,
        ["finishReason"] = e.FinishReason,
        ["pricePer1kTokens"] = e.PricePer1kTokens.ToString(),
        ["fee"] = e.Fee.ToString(),
        ["account"] = e.Account,
        ["recordHash"] = e.Record?.Hash().ToString(),
        ["record"] = e.Record == null ? null : Hex.Encode(e.Record.Encode()),
        ["sketchTopK"] = e.SketchTopK,
        ["chargeReference"] = e.ChargeReference,
    };

    public void Append(InferenceLogEntry entry)
    {
        var line = System.Text.Encoding.UTF8.GetBytes(ToJson(entry).ToJsonString() + "\n");
        lock (_lock)
        {
            _file.Write(line);
            _file.Flush(flushToDisk: true);
        }
    }

    /// <summary>Reads a log back (for provers and tests); a torn last line (crash mid-write) is skipped.</summary>
    public static IEnumerable<JsonObject> Read(string path)
    {
        foreach (var line in File.ReadLines(path))
        {
            if (line.Length == 0) continue;
            JsonObject? o;
            try { o = JsonNode.Parse(line) as JsonObject; }
            catch (JsonException) { continue; }
            if (o != null) yield return o;
        }
    }

    public void Dispose()
    {
        lock (_lock) _file.Dispose();
    }
}
