using System.Buffers;
using System.Diagnostics;
using System.Text.Encodings.Web;
using System.Text.Json;
using Microsoft.Extensions.Logging;

namespace OpenLedger.Rpc.JsonRpc;

public sealed record RpcLimits(int MaxRequestBytes = 5 * 1024 * 1024, int MaxBatchLength = 1000);

/// <summary>
/// Parses a JSON-RPC 2.0 payload (single or batch), runs each call and writes the response.
/// Nothing a client sends can escape as an exception: every failure becomes an error object.
/// </summary>
public sealed class RpcDispatcher(RpcMethodRegistry registry, RpcLimits limits, ILogger? logger = null, RpcMetrics? metrics = null)
{
    // geth escapes only what JSON requires: messages such as "gas * price + value" must not come out as "\u002B".
    public static readonly JsonSerializerOptions ResultOptions = new() { PropertyNamingPolicy = JsonNamingPolicy.CamelCase, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public RpcLimits Limits { get; } = limits;

    /// <summary>Returns the UTF-8 response, or null when nothing is to be sent (only notifications).</summary>
    public async Task<byte[]?> HandleAsync(ReadOnlyMemory<byte> payload, IRpcConnection? connection, CancellationToken ct)
    {
        var buffer = new ArrayBufferWriter<byte>();
        await using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
        {
            if (payload.Length > Limits.MaxRequestBytes)
            {
                WriteError(writer, default, RpcErrorCodes.InvalidRequest, $"request too large: {payload.Length} bytes, limit {Limits.MaxRequestBytes}");
            }
            else
            {
                JsonDocument doc;
                try
                {
                    doc = JsonDocument.Parse(payload, new JsonDocumentOptions { MaxDepth = 64 });
                }
                catch (JsonException e)
                {
                    WriteError(writer, default, RpcErrorCodes.ParseError, $"parse error: {e.Message}");
                    await writer.FlushAsync(ct);
                    return buffer.WrittenSpan.ToArray();
                }

                using (doc)
                {
                    var root = doc.RootElement;
                    if (root.ValueKind == JsonValueKind.Array)
                    {
                        int n = root.GetArrayLength();
                        if (n == 0)
                            WriteError(writer, default, RpcErrorCodes.InvalidRequest, "empty batch");
                        else if (n > Limits.MaxBatchLength)
                            WriteError(writer, default, RpcErrorCodes.LimitExceeded, $"batch too large: {n} calls, limit {Limits.MaxBatchLength}");
                        else
                        {
                            bool any = false;
                            writer.WriteStartArray();
                            foreach (var call in root.EnumerateArray())
                                any |= await HandleCallAsync(writer, call, connection, ct);
                            writer.WriteEndArray();
                            if (!any) return null;
                        }
                    }
                    else if (!await HandleCallAsync(writer, root, connection, ct))
                    {
                        return null;
                    }
                }
            }
        }
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>Writes one response object; false when the call was a notification (no id).</summary>
    private async Task<bool> HandleCallAsync(Utf8JsonWriter writer, JsonElement call, IRpcConnection? connection, CancellationToken ct)
    {
        if (call.ValueKind != JsonValueKind.Object)
        {
            WriteError(writer, default, RpcErrorCodes.InvalidRequest, "invalid request: not an object");
            return true;
        }

        bool hasId = call.TryGetProperty("id", out var id);
        if (hasId && id.ValueKind is not (JsonValueKind.String or JsonValueKind.Number or JsonValueKind.Null))
        {
            WriteError(writer, default, RpcErrorCodes.InvalidRequest, "invalid request: id must be a string, number or null");
            return true;
        }
        if (!call.TryGetProperty("jsonrpc", out var version) || version.ValueKind != JsonValueKind.String || version.GetString() != "2.0")
        {
            WriteError(writer, id, RpcErrorCodes.InvalidRequest, "invalid request: jsonrpc must be \"2.0\"");
            return true;
        }
        if (!call.TryGetProperty("method", out var methodEl) || methodEl.ValueKind != JsonValueKind.String)
        {
            WriteError(writer, id, RpcErrorCodes.InvalidRequest, "invalid request: method must be a string");
            return true;
        }

        string method = methodEl.GetString()!;
        JsonElement paramsEl = default;
        if (call.TryGetProperty("params", out var p))
        {
            if (p.ValueKind is not (JsonValueKind.Array or JsonValueKind.Null))
            {
                WriteError(writer, id, RpcErrorCodes.InvalidParams, "invalid params: positional array expected");
                return hasId;
            }
            paramsEl = p;
        }

        var started = Stopwatch.GetTimestamp();
        object? result;
        try
        {
            if (!registry.TryGet(method, out var handler))
                throw new RpcException(RpcErrorCodes.MethodNotFound, $"the method {Truncate(method)} does not exist/is not available");
            result = await handler(new RpcParams(paramsEl), new RpcCallContext(connection, ct));
        }
        catch (RpcException e)
        {
            metrics?.Record(method, Stopwatch.GetElapsedTime(started), failed: true);
            if (hasId) WriteError(writer, id, e.Code, e.Message, e.ErrorData);
            return hasId;
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception e)
        {
            // A bug on our side must not take the connection down; log it and answer -32603.
            logger?.LogError(e, "RPC {Method} failed", method);
            metrics?.Record(method, Stopwatch.GetElapsedTime(started), failed: true);
            if (hasId) WriteError(writer, id, RpcErrorCodes.InternalError, $"internal error: {e.Message}");
            return hasId;
        }

        metrics?.Record(method, Stopwatch.GetElapsedTime(started), failed: false);
        if (!hasId) return false;
        writer.WriteStartObject();
        writer.WriteString("jsonrpc", "2.0");
        writer.WritePropertyName("id");
        id.WriteTo(writer);
        writer.WritePropertyName("result");
        if (result is null) writer.WriteNullValue();
        else JsonSerializer.Serialize(writer, result, result.GetType(), ResultOptions);
        writer.WriteEndObject();
        return true;
    }

    private static void WriteError(Utf8JsonWriter writer, JsonElement id, int code, string message, object? data = null)
    {
        writer.WriteStartObject();
        writer.WriteString("jsonrpc", "2.0");
        writer.WritePropertyName("id");
        if (id.ValueKind is JsonValueKind.String or JsonValueKind.Number) id.WriteTo(writer);
        else writer.WriteNullValue();
        writer.WriteStartObject("error");
        writer.WriteNumber("code", code);
        writer.WriteString("message", message);
        if (data != null)
        {
            writer.WritePropertyName("data");
            JsonSerializer.Serialize(writer, data, data.GetType(), ResultOptions);
        }
        writer.WriteEndObject();
        writer.WriteEndObject();
    }

    private static string Truncate(string s) => s.Length <= 64 ? s : s[..64] + "…";
}
