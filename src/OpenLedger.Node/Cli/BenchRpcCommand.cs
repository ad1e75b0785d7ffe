using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using OpenLedger.Chain.Genesis;
using OpenLedger.Tools.RpcBench;
using OpenLedger.Node.Devnet;
using OpenLedger.Node.Hosting;
using OpenLedger.Primitives;

namespace OpenLedger.Node.Cli;

/// <summary>
/// `openledger bench rpc`: sustained transactions per second, Mgas/s and time to receipt of this node
/// (in-process, loopback JSON-RPC) against anvil, with the same pre-signed transactions: plain transfers,
/// then ERC-20 transfers on an OpenZeppelin token (tests/js/contracts/TestToken.sol, compiled by forge).
/// </summary>
public static class BenchRpcCommand
{
    public static Command Create()
    {
        var transfers = new Option<int>("--transfers") { Description = "Plain transfers per node (measured).", DefaultValueFactory = _ => 30_000 };
        var erc20 = new Option<int>("--erc20") { Description = "ERC-20 transfers per node (measured).", DefaultValueFactory = _ => 20_000 };
        var warmup = new Option<int>("--warmup") { Description = "Unmeasured transfers and ERC-20 transfers (each) sent first, so the measurement sees steady state, not JIT warm-up.", DefaultValueFactory = _ => 4_000 };
        // Each node gets the block gas limit it does best with, so the gas cap measures neither: ours is not capped
        // (30M gas per 100 ms block would cap ERC-20 transfers at ~5,800/s), and anvil 1.7.1 is fastest at its own
        // default of 30M (measured: 60M and 100M are ~40% slower; at 500M it stopped including transactions and
        // grew past 17 GB). Set both to the same value to compare at equal limits.
        var gasLimit = new Option<ulong>("--gas-limit") { Description = "Block gas limit of this node.", DefaultValueFactory = _ => 500_000_000 };
        var anvilGasLimit = new Option<ulong>("--anvil-gas-limit") { Description = "Block gas limit of anvil (default: anvil's own default, where it is fastest).", DefaultValueFactory = _ => 30_000_000 };
        var senders = new Option<int>("--senders") { Description = "Sending accounts (test mnemonic indices 0..N-1).", DefaultValueFactory = _ => 200 };
        var concurrency = new Option<int>("--concurrency") { Description = "Concurrent HTTP connections submitting transactions.", DefaultValueFactory = _ => 32 };
        var blockTime = new Option<int>("--block-time-ms") { Description = "Block time of both nodes (anvil: --block-time); 0 = instant (this node seals as transactions arrive, anvil auto-mines).", DefaultValueFactory = _ => 100 };
        var window = new Option<int>("--window") { Description = "Most transactions outstanding at once (submitted, not yet in a block) per node.", DefaultValueFactory = _ => 2_000 };
        var noAnvil = new Option<bool>("--no-anvil") { Description = "Measure this node only." };
        var anvilOnly = new Option<bool>("--anvil-only") { Description = "Measure anvil only (to study the peer's behaviour)." };
        var cmd = new Command("rpc", "Benchmark the L2 node over JSON-RPC (transfers and ERC-20 transfers) against anvil.") { transfers, erc20, warmup, senders, concurrency, blockTime, gasLimit, anvilGasLimit, window, noAnvil, anvilOnly };
        cmd.SetAction(async (parse, ct) =>
        {
            int n = parse.GetValue(transfers), m = parse.GetValue(erc20), w = parse.GetValue(warmup), k = parse.GetValue(senders), c = parse.GetValue(concurrency), bt = parse.GetValue(blockTime);
            ulong gl = parse.GetValue(gasLimit), agl = parse.GetValue(anvilGasLimit);
            int win = parse.GetValue(window);
            if (win < 1 || win > 1_000_000) throw new CliException("--window must be 1..1000000", CliApp.UsageError);
            if (n < 1 || m < 1) throw new CliException("--transfers and --erc20 must be positive", CliApp.UsageError);
            if (w < 0) throw new CliException("--warmup must be 0 or more", CliApp.UsageError);
            if (gl < 1_000_000 || gl > 10_000_000_000) throw new CliException("--gas-limit must be 1000000..10000000000", CliApp.UsageError);
            if (agl < 1_000_000 || agl > 10_000_000_000) throw new CliException("--anvil-gas-limit must be 1000000..10000000000", CliApp.UsageError);
            if (k < 2 || k > 2000) throw new CliException("--senders must be 2..2000", CliApp.UsageError);
            if (c < 1 || c > 512) throw new CliException("--concurrency must be 1..512", CliApp.UsageError);
            if (parse.GetValue(noAnvil) && parse.GetValue(anvilOnly)) throw new CliException("--no-anvil and --anvil-only exclude each other", CliApp.UsageError);
            if (bt < 0 || bt > 10_000) throw new CliException("--block-time-ms must be 0..10000", CliApp.UsageError);
            if (Math.Max(Math.Max(n, m), w) / k > 200) throw new CliException($"more than 200 transactions per sender would hit the pool's per-account limit: raise --senders", CliApp.UsageError);
            return await RunAsync(new RunSettings(n, m, w, k, c, bt, gl, agl, win, !parse.GetValue(noAnvil), !parse.GetValue(anvilOnly)), ct);
        });
        return cmd;
    }

    private sealed record RunSettings(int Transfers, int TokenTransfers, int Warmup, int Senders, int Concurrency, int BlockTimeMs, ulong GasLimit, ulong AnvilGasLimit, int Window, bool WithAnvil, bool WithOurs);

    /// <summary>Everything a node is sent, signed once: the same bytes go to both nodes.</summary>
    private sealed record Workload(SignedLoadTx Deploy, List<SignedLoadTx> Distribute, List<SignedLoadTx> WarmTransfers, List<SignedLoadTx> WarmTokenTransfers,
        List<SignedLoadTx> Transfers, List<SignedLoadTx> TokenTransfers, Address Token, RpcLoadPlan Plan);

    private static async Task<int> RunAsync(RunSettings run, CancellationToken ct)
    {
        var sw = Stopwatch.StartNew();
        var plan = new RpcLoadPlan(run.Senders);
        var bytecode = await TokenBytecodeAsync(ct);
        var nonces = new ulong[run.Senders];
        // Setup: sender 0 deploys the token (whole supply to itself) and gives every other sender 1e24 units.
        var supply = UInt256.Parse("1000000000000000000000000000000");
        var deploy = RpcLoadPlan.Sign(plan.Keys[0], nonces[0]++, null, UInt256.Zero, [.. bytecode, .. supply.ToBigEndian()], 3_000_000);
        var token = CreateAddress(plan.Senders[0], 0);
        var distribute = Enumerable.Range(1, run.Senders - 1)
            .Select(s => RpcLoadPlan.Sign(plan.Keys[0], nonces[0]++, token, UInt256.Zero, RpcLoadPlan.TransferCall(plan.Senders[s], UInt256.Parse("1000000000000000000000000")), 80_000))
            .ToList();
        var warmTransfers = plan.Transfers(run.Warmup, nonces);
        var warmTokens = plan.TokenTransfers(token, run.Warmup, nonces);
        var transferTxs = plan.Transfers(run.Transfers, nonces);
        var tokenTxs = plan.TokenTransfers(token, run.TokenTransfers, nonces);
        var work = new Workload(deploy, distribute, warmTransfers, warmTokens, transferTxs, tokenTxs, token, plan);
        Console.Error.WriteLine($"signed {1 + distribute.Count + 2 * run.Warmup + transferTxs.Count + tokenTxs.Count} transactions from {run.Senders} senders in {sw.Elapsed.TotalSeconds:F1} s");

        var mode = run.BlockTimeMs == 0 ? "instant sealing" : $"{run.BlockTimeMs} ms blocks";
        var results = new List<(string Node, RpcLoadResult Result)>();

        var genesis = new GenesisSpec
        {
            Config = new ChainConfig { ChainId = RpcLoadPlan.ChainId },
            Alloc = plan.Senders.ToDictionary(a => a, _ => new GenesisAccount(UInt256.Parse("1000000000000000000000000"), 0, [], new Dictionary<UInt256, UInt256>())),
            GasLimit = run.GasLimit,
            Timestamp = (ulong)DateTimeOffset.UtcNow.ToUnixTimeSeconds(),
        };
        var config = new NodeConfig
        {
            Genesis = genesis,
            Coinbase = Address.Parse("0x000000000000000000000000000000000000c0b3"),
            RpcPort = 0,
            BlockTime = run.BlockTimeMs == 0 ? null : TimeSpan.FromMilliseconds(run.BlockTimeMs),
        };
        // Warnings and errors only (a failed block would otherwise go unseen); per-block lines would cost throughput.
        using var loggers = LoggerFactory.Create(b => b.SetMinimumLevel(LogLevel.Warning).AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace));
        if (run.WithOurs)
        {
            await using var node = await NodeHost.StartAsync(config, loggers, ct);
            try
            {
                foreach (var r in await DriveAsync(node.RpcUrl, run, work, OwnCpu, ct))
                    results.Add(($"openledger ({mode})", r));
            }
            catch (TimeoutException e)
            {
                await Console.Error.WriteLineAsync(DiagnoseStall(node.Chain));
                throw new CliException($"openledger: {e.Message}");
            }
        }
        if (run.WithAnvil)
        {
            await using var anvil = await AnvilProcess.StartAsync(ToolLocator.Find("anvil"), AnvilProcess.FreePort(),
                ["--accounts", run.Senders.ToString(CultureInfo.InvariantCulture), "--balance", "1000000", "--chain-id", RpcLoadPlan.ChainId.ToString(CultureInfo.InvariantCulture),
                 "--gas-limit", run.AnvilGasLimit.ToString(CultureInfo.InvariantCulture),
                 .. (run.BlockTimeMs > 0 ? new[] { "--block-time", (run.BlockTimeMs / 1000.0).ToString(CultureInfo.InvariantCulture) } : [])], ct);
            List<RpcLoadResult> anvilResults;
            try
            {
                anvilResults = await DriveAsync(anvil.RpcUrl, run, work, () => OwnCpu() + anvil.CpuTime, ct);
            }
            catch (TimeoutException e)
            {
                throw new CliException($"anvil: {e.Message}");
            }
            foreach (var r in anvilResults)
                results.Add((run.BlockTimeMs == 0 ? "anvil 1.7.1 (auto-mine)" : $"anvil 1.7.1 ({run.BlockTimeMs} ms blocks)", r));
        }

        Console.WriteLine($"bench rpc: {run.Senders} senders, {run.Concurrency} connections, at most {run.Window} outstanding, loopback HTTP, block gas limit {run.GasLimit:N0} (anvil {run.AnvilGasLimit:N0}), {run.Warmup} + {run.Warmup} warm-up transactions, {Environment.ProcessorCount} cores, {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC");
        Console.WriteLine($"{"node",-32} {"workload",-16} {"txs",7} {"blocks",7} {"tx/s",9} {"Mgas/s",8} {"p50 ms",8} {"p99 ms",8} {"CPU ms/1k tx",13}");
        foreach (var (name, r) in results)
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{name,-32} {r.Workload,-16} {r.Transactions,7} {r.Blocks,7} {r.TransactionsPerSecond,9:F0} {r.MgasPerSecond,8:F1} {r.P50Ms,8:F1} {r.P99Ms,8:F1} {r.CpuMsPerThousand,13:F0}"));
        if (run.WithAnvil && run.WithOurs)
        {
            foreach (var w in results.Select(r => r.Result.Workload).Distinct())
            {
                var ours = results.First(r => r.Result.Workload == w && r.Node.StartsWith("openledger", StringComparison.Ordinal)).Result;
                var theirs = results.First(r => r.Result.Workload == w && r.Node.StartsWith("anvil", StringComparison.Ordinal)).Result;
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"ratio {w}: openledger/anvil = {ours.TransactionsPerSecond / theirs.TransactionsPerSecond:F2}x tx/s (target >= 2x); CPU per transaction (node + load generator) {theirs.CpuMsPerThousand / ours.CpuMsPerThousand:F2}x less"));
            }
        }
        if (run.WithOurs)
        {
            var erc = results.First(r => r.Result.Workload == "erc20-transfer" && r.Node.StartsWith("openledger", StringComparison.Ordinal)).Result;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"openledger ERC-20: {erc.MgasPerSecond:F1} Mgas/s (target >= 50)"));
        }
        return CliApp.Ok;
    }

    private static TimeSpan OwnCpu()
    {
        using var self = Process.GetCurrentProcess();
        return self.TotalProcessorTime;
    }

    private static async Task<List<RpcLoadResult>> DriveAsync(string url, RunSettings run, Workload work, Func<TimeSpan> cpu, CancellationToken ct)
    {
        using var runner = new RpcLoadRunner(url, run.Concurrency, run.Window, cpu);
        var timeout = TimeSpan.FromSeconds(Environment.GetEnvironmentVariable("OPENLEDGER_BENCH_TIMEOUT_S") is { } t ? double.Parse(t, CultureInfo.InvariantCulture) : 300);
        try
        {
            await runner.RunAsync("deploy", [work.Deploy], timeout, ct);
            await CheckSuccessAsync(runner, [work.Deploy], "token deployment", ct);
            // One sender funds all others: in runs of 100 so its pending queue stays under the pool's per-account limit.
            foreach (var chunk in work.Distribute.Chunk(100))
                await runner.RunAsync("distribute", chunk, timeout, ct);
            await CheckSuccessAsync(runner, work.Distribute, "token distribution", ct);
            var balance = await runner.CallAsync("eth_call",
                $"[{{\"to\":\"{work.Token.ToLowerHex()}\",\"data\":\"0x70a08231{work.Plan.Senders[^1].ToLowerHex()[2..].PadLeft(64, '0')}\"}},\"latest\"]", ct);
            if (UInt256.Parse(balance.GetString()!) != UInt256.Parse("1000000000000000000000000"))
                throw new CliException($"{url}: the last sender's token balance is {balance}, expected 1e24");

            // Warm-up: the same kinds of transaction, not measured (JIT tiering, caches, connection pools).
            if (work.WarmTransfers.Count > 0) await runner.RunAsync("warm-up", work.WarmTransfers, timeout, ct);
            if (work.WarmTokenTransfers.Count > 0) await runner.RunAsync("warm-up", work.WarmTokenTransfers, timeout, ct);

            var results = new List<RpcLoadResult>
            {
                await runner.RunAsync("transfer", work.Transfers, timeout, ct),
                await runner.RunAsync("erc20-transfer", work.TokenTransfers, timeout, ct),
            };
            // A reverted token transfer would still use gas: check that a sample succeeded.
            await CheckSuccessAsync(runner, work.TokenTransfers.Where((_, i) => i % 97 == 0).ToList(), "ERC-20 transfers", ct);
            await CheckSuccessAsync(runner, work.Transfers.Where((_, i) => i % 97 == 0).ToList(), "transfers", ct);
            return results;
        }
        catch (InvalidOperationException e)
        {
            throw new CliException($"{url}: {e.Message}");
        }
    }

    /// <summary>When transactions stop landing: the head, the pool and what a block built now would select.</summary>
    private static string DiagnoseStall(OpenLedger.Chain.Blockchain chain)
    {
        var head = chain.Head;
        var selectable = chain.Pool.SelectForBlock(chain.NextBaseFee, 10_000).Count;
        return $"stall diagnosis: head {head.Number} (base fee {head.BaseFeePerGas}), pool {chain.Pool.Status()}, next base fee {chain.NextBaseFee}, selectable now {selectable}";
    }

    private static async Task CheckSuccessAsync(RpcLoadRunner runner, IReadOnlyList<SignedLoadTx> txs, string what, CancellationToken ct)
    {
        foreach (var tx in txs)
        {
            var r = await runner.CallAsync("eth_getTransactionReceipt", $"[\"{tx.Hash}\"]", ct);
            if (r.ValueKind != JsonValueKind.Object || r.GetProperty("status").GetString() != "0x1")
                throw new CliException($"{what}: transaction {tx.Hash} did not succeed: {r}");
        }
    }

    /// <summary>TestToken's creation code: `forge build tests/js/contracts/TestToken.sol` into a temporary folder.</summary>
    private static async Task<byte[]> TokenBytecodeAsync(CancellationToken ct)
    {
        var root = ToolLocator.FindRepoRoot() ?? throw new CliException("bench rpc runs from the repository (it compiles tests/js/contracts/TestToken.sol with forge)");
        var tmp = Path.Combine(Path.GetTempPath(), "ol-bench-rpc-" + Guid.NewGuid().ToString("N"));
        try
        {
            var psi = new ProcessStartInfo(ToolLocator.Find("forge"))
            {
                WorkingDirectory = root,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            foreach (var a in new[] { "build", "tests/js/contracts/TestToken.sol", "--out", Path.Combine(tmp, "out"), "--cache-path", Path.Combine(tmp, "cache") })
                psi.ArgumentList.Add(a);
            using var p = Process.Start(psi) ?? throw new CliException("could not start forge");
            var stdout = p.StandardOutput.ReadToEndAsync(ct);
            var stderr = p.StandardError.ReadToEndAsync(ct);
            await p.WaitForExitAsync(ct);
            if (p.ExitCode != 0) throw new CliException($"forge build TestToken.sol failed:\n{await stdout}{await stderr}");
            using var doc = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(tmp, "out", "TestToken.sol", "TestToken.json"), ct));
            return Hex.Decode(doc.RootElement.GetProperty("bytecode").GetProperty("object").GetString()!);
        }
        finally
        {
            try { Directory.Delete(tmp, recursive: true); } catch (IOException) { }
        }
    }

    private static Address CreateAddress(Address sender, byte nonce)
    {
        var rlp = new byte[23];
        rlp[0] = 0xd6;
        rlp[1] = 0x94;
        sender.Bytes.CopyTo(rlp.AsSpan(2));
        rlp[22] = nonce == 0 ? (byte)0x80 : nonce;
        return new Address(Keccak256.Compute(rlp).Bytes[12..]);
    }
}
