using System.CommandLine;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging.Abstractions;
using OpenLedger.Attribution.Records;
using OpenLedger.Primitives;
using OpenLedger.Settlement.Chain;
using OpenLedger.Settlement.Prover;
using OpenLedger.Settlement.Queue;

namespace OpenLedger.Node.Cli;

/// <summary>
/// `openledger prover --epoch N --records FILE… --out FILE`: closes an epoch (see <see cref="EpochProver"/>), posts
/// its root, writes the epoch file and publishes the leaves to the Datanets API.
/// </summary>
public static class ProverCommand
{
    public const string KeyEnv = "OPENLEDGER_POSTER_KEY";

    public static Command Create()
    {
        var rpc = SettlementCli.RpcOption();
        var contracts = SettlementCli.ContractsOption();
        var epoch = new Option<ulong?>("--epoch") { Description = "The epoch to close (it must have ended on the chain)." };
        var records = new Option<string[]>("--records") { Description = "records.jsonl files of the serving nodes (their --payments-dir).", AllowMultipleArgumentsPerToken = true };
        var sketches = new Option<string[]>("--sketches") { Description = "Sketch stores (.olsk) of the served adapters, to re-derive sketch records.", AllowMultipleArgumentsPerToken = true };
        var logs = new Option<string[]>("--inference-log") { Description = "The serving nodes' inference-log.jsonl: recompute every record from its logged tokens (needs --model and --adapters).", AllowMultipleArgumentsPerToken = true };
        var baseModel = new Option<string?>("--model") { Description = "Base model directory the servers ran (with --inference-log)." };
        var adaptersDir = new Option<string?>("--adapters") { Description = "Adapter storage as `serve --adapters` reads it (with --inference-log)." };
        var top = new Option<int>("--top") { Description = "Top-k the servers attribute with.", DefaultValueFactory = _ => 10 };
        var pool = new Option<string?>("--stakers-pool") { Description = "Address paid the stakers' share (default: AttributionRewards' treasury)." };
        var fromBlock = new Option<ulong>("--from-block") { Description = "First block to read charges from.", DefaultValueFactory = _ => 0UL };
        var output = new Option<string?>("--out") { Description = "Where to write the epoch file." };
        var key = SettlementCli.KeyOption(KeyEnv, "Poster (POSTER_ROLE)");
        var noPost = new Option<bool>("--no-post") { Description = "Build and write the epoch file without posting the root." };
        var api = new Option<string?>("--datanets-api") { Description = "Datanets API base URL to publish the leaves and records to (e.g. http://127.0.0.1:8547)." };
        var cmd = new Command("prover", "Close an attribution epoch: recompute its charged records, post the reward root, publish the epoch file and leaves.")
            { rpc, contracts, epoch, records, sketches, logs, baseModel, adaptersDir, top, pool, fromBlock, output, key, noPost, api };
        cmd.SetAction(parse => SettlementCli.Run(async () =>
        {
            var n = parse.GetValue(epoch) ?? throw new CliException("--epoch is required", CliApp.UsageError);
            var recordFiles = parse.GetValue(records) is { Length: > 0 } r ? r : throw new CliException("--records is required", CliApp.UsageError);
            var outPath = AttributionCommand.Require(parse.GetValue(output), "--out");
            byte[]? posterKey = parse.GetValue(noPost) ? null : SettlementCli.Key(parse.GetValue(key), KeyEnv);
            Address? stakers = parse.GetValue(pool) is { } p ? SettlementCli.ParseAddress(p, "--stakers-pool") : null;
            if (parse.GetValue(top) < 1) throw new CliException("--top must be at least 1", CliApp.UsageError);

            var all = new Dictionary<Hash256, AttributionRecord>();
            foreach (var f in recordFiles)
            {
                if (!File.Exists(f)) throw new CliException($"{f} does not exist");
                foreach (var kv in SettlementJournal.ReadRecords(f)) all[kv.Key] = kv.Value;
            }
            var (chain, addrs) = await SettlementCli.ConnectAsync(parse.GetValue(rpc)!, parse.GetValue(contracts));
            var payments = new PaymentsContract(chain, SettlementCli.Contract(addrs, "InferencePayments"));
            var rewards = new RewardsContract(chain, SettlementCli.Contract(addrs, "AttributionRewards"));
            var registries = new RegistryReads(chain, SettlementCli.Contract(addrs, "ModelRegistry"), SettlementCli.Contract(addrs, "DatanetRegistry"));
            InferenceReplay? replay = null;
            if (parse.GetValue(logs) is { Length: > 0 } logFiles)
                replay = new InferenceReplay(logFiles, AttributionCommand.Require(parse.GetValue(baseModel), "--model (with --inference-log)"),
                    AttributionCommand.Require(parse.GetValue(adaptersDir), "--adapters (with --inference-log)"));
            using var reproducer = new RecordReproducer(parse.GetValue(sketches) ?? [], parse.GetValue(top), replay: replay);
            var prover = new EpochProver(payments, rewards, registries, reproducer, NullLogger.Instance);
            var file = await prover.BuildAsync(n, all, stakers, parse.GetValue(fromBlock));
            foreach (var rej in file.Rejected) Console.Error.WriteLine($"rejected: {rej.Charge.User}:{rej.Charge.Nonce} ({rej.Charge.RecordHash}): {rej.Reason}");
            if (posterKey != null)
            {
                var receipt = await prover.PostAsync(file, posterKey);
                Console.Error.WriteLine($"posted root {file.Result.Root} for epoch {n} (total {file.Result.Distributable}) in tx {receipt.TransactionHash}");
            }
            SettlementCli.WriteAtomic(outPath, file.ToJson());
            Console.Error.WriteLine($"epoch {n}: {file.Entries.Count} records, {file.Rejected.Count} rejected, {file.Result.Amounts.Count} accounts; wrote {outPath}");
            if (parse.GetValue(api) is { } baseUrl && posterKey != null)
            {
                // Leaves and records; the API checks both against the root its indexer has seen (retried while it catches up).
                try { await EpochPublisher.PublishAsync(baseUrl, n, file.ToJson()); }
                catch (Exception e) when (e is InvalidOperationException or HttpRequestException) { throw new CliException($"publishing epoch {n}: {e.Message}"); }
                Console.Error.WriteLine($"published the leaves and records to {baseUrl}");
            }
            Console.Out.WriteLine(new JsonObject { ["epoch"] = n, ["root"] = file.Result.Root.ToString(), ["distributable"] = file.Result.Distributable.ToString(), ["records"] = file.Entries.Count, ["rejected"] = file.Rejected.Count, ["file"] = outPath }.ToJsonString());
            return CliApp.Ok;
        }));
        return cmd;
    }
}
