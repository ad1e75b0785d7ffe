using System.CommandLine;
using System.Globalization;
using OpenLedger.Node.Bench;
using OpenLedger.Rollup.Encoding;

namespace OpenLedger.Node.Cli;

/// <summary>
/// `openledger bench rollup [--txs N] [--blocks N] [--txs-per-block N]`: L1 calldata bytes per L2 transaction
/// (transfers and ERC-20 transfers; singular vs span batches; zlib vs brotli, side by side with the raw signed
/// transaction size), then how many times faster than real time the derivation pipeline re-derives a chain.
/// </summary>
public static class BenchRollupCommand
{
    public static Command Create()
    {
        var txs = new Option<int>("--txs") { Description = "Transactions per size workload.", DefaultValueFactory = _ => 5000 };
        var blocks = new Option<int>("--blocks") { Description = "L2 blocks (1 s each) for the derivation run; 86400 = a day.", DefaultValueFactory = _ => 3600 };
        var perBlock = new Option<int>("--txs-per-block") { DefaultValueFactory = _ => 5 };
        var cmd = new Command("rollup", "Benchmark batch compression (L1 bytes per L2 tx) and derivation speed.") { txs, blocks, perBlock };
        cmd.SetAction(parse =>
        {
            int n = parse.GetValue(txs), b = parse.GetValue(blocks), p = parse.GetValue(perBlock);
            if (n is < 100 or > 1_000_000) throw new CliException("--txs must be 100..1000000", CliApp.UsageError);
            if (b is < 10 or > 1_000_000) throw new CliException("--blocks must be 10..1000000", CliApp.UsageError);
            if (p is < 0 or > 1000) throw new CliException("--txs-per-block must be 0..1000", CliApp.UsageError);
            var inv = CultureInfo.InvariantCulture;
            Console.WriteLine($"bench rollup: started {DateTime.UtcNow:yyyy-MM-dd HH:mm:ss} UTC, {Environment.ProcessorCount} cores");
            Console.WriteLine($"{"workload",-10} {"batches",-9} {"compression",-11} {"txs",7} {"raw B/tx",9} {"L1 B/tx",8} {"vs raw",7}");
            foreach (var erc20 in new[] { false, true })
            {
                var list = RollupBench.Transactions(n, erc20);
                string name = erc20 ? "erc20" : "transfer";
                foreach (var span in new[] { false, true })
                    foreach (var algo in new[] { CompressionAlgorithm.Zlib, CompressionAlgorithm.Brotli })
                    {
                        var r = RollupBench.MeasureSize(name, list, 10, span, algo);
                        Console.WriteLine(string.Create(inv, $"{name,-10} {r.Batches,-9} {algo.ToString().ToLowerInvariant(),-11} {r.Transactions,7} {(double)r.RawTxBytes / r.Transactions,9:F1} {r.BytesPerTx,8:F1} {r.BytesPerTx / ((double)r.RawTxBytes / r.Transactions),7:F3}"));
                    }
            }
            var d = RollupBench.MeasureDerivation(b, p);
            Console.WriteLine(string.Create(inv,
                $"derivation: {d.L2Blocks} L2 blocks ({d.ChainSeconds} s of chain, {d.Transactions} txs) derived from L1 data in {d.Elapsed.TotalSeconds:F2} s = {d.TimesRealTime:F0}x real time (pipeline only: decode, validate, attributes; block execution not included)"));
            return CliApp.Ok;
        });
        return cmd;
    }
}
