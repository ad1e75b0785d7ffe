using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using OpenLedger.Primitives;

namespace OpenLedger.Tools.Benchmarks;

/// <summary>One timed eth_call on anvil: wall time of the HTTP round trip and the returned data.</summary>
public sealed record AnvilCallTiming(TimeSpan Elapsed, byte[] Output);

/// <summary>
/// Times an <see cref="EvmWorkload"/> on a running anvil through eth_call with state overrides (the workload's code and
/// storage), the only way to run a given call on anvil without mining. The time therefore includes one JSON-RPC round
/// trip and the installation of the overrides; <see cref="RoundTripAsync"/> measures exactly that part (the same
/// request sent to an account without code) so it can be subtracted.
/// </summary>
public sealed class AnvilEvmTimer(string rpcUrl) : IDisposable
{
    private static readonly Address NoCode = Address.Parse("0x00000000000000000000000000000000000dead0");
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromMinutes(5) };

    /// <summary>The best of <paramref name="calls"/> eth_calls; throws <see cref="InvalidOperationException"/> if anvil answers with an error.</summary>
    public async Task<AnvilCallTiming> BestAsync(EvmWorkload w, int calls, CancellationToken ct) =>
        await BestAsync(Request(w, w.Target), calls, ct);

    /// <summary>The best of <paramref name="calls"/> identical requests whose target has no code: round trip and overrides only.</summary>
    public async Task<TimeSpan> RoundTripAsync(EvmWorkload w, int calls, CancellationToken ct) =>
        (await BestAsync(Request(w, NoCode), calls, ct)).Elapsed;

    private async Task<AnvilCallTiming> BestAsync(object request, int calls, CancellationToken ct)
    {
        AnvilCallTiming? best = null;
        for (int i = 0; i < calls; i++)
        {
            var sw = Stopwatch.StartNew();
            using var resp = await _http.PostAsJsonAsync(rpcUrl, request, ct);
            using var doc = JsonDocument.Parse(await resp.Content.ReadAsStringAsync(ct));
            sw.Stop();
            if (!doc.RootElement.TryGetProperty("result", out var result))
                throw new InvalidOperationException($"anvil eth_call failed: {doc.RootElement.GetRawText()}");
            if (best == null || sw.Elapsed < best.Elapsed) best = new AnvilCallTiming(sw.Elapsed, Hex.Decode(result.GetString()!));
        }
        return best!;
    }

    private static object Request(EvmWorkload w, Address to)
    {
        var overrides = new Dictionary<string, object>();
        foreach (var (address, code, storage) in w.Accounts)
            overrides[address.ToLowerHex()] = new
            {
                code = Hex.Encode(code),
                stateDiff = storage.ToDictionary(kv => Word32(kv.Key), kv => Word32(kv.Value)),
            };
        return new
        {
            jsonrpc = "2.0",
            id = 1,
            method = "eth_call",
            @params = new object[]
            {
                new { from = EvmBenchmark.Caller.ToLowerHex(), to = to.ToLowerHex(), data = Hex.Encode(w.Input), gas = "0x" + w.GasLimit.ToString("x", CultureInfo.InvariantCulture) },
                "latest",
                overrides,
            },
        };
    }

    private static string Word32(UInt256 v) => Hex.Encode(v.ToBigEndian());

    public void Dispose() => _http.Dispose();
}
