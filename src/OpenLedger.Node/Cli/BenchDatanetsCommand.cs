using System.CommandLine;
using OpenLedger.Node.Bench.Datanets;

namespace OpenLedger.Node.Cli;

/// <summary>`openledger bench datanets`: content-store ingest vs plain disk writes, indexer catch-up, API latency (see <see cref="DatanetsBenchmark"/>).</summary>
public static class BenchDatanetsCommand
{
    public static Command Create()
    {
        var files = new Option<int>("--files") { Description = "Files ingested (and written plainly) in the upload part.", DefaultValueFactory = _ => 16 };
        var mib = new Option<int>("--file-mib") { Description = "Size of each file in MiB.", DefaultValueFactory = _ => 16 };
        var events = new Option<int>("--events") { Description = "Contributed events the indexer catches up on.", DefaultValueFactory = _ => 100_000 };
        var perBlock = new Option<int>("--per-block") { Description = "Events per block.", DefaultValueFactory = _ => 100 };
        var db = new Option<string?>("--db") { Description = "postgres://… (an empty database) to measure PostgreSQL; default SQLite in a temporary directory." };
        var conc = new Option<int>("--concurrency") { Description = "Concurrent connections in the API part.", DefaultValueFactory = _ => 16 };
        var secs = new Option<int>("--api-seconds") { Description = "Seconds of load per API route.", DefaultValueFactory = _ => 5 };
        var cmd = new Command("datanets", "Benchmark the Datanets service: upload ingest vs plain disk writes, indexer events/s, API p50/p99.") { files, mib, events, perBlock, db, conc, secs };
        cmd.SetAction(async (parse, ct) =>
        {
            int f = parse.GetValue(files), m = parse.GetValue(mib), e = parse.GetValue(events), pb = parse.GetValue(perBlock), c = parse.GetValue(conc), s = parse.GetValue(secs);
            if (f is < 1 or > 1000 || m is < 1 or > 1024) throw new CliException("--files must be 1..1000 and --file-mib 1..1024", CliApp.UsageError);
            if (e is < 100 or > 10_000_000 || pb is < 1 or > 10_000) throw new CliException("--events must be 100..10000000 and --per-block 1..10000", CliApp.UsageError);
            if (c is < 1 or > 512 || s is < 1 or > 600) throw new CliException("--concurrency must be 1..512 and --api-seconds 1..600", CliApp.UsageError);
            var dbValue = parse.GetValue(db);
            if (dbValue != null && !dbValue.StartsWith("postgres", StringComparison.Ordinal)) throw new CliException("--db must be a postgres:// URL", CliApp.UsageError);
            await DatanetsBenchmark.RunAsync(new DatanetsBenchmark.Settings(f, m, e, pb, dbValue, c, TimeSpan.FromSeconds(s)), Console.Out, ct);
            return CliApp.Ok;
        });
        return cmd;
    }
}
