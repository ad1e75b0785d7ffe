using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using OpenLedger.Tools.Benchmarks;
using OpenLedger.Node.Devnet;
using OpenLedger.Primitives;

namespace OpenLedger.Node.Cli;

/// <summary>
/// `openledger bench evm [--scale X] [--no-anvil]`: Mgas/s of this EVM on looping workloads (arithmetic, keccak,
/// storage, ERC-20 transfers) and, unless --no-anvil, of anvil's eth_call running the same code via state overrides.
/// anvil's figure includes one JSON-RPC round trip per call; each workload is large enough for that to be small.
/// </summary>
public static class BenchCommand
{
    public static Command Create()
    {
        var scale = new Option<double>("--scale") { Description = "Loop-count multiplier (1 = about 100 Mgas per workload).", DefaultValueFactory = _ => 1.0 };
        var noAnvil = new Option<bool>("--no-anvil") { Description = "Skip the comparison with anvil's eth_call." };
        var evm = new Command("evm", "Benchmark the EVM interpreter.") { scale, noAnvil };
        evm.SetAction(async (parse, ct) =>
        {
            double s = parse.GetValue(scale);
            if (!(s > 0 && s <= 8)) throw new CliException($"--scale must be in (0, 8], got {s}", CliApp.UsageError);
            var workloads = EvmWorkloads.All(s);
            AnvilProcess? anvil = null;
            try
            {
                if (!parse.GetValue(noAnvil))
                {
                    try { anvil = await AnvilProcess.StartAsync(ToolLocator.Find("anvil"), AnvilProcess.FreePort(), ["--disable-block-gas-limit"], ct); }
                    catch (Exception e) when (e is InvalidOperationException or FileNotFoundException or TimeoutException)
                    {
                        throw new CliException($"cannot start anvil for the comparison ({e.Message}); use --no-anvil");
                    }
                }
                Console.WriteLine($"{"workload",-12} {"gas",14} {"openledger Mgas/s",18} {"anvil Mgas/s",14}  description");
                foreach (var w in workloads)
                {
                    var ours = EvmBenchmark.Run(w);
                    if (!ours.Success) throw new CliException($"workload {w.Name} failed on the OpenLedger EVM");
                    string theirs = anvil == null ? "-" : (await TimeAnvilAsync(anvil.RpcUrl, w, ct) is { } t ? (ours.GasUsed / 1e6 / t.TotalSeconds).ToString("F1", CultureInfo.InvariantCulture) : "error");
                    Console.WriteLine($"{w.Name,-12} {ours.GasUsed,14:N0} {ours.MgasPerSecond,18:F1} {theirs,14}  {w.Description}");
                }
            }
            finally
            {
                if (anvil != null) await anvil.DisposeAsync();
            }
            return CliApp.Ok;
        });
        return new Command("bench", "Benchmarks.")
        {
            evm, BenchRpcCommand.Create(), BenchPrecompilesCommand.Create(), BenchDatanetsCommand.Create(),
            BenchRollupCommand.Create(), BenchModelCommand.Create(), BenchServeCommand.Create(),
        };
    }

    /// <summary>Best of three eth_calls after a warm-up; null if anvil answers with an error.</summary>
    private static async Task<TimeSpan?> TimeAnvilAsync(string url, EvmWorkload w, CancellationToken ct)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromMinutes(5) };
        var overrides = new Dictionary<string, object>();
        foreach (var (address, code, storage) in w.Accounts)
            overrides[address.ToLowerHex()] = new
            {
                code = Hex.Encode(code),
                stateDiff = storage.ToDictionary(kv => Word32(kv.Key), kv => Word32(kv.Value)),
            };
        var request = new
        {
            jsonrpc = "2.0",
            id = 1,
            method = "eth_call",
            @params = new object[]
            {
                new { from = EvmBenchmark.Caller.ToLowerHex(), to = w.Target.ToLowerHex(), data = Hex.Encode(w.Input), gas = "0x" + w.GasLimit.ToString("x", CultureInfo.InvariantCulture) },
                "latest",
                overrides,
            },
        };
        TimeSpan? best = null;
        for (int i = 0; i < 4; i++)
        {
            var sw = Stopwatch.StartNew();
            var resp = await http.PostAsJsonAsync(url, request, ct);
            using var doc = JsonDocument.Parse(await resp.Content.ReadAsStringAsync(ct));
            sw.Stop();
            if (!doc.RootElement.TryGetProperty("result", out _)) return null;
            if (i > 0 && (best == null || sw.Elapsed < best)) best = sw.Elapsed;
        }
        return best;
    }

    private static string Word32(UInt256 v)
    {
        Span<byte> b = stackalloc byte[32];
        System.Buffers.Binary.BinaryPrimitives.WriteUInt64BigEndian(b, v.u3);
        System.Buffers.Binary.BinaryPrimitives.WriteUInt64BigEndian(b[8..], v.u2);
        System.Buffers.Binary.BinaryPrimitives.WriteUInt64BigEndian(b[16..], v.u1);
        System.Buffers.Binary.BinaryPrimitives.WriteUInt64BigEndian(b[24..], v.u0);
        return Hex.Encode(b);
    }
}
