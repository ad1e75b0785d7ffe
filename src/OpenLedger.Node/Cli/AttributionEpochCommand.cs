using System.CommandLine;
using System.Text.Json.Nodes;
using OpenLedger.Attribution.Epochs;
using OpenLedger.Attribution.Records;
using OpenLedger.Primitives;

namespace OpenLedger.Node.Cli;

/// <summary>
/// `openledger attribution epoch`: rolls attribution records (a JSON array) into per-account rewards and writes the
/// reward Merkle root with one proof per account, in the form a claim transaction needs.
/// </summary>
public static class AttributionEpochCommand
{
    public static Command Create()
    {
        var records = new Option<string?>("--records") { Description = "JSON array of attribution records (as `attribution query` prints them)." };
        var accounts = new Option<string?>("--accounts") { Description = "JSON: {contributors: {id: address}, modelOwners: {modelId: address}, stakersPool}." };
        // No default: a split other than the deployed contract's makes postRoot revert (TotalExceedsDistributable).
        var split = new Option<string?>("--split") { Description = "Governance split in bps: data,owner,stakers,protocol (sums to 10000). Default: read from --rewards." };
        var rewards = new Option<string?>("--rewards") { Description = "AttributionRewards address to read the split from (with --rpc)." };
        var rpc = new Option<string>("--rpc") { Description = "L2 JSON-RPC URL for --rewards.", DefaultValueFactory = _ => "http://127.0.0.1:9545" };
        var epoch = new Option<ulong>("--epoch") { Description = "Epoch number.", DefaultValueFactory = _ => 0UL };
        var output = new Option<string?>("--out") { Description = "Write the result here instead of stdout." };
        var cmd = new Command("epoch", "Aggregate attribution records into an epoch: per-account amounts, reward Merkle root and proofs.") { records, accounts, split, rewards, rpc, epoch, output };
        cmd.SetAction(parse => AttributionCommand.Guard(() =>
        {
            var recordsPath = AttributionCommand.Require(parse.GetValue(records), "--records");
            var accountsPath = AttributionCommand.Require(parse.GetValue(accounts), "--accounts");
            var gov = ReadSplit(parse.GetValue(split), parse.GetValue(rewards), parse.GetValue(rpc)!);
            try { gov.Validate(); }
            catch (ArgumentException e) { throw new CliException($"--split: {e.Message}", CliApp.UsageError); }

            var recs = AttributionCommand.ReadJson(recordsPath).AsArray().Select(n => AttributionRecordJson.FromJson(n!)).ToArray();
            var acc = ParseAccounts(AttributionCommand.ReadJson(accountsPath).AsObject());
            var result = EpochBuilder.Build(parse.GetValue(epoch), recs, gov, acc);
            var claims = new JsonArray(result.Amounts.Select(a => (JsonNode)new JsonObject
            {
                ["account"] = a.Account.ToString(),
                ["amount"] = a.Amount.ToString(),
                ["proof"] = new JsonArray(result.Tree!.GetProof(a.Account).Select(h => (JsonNode)h.ToString()!).ToArray()),
            }).ToArray());
            AttributionCommand.WriteJson(new JsonObject
            {
                ["epoch"] = result.Epoch,
                ["root"] = result.Root.ToString(),
                ["totalFees"] = result.TotalFees.ToString(),
                ["distributable"] = result.Distributable.ToString(), // postRoot's total
                ["protocolAmount"] = result.ProtocolAmount.ToString(),
                ["records"] = recs.Length,
                ["split"] = new JsonObject { ["data"] = gov.DataContributorsBps, ["owner"] = gov.ModelOwnerBps, ["stakers"] = gov.StakersBps, ["protocol"] = gov.ProtocolBps },
                ["leafEncoding"] = "keccak256(bytes.concat(keccak256(abi.encode(address account, uint256 amount))))",
                ["claims"] = claims,
            }, parse.GetValue(output));
            return CliApp.Ok;
        }));
        return cmd;
    }

    private static GovernanceSplit ReadSplit(string? text, string? rewards, string rpc)
    {
        if (text != null && rewards != null) throw new CliException("give --split or --rewards, not both", CliApp.UsageError);
        if (rewards != null)
        {
            var at = SettlementCli.ParseAddress(rewards, "--rewards");
            return new OpenLedger.Settlement.Chain.RewardsContract(new OpenLedger.Settlement.Chain.ChainClient(rpc), at).SplitAsync().GetAwaiter().GetResult();
        }
        if (text == null) throw new CliException("--split or --rewards is required (the split must be the deployed AttributionRewards' own)", CliApp.UsageError);
        var parts = text.Split(',');
        if (parts.Length != 4 || !parts.All(p => int.TryParse(p, out var v) && v is >= 0 and <= 10_000))
            throw new CliException($"--split needs four integers from 0 to 10000 (data,owner,stakers,protocol), got '{text}'", CliApp.UsageError);
        var bps = parts.Select(int.Parse).ToArray();
        return new GovernanceSplit(bps[0], bps[1], bps[2], bps[3]);
    }

    private static EpochAccounts ParseAccounts(JsonObject o)
    {
        JsonNode Need(string name) => o[name] ?? throw new FormatException($"accounts file lacks \"{name}\"");
        var contributors = Need("contributors").AsObject().ToDictionary(
            kv => ulong.TryParse(kv.Key, out var id) ? id : throw new FormatException($"contributor key '{kv.Key}' is not a contribution id"),
            kv => Address.Parse(kv.Value!.GetValue<string>()));
        var owners = Need("modelOwners").AsObject().ToDictionary(kv => Hash256.Parse(kv.Key), kv => Address.Parse(kv.Value!.GetValue<string>()));
        return new EpochAccounts(contributors, owners, Address.Parse(Need("stakersPool").GetValue<string>()));
    }
}
