using System.CommandLine;
using System.Text.Json.Nodes;
using OpenLedger.Primitives;
using OpenLedger.Primitives.Crypto;
using OpenLedger.Settlement.Chain;
using OpenLedger.Settlement.Prover;

namespace OpenLedger.Node.Cli;

/// <summary>`openledger rewards claimable|claim`: a contributor's rewards from published epoch files.</summary>
public static class RewardsCommand
{
    public const string KeyEnv = "OPENLEDGER_KEY";

    public static Command Create()
    {
        var cmd = new Command("rewards", "Attribution rewards: what an account can claim, and claiming it.");
        cmd.Add(Claimable());
        cmd.Add(Claim());
        return cmd;
    }

    private static Option<string[]> EpochFiles() => new("--epoch-file") { Description = "Epoch files published by `openledger prover`.", AllowMultipleArgumentsPerToken = true, Required = true };

    private static Command Claimable()
    {
        var rpc = SettlementCli.RpcOption();
        var account = new Option<string?>("--account") { Description = "The account (0x address).", Required = true };
        var files = EpochFiles();
        var cmd = new Command("claimable", "List the account's rewards in the given epochs: amount, claimed, and when claims open.") { rpc, account, files };
        cmd.SetAction(parse => SettlementCli.Run(async () =>
        {
            var who = SettlementCli.ParseAddress(parse.GetValue(account), "--account");
            var docs = parse.GetValue(files)!.Select(f => AttributionCommand.ReadJson(f).AsObject()).ToArray();
            AttributionCommand.WriteJson(await ClaimableReport.BuildAsync(new ChainClient(parse.GetValue(rpc)!), who, docs), null);
            return CliApp.Ok;
        }));
        return cmd;
    }

    private static Command Claim()
    {
        var rpc = SettlementCli.RpcOption();
        var account = new Option<string?>("--account") { Description = "The account paid (default: the key's address; anyone may submit a claim)." };
        var files = EpochFiles();
        var key = SettlementCli.KeyOption(KeyEnv, "Sender");
        var cmd = new Command("claim", "Claim the account's rewards in the given epochs (after each challenge window).") { rpc, account, files, key };
        cmd.SetAction(parse => SettlementCli.Run(async () =>
        {
            var sender = SettlementCli.Key(parse.GetValue(key), KeyEnv);
            Address who;
            using (var k = new EthKey(sender)) who = parse.GetValue(account) is { } a ? SettlementCli.ParseAddress(a, "--account") : k.Address;
            var chain = new ChainClient(parse.GetValue(rpc)!);
            int claimedCount = 0;
            foreach (var f in parse.GetValue(files)!)
            {
                var json = AttributionCommand.ReadJson(f).AsObject();
                var epoch = EpochFile.EpochOf(json);
                if (EpochFile.ClaimOf(json, who) is not { } c) { Console.Error.WriteLine($"epoch {epoch}: {who} has no reward"); continue; }
                var rewards = new RewardsContract(chain, EpochFile.RewardsOf(json));
                if (await rewards.IsClaimedAsync(epoch, who)) { Console.Error.WriteLine($"epoch {epoch}: already claimed"); continue; }
                var e = await rewards.GetEpochAsync(epoch);
                if (!e.Posted) throw new CliException($"epoch {epoch} has no root on the chain yet");
                if (e.Root.ToString() != json["root"]?.GetValue<string>()) throw new CliException($"epoch {epoch}: the chain's root {e.Root} is not the file's {json["root"]} (a replaced root? fetch the current epoch file)");
                if (await chain.LatestTimestampAsync() < e.ClaimableAt) throw new CliException($"epoch {epoch}: the challenge window is open until {e.ClaimableAt}");
                var data = RewardsContract.Claim.EncodeCall(new UInt256(epoch), who, c.Amount, c.Proof.Cast<object?>().ToList());
                var receipt = await chain.SendAsync(sender, rewards.Address, data);
                if (!receipt.Succeeded) throw new CliException($"epoch {epoch}: claim reverted (tx {receipt.TransactionHash})");
                Console.Out.WriteLine(new JsonObject { ["epoch"] = epoch, ["account"] = who.ToString(), ["amount"] = c.Amount.ToString(), ["transaction"] = receipt.TransactionHash.ToString() }.ToJsonString());
                claimedCount++;
            }
            return CliApp.Ok;
        }));
        return cmd;
    }
}
