using System.Globalization;
using System.Text.Json.Nodes;
using OpenLedger.Attribution.Epochs;
using OpenLedger.Attribution.Records;
using OpenLedger.Primitives;
using OpenLedger.Primitives.Merkle;
using OpenLedger.Settlement.Chain;

namespace OpenLedger.Settlement.Prover;

/// <summary>A charged request as the epoch file lists it: the chain's Charged event and the record it committed.</summary>
public sealed record EpochEntry(ChargedEvent Charge, AttributionRecord Record);

/// <summary>A charge the prover left out, and why.</summary>
public sealed record RejectedCharge(ChargedEvent Charge, string Reason);

/// <summary>
/// The published epoch (format <c>openledger-epoch/1</c>, docs/settlement.md): every accepted record with its charge,
/// the accounts paid (contributor and owner addresses as read from the registries), the split read from
/// AttributionRewards, the rejected charges with reasons, and the result: amounts, root and one proof per account.
/// Everything needed to recompute the root is inside, so <see cref="Verify"/> needs no chain.
/// </summary>
public sealed class EpochFile
{
    public const string Format = "openledger-epoch/1";
    public const string LeafEncoding = "keccak256(bytes.concat(keccak256(abi.encode(address account, uint256 amount)))); OpenZeppelin StandardMerkleTree [\"address\",\"uint256\"]";

    public required ulong ChainId { get; init; }
    public required ulong Epoch { get; init; }
    public required Address Payments { get; init; }
    public required Address Rewards { get; init; }
    public required GovernanceSplit Split { get; init; }
    public required EpochAccounts Accounts { get; init; }
    public required IReadOnlyList<EpochEntry> Entries { get; init; }
    public required IReadOnlyList<RejectedCharge> Rejected { get; init; }
    public required EpochResult Result { get; init; }
    public Hash256? PostTransaction { get; set; }

    public static EpochResult Build(ulong epoch, IReadOnlyList<EpochEntry> entries, GovernanceSplit split, EpochAccounts accounts) =>
        EpochBuilder.Build(epoch, entries.Select(e => e.Record).ToArray(), split, accounts);

    public JsonObject ToJson()
    {
        string S(ulong v) => v.ToString(CultureInfo.InvariantCulture);
        return new JsonObject
        {
            ["format"] = Format,
            ["chainId"] = S(ChainId),
            ["epoch"] = S(Epoch),
            ["contracts"] = new JsonObject { ["inferencePayments"] = Payments.ToString(), ["attributionRewards"] = Rewards.ToString() },
            ["split"] = new JsonObject { ["data"] = Split.DataContributorsBps, ["owner"] = Split.ModelOwnerBps, ["stakers"] = Split.StakersBps, ["protocol"] = Split.ProtocolBps },
            ["accounts"] = new JsonObject
            {
                ["contributors"] = new JsonObject(Accounts.Contributors.OrderBy(k => k.Key).Select(kv => KeyValuePair.Create(S(kv.Key), (JsonNode?)kv.Value.ToString()))),
                ["modelOwners"] = new JsonObject(Accounts.ModelOwners.OrderBy(k => k.Key).Select(kv => KeyValuePair.Create(kv.Key.ToString(), (JsonNode?)kv.Value.ToString()))),
                ["stakersPool"] = Accounts.StakersPool.ToString(),
            },
            ["records"] = new JsonArray(Entries.Select(e => (JsonNode)new JsonObject { ["charge"] = ChargeJson(e.Charge), ["record"] = AttributionRecordJson.ToJson(e.Record) }).ToArray()),
            ["rejected"] = new JsonArray(Rejected.Select(r => (JsonNode)new JsonObject { ["charge"] = ChargeJson(r.Charge), ["reason"] = r.Reason }).ToArray()),
            ["totalFees"] = Result.TotalFees.ToString(),
            ["distributable"] = Result.Distributable.ToString(),
            ["protocolAmount"] = Result.ProtocolAmount.ToString(),
            ["root"] = Result.Root.ToString(),
            ["leafEncoding"] = LeafEncoding,
            ["claims"] = new JsonArray(Result.Amounts.Select(a => (JsonNode)new JsonObject
            {
                ["account"] = a.Account.ToString(),
                ["amount"] = a.Amount.ToString(),
                ["proof"] = new JsonArray(Result.Tree!.GetProof(a.Account).Select(h => (JsonNode)h.ToString()!).ToArray()),
            }).ToArray()),
            ["postTransaction"] = PostTransaction?.ToString(),
        };
    }

    private static JsonObject ChargeJson(ChargedEvent c) => new()
    {
        ["user"] = c.User.ToString(), ["modelId"] = c.ModelId.ToString(CultureInfo.InvariantCulture), ["nonce"] = c.Nonce.ToString(),
        ["fee"] = c.Fee.ToString(), ["recordHash"] = c.RecordHash.ToString(), ["block"] = c.BlockNumber.ToString(CultureInfo.InvariantCulture),
        ["transaction"] = c.TransactionHash.ToString(),
    };

    private static ChargedEvent ChargeFrom(JsonObject o, ulong epoch) => new(epoch, Address.Parse(Str(o, "user")), ulong.Parse(Str(o, "modelId"), CultureInfo.InvariantCulture),
        UInt256.Parse(Str(o, "nonce")), UInt256.Parse(Str(o, "fee")), Hash256.Parse(Str(o, "recordHash")), ulong.Parse(Str(o, "block"), CultureInfo.InvariantCulture),
        Hash256.Parse(Str(o, "transaction")));

    private static string Str(JsonObject o, string name) => o[name]?.GetValue<string>() ?? throw new FormatException($"epoch file: \"{name}\" is missing");
    private static JsonObject Obj(JsonObject o, string name) => o[name] as JsonObject ?? throw new FormatException($"epoch file: \"{name}\" is missing or not an object");
    private static JsonArray Arr(JsonObject o, string name) => o[name] as JsonArray ?? throw new FormatException($"epoch file: \"{name}\" is missing or not an array");

    /// <summary>
    /// Recomputes the epoch from the file's records, accounts and split, and compares the root, totals, every claim
    /// amount and every proof with what the file says. Returns the differences (empty: the file is consistent).
    /// </summary>
    public static IReadOnlyList<string> Verify(JsonObject o)
    {
        var problems = new List<string>();
        if (o["format"]?.GetValue<string>() != Format) return [$"format is not {Format}"];
        ulong epoch = ulong.Parse(Str(o, "epoch"), CultureInfo.InvariantCulture);
        var sp = Obj(o, "split");
        int Bps(string n) => sp[n]?.GetValue<int>() ?? throw new FormatException($"epoch file: split.{n} is missing");
        var split = new GovernanceSplit(Bps("data"), Bps("owner"), Bps("stakers"), Bps("protocol"));
        var acc = Obj(o, "accounts");
        var accounts = new EpochAccounts(
            Obj(acc, "contributors").ToDictionary(kv => ulong.Parse(kv.Key, CultureInfo.InvariantCulture), kv => Address.Parse(kv.Value!.GetValue<string>())),
            Obj(acc, "modelOwners").ToDictionary(kv => Hash256.Parse(kv.Key), kv => Address.Parse(kv.Value!.GetValue<string>())),
            Address.Parse(Str(acc, "stakersPool")));
        var entries = new List<EpochEntry>();
        foreach (var (node, i) in Arr(o, "records").Select((n, i) => (n, i)))
        {
            var e = node as JsonObject ?? throw new FormatException($"records[{i}] is not an object");
            var charge = ChargeFrom(Obj(e, "charge"), epoch);
            var record = AttributionRecordJson.FromJson(Obj(e, "record"));
            if (record.Hash() != charge.RecordHash) problems.Add($"records[{i}]: the record hashes to {record.Hash()}, the charge committed {charge.RecordHash}");
            if (record.Fee != charge.Fee) problems.Add($"records[{i}]: the record's fee {record.Fee} is not the charged fee {charge.Fee}");
            entries.Add(new EpochEntry(charge, record));
        }
        var result = Build(epoch, entries, split, accounts);
        void Same(string what, string expected, string? actual) { if (!string.Equals(expected, actual, StringComparison.OrdinalIgnoreCase)) problems.Add($"{what}: recomputed {expected}, the file says {actual ?? "nothing"}"); }
        Same("root", result.Root.ToString(), o["root"]?.GetValue<string>());
        Same("totalFees", result.TotalFees.ToString(), o["totalFees"]?.GetValue<string>());
        Same("distributable", result.Distributable.ToString(), o["distributable"]?.GetValue<string>());
        var claims = Arr(o, "claims");
        if (claims.Count != result.Amounts.Count) problems.Add($"claims: recomputed {result.Amounts.Count} accounts, the file lists {claims.Count}");
        for (int i = 0; i < Math.Min(claims.Count, result.Amounts.Count); i++)
        {
            var c = claims[i] as JsonObject ?? throw new FormatException($"claims[{i}] is not an object");
            var (account, amount) = result.Amounts[i];
            Same($"claims[{i}].account", account.ToString(), c["account"]?.GetValue<string>());
            Same($"claims[{i}].amount", amount.ToString(), c["amount"]?.GetValue<string>());
            var proof = (c["proof"] as JsonArray ?? []).Select(p => p!.GetValue<string>()).ToArray();
            var expected = result.Tree!.GetProof(account).Select(h => h.ToString()).ToArray();
            if (!proof.SequenceEqual(expected, StringComparer.OrdinalIgnoreCase)) problems.Add($"claims[{i}].proof differs from the recomputed proof");
        }
        return problems;
    }

    /// <summary>The claim of <paramref name="account"/> in a published epoch file, if it has one.</summary>
    public static (UInt256 Amount, Hash256[] Proof)? ClaimOf(JsonObject o, Address account)
    {
        foreach (var n in Arr(o, "claims"))
        {
            var c = (JsonObject)n!;
            if (Address.Parse(Str(c, "account")) != account) continue;
            return (UInt256.Parse(Str(c, "amount")), (c["proof"] as JsonArray ?? []).Select(p => Hash256.Parse(p!.GetValue<string>())).ToArray());
        }
        return null;
    }

    public static ulong EpochOf(JsonObject o) => ulong.Parse(Str(o, "epoch"), CultureInfo.InvariantCulture);
    public static Address RewardsOf(JsonObject o) => Address.Parse(Str(Obj(o, "contracts"), "attributionRewards"));
}
