using System.Globalization;
using System.Text.Json.Nodes;
using OpenLedger.Attribution.Epochs;
using OpenLedger.Attribution.Records;
using OpenLedger.Primitives;

namespace OpenLedger.Datanets.Epochs;

/// <summary>One record of a published epoch: the chain's charge (as the prover listed it, optional) and the record.</summary>
public sealed record EpochRecordEntry(JsonObject? Charge, AttributionRecord Record);

/// <summary>
/// An epoch's attribution records as the prover publishes them: the body of its epoch file (format
/// <c>openledger-epoch/1</c>, docs/settlement.md) with <c>epoch</c>, <c>accounts</c> {contributors, modelOwners,
/// stakersPool} and <c>records</c> [{charge, record}]. Parsing checks the file against itself (each record hashes to
/// its charge's committed hash, fees agree); whether it reproduces the chain's root is <see cref="Rebuild"/>'s job.
/// </summary>
public sealed class EpochRecordSet
{
    public const string Format = "openledger-epoch/1";
    public const int MaxRecords = 100_000;

    public required long Epoch { get; init; }
    public required EpochAccounts Accounts { get; init; }
    public required IReadOnlyList<EpochRecordEntry> Entries { get; init; }

    /// <summary>Reads the body; a malformed one throws <see cref="ApiException"/> 400 naming the field.</summary>
    public static EpochRecordSet Parse(JsonNode? body, long epoch)
    {
        if (body is not JsonObject o) throw Bad("the body must be a JSON object (an epoch file written by `openledger prover`)");
        if (o["format"] is { } f && f.GetValueKind() == System.Text.Json.JsonValueKind.String && f.GetValue<string>() != Format)
            throw Bad($"format is \"{f.GetValue<string>()}\", expected \"{Format}\"");
        if (o["epoch"] is { } e && Str(e, "epoch") != epoch.ToString(CultureInfo.InvariantCulture))
            throw Bad($"the body is epoch {Str(e, "epoch")}, the route names epoch {epoch}");
        if (o["accounts"] is not JsonObject acc) throw Bad("accounts is missing or not an object");
        if (o["records"] is not JsonArray records) throw Bad("records is missing or not an array");
        if (records.Count == 0) throw Bad("records is empty: an epoch with a root has at least one record");
        if (records.Count > MaxRecords) throw new ApiException(413, "Too many records", $"at most {MaxRecords:N0} records per epoch");

        var contributors = new Dictionary<ulong, Address>();
        if (acc["contributors"] is not JsonObject cs) throw Bad("accounts.contributors is missing or not an object");
        foreach (var (k, v) in cs)
        {
            if (!ulong.TryParse(k, NumberStyles.None, CultureInfo.InvariantCulture, out var id)) throw Bad($"accounts.contributors: key \"{k}\" is not a contribution id");
            contributors[id] = Addr(v, $"accounts.contributors[\"{k}\"]");
        }
        var owners = new Dictionary<Hash256, Address>();
        if (acc["modelOwners"] is not JsonObject ms) throw Bad("accounts.modelOwners is missing or not an object");
        foreach (var (k, v) in ms)
        {
            if (!Hash256.TryParse(k, out var h)) throw Bad($"accounts.modelOwners: key \"{k}\" is not a 32-byte model id");
            owners[h] = Addr(v, $"accounts.modelOwners[\"{k}\"]");
        }
        var pool = Addr(acc["stakersPool"], "accounts.stakersPool");

        var entries = new List<EpochRecordEntry>(records.Count);
        for (int i = 0; i < records.Count; i++)
        {
            if (records[i] is not JsonObject item || item["record"] is not JsonObject r) throw Bad($"records[{i}] must be an object with a \"record\"");
            AttributionRecord record;
            try { record = AttributionRecordJson.FromJson(r); }
            catch (Exception ex) when (ex is FormatException or InvalidOperationException or ArgumentException or KeyNotFoundException or System.Text.Json.JsonException)
            { throw Bad($"records[{i}].record: {ex.Message}"); }
            JsonObject? charge = null;
            if (item["charge"] is { } c)
            {
                charge = c as JsonObject ?? throw Bad($"records[{i}].charge is not an object");
                if (!Hash256.TryParse(Str(charge["recordHash"], $"records[{i}].charge.recordHash"), out var committed))
                    throw Bad($"records[{i}].charge.recordHash is not a 32-byte hash");
                if (committed != record.Hash()) throw Bad($"records[{i}]: the record hashes to {record.Hash()}, the charge committed {committed}");
                if (!UInt256.TryParse(Str(charge["fee"], $"records[{i}].charge.fee"), out var fee) || fee != record.Fee)
                    throw Bad($"records[{i}]: the record's fee {record.Fee} is not the charged fee {charge["fee"]}");
            }
            entries.Add(new EpochRecordEntry(charge, record));
        }
        return new EpochRecordSet { Epoch = epoch, Accounts = new EpochAccounts(contributors, owners, pool), Entries = entries };
    }

    /// <summary>The epoch rebuilt from the records with <paramref name="split"/> (a 400 when the records and accounts disagree).</summary>
    public EpochResult Rebuild(GovernanceSplit split)
    {
        try { return EpochBuilder.Build((ulong)Epoch, Entries.Select(e => e.Record).ToArray(), split, Accounts); }
        catch (ArgumentException e) { throw Bad(e.Message); }
    }

    public JsonObject AccountsJson() => new()
    {
        ["contributors"] = new JsonObject(Accounts.Contributors.OrderBy(k => k.Key).Select(kv => KeyValuePair.Create(kv.Key.ToString(CultureInfo.InvariantCulture), (JsonNode?)kv.Value.ToLowerHex()))),
        ["modelOwners"] = new JsonObject(Accounts.ModelOwners.OrderBy(k => k.Key.ToString()).Select(kv => KeyValuePair.Create(kv.Key.ToString(), (JsonNode?)kv.Value.ToLowerHex()))),
        ["stakersPool"] = Accounts.StakersPool.ToLowerHex(),
    };

    public static JsonObject SplitJson(GovernanceSplit s) => new()
    {
        ["data"] = s.DataContributorsBps, ["owner"] = s.ModelOwnerBps, ["stakers"] = s.StakersBps, ["protocol"] = s.ProtocolBps,
    };

    private static ApiException Bad(string detail) => new(400, "Bad epoch records", detail);

    private static string Str(JsonNode? n, string what)
    {
        if (n is JsonValue v && v.TryGetValue<string>(out var s)) return s;
        throw Bad($"{what} is missing or not a string");
    }

    private static Address Addr(JsonNode? n, string what) =>
        Address.TryParse(Str(n, what), out var a) ? a : throw Bad($"{what} is not a 20-byte hex address");
}
