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

    private static async Task CallAsync(HttpClient http, string url, string method, long? arg, CancellationToken ct)
    {
        var body = JsonSerializer.Serialize(new { jsonrpc = "2.0", id = 1, method, @params = arg is { } a ? new object[] { a } : [] });
        using var resp = await http.PostAsync(url, new StringContent(body, Encoding.UTF8, "application/json"), ct);
        var text = await resp.Content.ReadAsStringAsync(ct);
        using var doc = JsonDocument.Parse(text);
        if (doc.RootElement.TryGetProperty("error", out var err))
            throw new InvalidOperationException($"L1 {url} answered {method} with {err.GetRawText()}");
    }
}
