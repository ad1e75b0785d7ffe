using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging;

namespace OpenLedger.Node.Hosting;

/// <summary>
/// Moves a development L1's clock for a rollup devnet's time travel: anvil's evm_increaseTime, then evm_mine, so an L1
/// block at the new time exists before the L2 needs it as an origin (an L2 block may not run more than the sequencer
/// drift past its L1 origin). Only anvil-style L1s answer these methods; any other L1 makes time travel fail with its error.
/// </summary>
public static class AnvilClock
{
    public static Func<long, CancellationToken, Task> Mover(string l1RpcUrl, ILogger logger)
    {
        var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        return async (seconds, ct) =>
        {
            await CallAsync(http, l1RpcUrl, "evm_increaseTime", seconds, ct);
            await CallAsync(http, l1RpcUrl, "evm_mine", null, ct);
            logger.LogInformation("time travel: L1 clock moved {Seconds} s forward and a block mined; the sequencer now produces the L2 blocks in between", seconds);
        };
    }

    /// <summary>
    /// Brings L1's clock up to a restarted devnet's L2 time: anvil reloaded from its state file runs on wall time again,
    /// while the L2 resumes at its head's time; an L1 left behind by more than the sequencer drift would leave the L2
    /// making deposit-only blocks. Does nothing when L1 is already there (anvil kept running).
    /// </summary>
    public static async Task AlignAsync(string l1RpcUrl, ulong l2Time, ILogger logger, CancellationToken ct)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        var head = await CallAsync(http, l1RpcUrl, "eth_getBlockByNumber", null, ct, "latest", false);
        ulong l1Time = Convert.ToUInt64(head.GetProperty("timestamp").GetString(), 16);
        if (l2Time <= l1Time) return;
        await CallAsync(http, l1RpcUrl, "evm_increaseTime", l2Time - l1Time, ct);
        await CallAsync(http, l1RpcUrl, "evm_mine", null, ct);
        logger.LogInformation("time travel: L1 clock moved {Seconds} s forward to this devnet's L2 time (an earlier jump)", l2Time - l1Time);
    }

    private static async Task<JsonElement> CallAsync(HttpClient http, string url, string method, object? arg, CancellationToken ct, params object[] more)
    {
        var body = JsonSerializer.Serialize(new { jsonrpc = "2.0", id = 1, method, @params = arg is { } a ? new object[] { a } : more });
        using var resp = await http.PostAsync(url, new StringContent(body, Encoding.UTF8, "application/json"), ct);
        var text = await resp.Content.ReadAsStringAsync(ct);
        using var doc = JsonDocument.Parse(text);
        if (doc.RootElement.TryGetProperty("error", out var err))
            throw new InvalidOperationException($"L1 {url} answered {method} with {err.GetRawText()}");
        return doc.RootElement.GetProperty("result").Clone();
    }
}
