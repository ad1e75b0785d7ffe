using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using OpenLedger.Primitives;
using OpenLedger.Rpc.JsonRpc;

namespace OpenLedger.Node.Hosting;

/// <summary>
/// A replica's eth_sendRawTransaction: the bytes go to the sequencer's JSON-RPC and its answer is returned as it came
/// (the hash, or its error code, message and data), as op-geth's --rollup.sequencerhttp does.
/// </summary>
public static class SequencerForwarder
{
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(30) };

    public static Func<byte[], CancellationToken, ValueTask<object?>> Create(string? sequencerRpc)
    {
        if (sequencerRpc is null)
            return (_, _) => throw new RpcException(RpcErrorCodes.ServerError,
                "this replica does not accept transactions: it has no sequencer to forward them to (start it with --sequencer-rpc URL)");
        var url = new Uri(sequencerRpc);
        return async (raw, ct) =>
        {
            var body = JsonSerializer.Serialize(new { jsonrpc = "2.0", id = 1, method = "eth_sendRawTransaction", @params = new[] { Hex.Encode(raw) } });
            using var content = new StringContent(body, Encoding.UTF8);
            content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
            JsonElement answer;
            try
            {
                using var resp = await Http.PostAsync(url, content, ct).ConfigureAwait(false);
                answer = JsonDocument.Parse(await resp.Content.ReadAsStringAsync(ct).ConfigureAwait(false)).RootElement.Clone();
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException or JsonException)
            {
                throw new RpcException(RpcErrorCodes.ServerError, $"sequencer {url} did not answer: {e.Message}");
            }
            if (answer.ValueKind == JsonValueKind.Object && answer.TryGetProperty("error", out var err) && err.ValueKind == JsonValueKind.Object)
            {
                int code = err.TryGetProperty("code", out var c) && c.TryGetInt32(out var ci) ? ci : RpcErrorCodes.ServerError;
                string message = err.TryGetProperty("message", out var m) && m.ValueKind == JsonValueKind.String ? m.GetString()! : "sequencer error";
                throw new RpcException(code, message, err.TryGetProperty("data", out var d) ? d : null);
            }
            if (answer.ValueKind == JsonValueKind.Object && answer.TryGetProperty("result", out var result)) return result;
            throw new RpcException(RpcErrorCodes.ServerError, $"sequencer {url} answered without a result");
        };
    }
}
