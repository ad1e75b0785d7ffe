using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using Nethereum.JsonRpc.Client;
using Newtonsoft.Json.Linq;
using OpenLedger.Node.Devnet;
using OpenLedger.Primitives;
using OpenLedger.Primitives.Abi;
using OpenLedger.Rollup.Batcher;
using OpenLedger.Rollup.Bridge;

namespace OpenLedger.Node.Cli;

/// <summary>
/// `openledger bench bridge [--deposits N] [--withdrawals N]`: starts a rollup devnet in-process (free ports, in
/// memory: anvil with 2 s blocks, the sequencer, batcher, replica, proposer from the safe head with an output every 10 L2
/// blocks, 30 s finalization period) and measures on it: L1 receipt gas of OPEN deposits, a message deposit, the
/// proposer's outputs, withdrawal proofs and finalizations, beside OP Stack's published gas figures; and the time from
/// an L2 withdrawal (its transaction mined) to provable (an output covering it on L1, viem's ready-to-prove).
/// </summary>
public static class BenchBridgeCommand
{
    private static readonly UInt256 Open = new(1_000_000_000_000_000_000);
    private static readonly Hash256 OutputProposedTopic = Keccak256.Compute("OutputProposed(bytes32,uint256,uint256,uint256)"u8);

    /// <summary>
    /// OP Stack's figures: packages/contracts-bedrock/.gas-snapshot of ethereum-optimism/optimism at commit 0020adc2 (the
    /// Bedrock portal and oracle, the interface ours follows): forge test-function gas, without the 21,000 intrinsic gas
    /// and calldata that receipt gas includes.
    /// </summary>
    private static readonly Dictionary<string, string> OpFigures = new()
    {
        ["deposit"] = "74,964 (test_depositTransaction_benchmark: an ETH deposit, no token transfer)",
        ["message"] = "35,777 (test_depositTransaction_benchmark_1: a warm second deposit)",
        ["propose"] = "68,671 (test_proposeL2Output_benchmark)",
        ["prove"] = "none in the snapshot",
        ["finalize"] = "45,432 (test_finalizeETHWithdrawal_benchmark, the bridge part only)",
    };

    public static Command Create()
    {
        var deposits = new Option<int>("--deposits") { Description = "OPEN deposits to measure.", DefaultValueFactory = _ => 3 };
        var withdrawals = new Option<int>("--withdrawals") { Description = "Withdrawals to take through prove and finalize.", DefaultValueFactory = _ => 2 };
        var cmd = new Command("bridge", "Benchmark the OPEN bridge on a devnet: L1 gas per deposit, output, prove and finalize (beside OP Stack's figures); time from an L2 withdrawal to provable.")
        {
            deposits, withdrawals,
        };
        cmd.SetAction(async (parse, ct) =>
        {
            int nd = parse.GetValue(deposits), nw = parse.GetValue(withdrawals);
            if (nd is < 1 or > 100) throw new CliException("--deposits must be 1..100", CliApp.UsageError);
            if (nw is < 1 or > 20) throw new CliException("--withdrawals must be 1..20", CliApp.UsageError);
            return await RunAsync(nd, nw, ct);
        });
        return cmd;
    }

    private static async Task<int> RunAsync(int depositCount, int withdrawalCount, CancellationToken ct)
    {
        var root = ToolLocator.FindRepoRoot() ?? throw new CliException("bench bridge runs a devnet: run it from the repository (foundry.toml + package.json)");
        // The devnet rewrites the repository's deployments files: keep a developer's and put them back.
        var files = new[] { "31337-l1.json", "1330660686-l2.json", "1330660686-rollup.json", "1330660686-devnet.json" }.Select(f => Path.Combine(root, "deployments", f)).ToArray();
        var saved = files.ToDictionary(f => f, f => File.Exists(f) ? File.ReadAllBytes(f) : null);
        Console.WriteLine($"bench bridge: started {DateTime.UtcNow:yyyy-MM-dd HH:mm:ss} UTC, {Environment.ProcessorCount} cores; starting a devnet (anvil, sequencer, batcher, replica, proposer)...");
        var log = new DevnetLog();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var options = new DevnetOptions(AnvilProcess.FreePort(), null, AnvilProcess.FreePort(), 1000, ApiPort: 0, Api: false, Rollup: true, ReplicaPort: 0);
        var devnet = Task.Run(() => DevnetRunner.RunAsync(options, log, stop.Token));
        try
        {
            var ready = await Task.WhenAny(log.Ready, devnet, Task.Delay(TimeSpan.FromMinutes(10), ct));
            if (ready != log.Ready) throw new CliException($"the devnet did not start:\n{log}");
            var l1 = ContractDeployer.ReadAddresses(files[0]);
            var measured = await MeasureAsync($"http://127.0.0.1:{options.L1Port}", $"http://127.0.0.1:{options.L2Port}",
                Address.Parse(l1["OpenPortal"]), Address.Parse(l1["OpenToken"]), Address.Parse(l1["L2OutputOracle"]), depositCount, withdrawalCount, ct);
            Print(measured);
            return CliApp.Ok;
        }
        finally
        {
            await stop.CancelAsync();
            try { await devnet; } catch (OperationCanceledException) { }
            foreach (var (file, content) in saved)
            {
                if (content is null) File.Delete(file);
                else File.WriteAllBytes(file, content);
            }
        }
    }

    private sealed record Measured(List<ulong> Deposits, ulong MessageDeposit, List<ulong> Proposals, List<ulong> Proves, List<ulong> Finalizes, List<double> SecondsToProvable);

    private static async Task<Measured> MeasureAsync(string l1Url, string l2Url, Address portal, Address token, Address oracle, int depositCount, int withdrawalCount, CancellationToken ct)
    {
        var l1 = new RpcClient(new Uri(l1Url));
        var l2 = new RpcClient(new Uri(l2Url));
        ulong l1Chain = await OutputRoleCommands.L1ChainIdAsync(l1), l2Chain = await OutputRoleCommands.L1ChainIdAsync(l2);
        // Dev account 5 (the test mnemonic: the same key on anvil and on the devnet L2), given OPEN on L1 by account 0.
        var key = Primitives.Wallet.DevAccounts.PrivateKeys(6)[5];
        var user = new L1TxSender(l1, key, l1Chain, NullLogger.Instance) { PollInterval = TimeSpan.FromMilliseconds(100) };
        var onL2 = new L1TxSender(l2, key, l2Chain, NullLogger.Instance) { PollInterval = TimeSpan.FromMilliseconds(100) };
        var funder = new L1TxSender(l1, Hex.Decode(ContractDeployer.AnvilDevKey0), l1Chain, NullLogger.Instance);
        await funder.SendAsync(token, AbiFunction.FromSignature("transfer(address,uint256)").EncodeCall(user.From, Open * new UInt256(1000)), ct);
        var bridge = new BridgeClient(l1, l2, portal);

        var deposits = new List<ulong>();
        for (int i = 0; i < depositCount; i++)
        {
            await bridge.DepositAsync(user, user.From, Open, 100_000, ct);
            deposits.Add(await GasUsedAsync(l1, user.LastTransactionHash));
        }
        await user.SendAsync(portal, AbiFunction.FromSignature("depositTransaction(address,uint256,uint64,bool,bytes)")
            .EncodeCall(user.From, UInt256.Zero, new UInt256(100_000), false, new byte[] { 0xbe, 0xef }), ct);
        ulong message = await GasUsedAsync(l1, user.LastTransactionHash);

        var toProvable = new List<double>();
        var proves = new List<ulong>();
        var pending = new List<Withdrawal>();
        for (int i = 0; i < withdrawalCount; i++)
        {
            var tx = await bridge.WithdrawAsync(onL2, user.From, Open / new UInt256(2), 100_000, ct);
            var clock = Stopwatch.StartNew(); // from the L2 withdrawal mined (SendAsync returns once its receipt is there)
            var w = await bridge.WithdrawalAsync(tx);
            await WaitForAsync(bridge, w, WithdrawalStatus.ReadyToProve, ct);
            toProvable.Add(clock.Elapsed.TotalSeconds);
            await bridge.ProveAsync(user, w, ct);
            proves.Add(await GasUsedAsync(l1, user.LastTransactionHash));
            pending.Add(w);
        }
        var finalizes = new List<ulong>();
        foreach (var w in pending)
        {
            await WaitForAsync(bridge, w, WithdrawalStatus.ReadyToFinalize, ct);
            await bridge.FinalizeAsync(user, w, ct);
            finalizes.Add(await GasUsedAsync(l1, user.LastTransactionHash));
        }

        var proposals = new List<ulong>();
        var logs = await l1.SendRequestAsync<JArray>(new RpcRequest(1, "eth_getLogs", new Dictionary<string, object>
        {
            ["fromBlock"] = "0x0", ["toBlock"] = "latest", ["address"] = oracle.ToString(), ["topics"] = new object[] { OutputProposedTopic.ToString() },
        }));
        foreach (var entry in logs)
            proposals.Add(await GasUsedAsync(l1, Hash256.Parse(entry["transactionHash"]!.Value<string>()!)));
        return new Measured(deposits, message, proposals, proves, finalizes, toProvable);
    }

    private static async Task WaitForAsync(BridgeClient bridge, Withdrawal w, WithdrawalStatus status, CancellationToken ct)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(5);
        while (await bridge.StatusAsync(w) < status)
        {
            if (DateTime.UtcNow > deadline) throw new CliException($"withdrawal {w.Hash} did not reach {status} within 5 minutes");
            await Task.Delay(250, ct);
        }
    }

    private static async Task<ulong> GasUsedAsync(IClient l1, Hash256 tx)
    {
        var receipt = await l1.SendRequestAsync<JObject>(new RpcRequest(1, "eth_getTransactionReceipt", tx.ToString()));
        return Convert.ToUInt64(receipt["gasUsed"]!.Value<string>(), 16);
    }

    private static void Print(Measured m)
    {
        var inv = CultureInfo.InvariantCulture;
        string Gas(IReadOnlyCollection<ulong> g) => g.Count == 0 ? "none"
            : g.Min() == g.Max() ? g.Min().ToString("N0", inv) : $"{Median(g).ToString("N0", inv)} (min {g.Min().ToString("N0", inv)}, max {g.Max().ToString("N0", inv)}, n={g.Count})";
        Console.WriteLine("L1 gas (receipt gasUsed: intrinsic gas and calldata included; OP's figures are forge test-function gas without them)");
        Console.WriteLine($"{"step",-44} {"OpenLedger",-40} OP Stack (contracts-bedrock .gas-snapshot)");
        Console.WriteLine($"{"deposit of OPEN (depositERC20Transaction)",-44} {Gas(m.Deposits),-40} {OpFigures["deposit"]}");
        Console.WriteLine($"{"message deposit (depositTransaction, 2 B)",-44} {Gas([m.MessageDeposit]),-40} {OpFigures["message"]}");
        Console.WriteLine($"{"proposeL2Output (proposer, from safe)",-44} {Gas(m.Proposals),-40} {OpFigures["propose"]}");
        Console.WriteLine($"{"proveWithdrawalTransaction",-44} {Gas(m.Proves),-40} {OpFigures["prove"]}");
        Console.WriteLine($"{"finalizeWithdrawalTransaction",-44} {Gas(m.Finalizes),-40} {OpFigures["finalize"]}");
        var seconds = string.Join(", ", m.SecondsToProvable.Select(s => s.ToString("F1", inv)));
        Console.WriteLine($"time from an L2 withdrawal to provable: {seconds} s "
            + "(devnet: 1 s L2 blocks, 2 s L1 blocks, batches posted as blocks come, an output every 10 L2 blocks once they are safe)");
    }

    private static ulong Median(IReadOnlyCollection<ulong> values)
    {
        var sorted = values.Order().ToArray();
        return sorted[sorted.Length / 2];
    }

    /// <summary>Collects the devnet's printout (shown only if it fails to start) and says when it is ready.</summary>
    private sealed class DevnetLog : TextWriter
    {
        private readonly StringBuilder _text = new();
        private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public Task Ready => _ready.Task;
        public override Encoding Encoding => Encoding.UTF8;

        public override void Write(char value)
        {
            lock (_text) _text.Append(value);
        }

        public override void WriteLine(string? value)
        {
            lock (_text) _text.AppendLine(value);
            if (value?.StartsWith("Press Ctrl-C", StringComparison.Ordinal) == true) _ready.TrySetResult();
        }

        public override Task WriteLineAsync(string? value)
        {
            WriteLine(value);
            return Task.CompletedTask;
        }

        public override Task FlushAsync(CancellationToken ct) => Task.CompletedTask;

        public override string ToString()
        {
            lock (_text) return _text.ToString();
        }
    }
}
