using System.CommandLine;
using OpenLedger.Settlement.Prover;

namespace OpenLedger.Node.Cli;

/// <summary>`openledger attribution verify EPOCH_FILE`: recomputes a published epoch's root from its records, bit for bit.</summary>
public static class AttributionVerifyCommand
{
    public static Command Create()
    {
        var file = new Argument<string>("EPOCH_FILE") { Description = "An epoch file written by `openledger prover`." };
        var cmd = new Command("verify", "Recompute a published epoch (records, accounts, split) and check its root, amounts and proofs.") { file };
        cmd.SetAction(parse => AttributionCommand.Guard(() =>
        {
            var path = parse.GetValue(file)!;
            var json = AttributionCommand.ReadJson(path).AsObject();
            var problems = EpochFile.Verify(json);
            if (problems.Count > 0)
            {
                foreach (var p in problems) Console.Error.WriteLine($"mismatch: {p}");
                throw new CliException($"{path}: {problems.Count} mismatch(es); the root does not follow from the records");
            }
            Console.Out.WriteLine($"ok: epoch {EpochFile.EpochOf(json)} root {json["root"]} recomputed from {json["records"]!.AsArray().Count} records");
            return CliApp.Ok;
        }));
        return cmd;
    }
}
