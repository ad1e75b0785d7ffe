using System.Text.Json;

namespace OpenLedger.Web3.Rpc;

/// <summary>The answer to one call of a batch: a result or an error, never both.</summary>
public sealed class RpcResponse
{
    private readonly JsonElement _result;
    public RpcException? Error { get; }
    public bool IsError => Error != null;

    internal RpcResponse(JsonElement result, RpcException? error)
    {
        _result = result;
        Error = error;
    }

    /// <summary>The result; throws the <see cref="RpcException"/> if the call failed.</summary>
    public JsonElement Result => Error is null ? _result : throw Error;
}
