using System.Text.Json.Nodes;
using OpenLedger.Attribution.Shares;
using OpenLedger.Attribution.Sketching;
using OpenLedger.Attribution.Spans;
using OpenLedger.Primitives;

namespace OpenLedger.Attribution.Records;

/// <summary>
/// JSON form of a record for tools and APIs. Amounts are decimal strings (uint256 does not fit a JSON number);
/// sketch values are base64 of the int8 bytes. "hash" is written on output and, when present on input, checked.
/// </summary>
public static class AttributionRecordJson
{
    public static JsonObject ToJson(AttributionRecord r)
    {
        var o = new JsonObject
        {
            ["version"] = (int)AttributionRecord.Version,
            ["modelId"] = r.ModelId.ToString(),
            ["inferenceId"] = r.InferenceId.ToString(),
            ["method"] = r.Method == AttributionMethod.GradientSketch ? "sketch" : "spans",
        };
        if (r.QuerySketch is { } s)
        {
            var bytes = new byte[s.Dimension];
            for (int i = 0; i < bytes.Length; i++) bytes[i] = (byte)s.Values[i];
            o["sketch"] = new JsonObject { ["scale"] = s.Scale, ["values"] = Convert.ToBase64String(bytes) };
        }
        else
        {
            o["spans"] = new JsonArray(r.Spans.Select(sp => (JsonNode)new JsonObject
            {
                ["position"] = sp.Position, ["length"] = sp.Length, ["count"] = sp.Count,
            }).ToArray());
        }
        o["fee"] = r.Fee.ToString();
        o["shares"] = SharesToJson(r.Shares);
        o["hash"] = r.Hash().ToString();
        return o;
    }

    public static JsonArray SharesToJson(IEnumerable<ContributionShare> shares) =>
        new(shares.Select(sh => (JsonNode)new JsonObject { ["contribution"] = sh.ContributionId, ["bps"] = sh.BasisPoints }).ToArray());

    public static AttributionRecord FromJson(JsonNode node)
    {
        ArgumentNullException.ThrowIfNull(node);
        try
        {
            var o = node.AsObject();
            int version = Get(o, "version").GetValue<int>();
            if (version != AttributionRecord.Version) throw new FormatException($"record version {version} is not supported");
            var model = Hash256.Parse(Get(o, "modelId").GetValue<string>());
            var inference = Hash256.Parse(Get(o, "inferenceId").GetValue<string>());
            var fee = UInt256.Parse(Get(o, "fee").GetValue<string>());
            var shares = Get(o, "shares").AsArray().Select(x => new ContributionShare(Get(x!.AsObject(), "contribution").GetValue<ulong>(), Get(x.AsObject(), "bps").GetValue<int>())).ToArray();
            string method = Get(o, "method").GetValue<string>();
            AttributionRecord record;
            if (method == "sketch")
            {
                var sk = Get(o, "sketch").AsObject();
                var bytes = Convert.FromBase64String(Get(sk, "values").GetValue<string>());
                var values = new sbyte[bytes.Length];
                for (int i = 0; i < bytes.Length; i++) values[i] = (sbyte)bytes[i];
                record = AttributionRecord.ForSketch(model, inference, new Sketch(values, Get(sk, "scale").GetValue<int>()), fee, shares);
            }
            else if (method == "spans")
            {
                var spans = Get(o, "spans").AsArray().Select(x => new MatchedSpan(Get(x!.AsObject(), "position").GetValue<int>(), Get(x.AsObject(), "length").GetValue<int>(), Get(x.AsObject(), "count").GetValue<long>())).ToArray();
                record = AttributionRecord.ForSpans(model, inference, spans, fee, shares);
            }
            else throw new FormatException($"unknown method '{method}' (expected sketch or spans)");
            if (o["hash"] is { } h && Hash256.Parse(h.GetValue<string>()) != record.Hash())
                throw new FormatException($"record {inference}: its hash does not match its contents");
            return record;
        }
        catch (Exception e) when (e is InvalidOperationException or ArgumentException or System.Text.Json.JsonException)
        {
            throw new FormatException($"malformed attribution record: {e.Message}", e);
        }
    }

    private static JsonNode Get(JsonObject o, string name) =>
        o[name] ?? throw new FormatException($"attribution record lacks \"{name}\"");
}
