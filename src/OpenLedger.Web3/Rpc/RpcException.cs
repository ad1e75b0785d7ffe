using System.Text.Json;
using OpenLedger.Primitives;
using OpenLedger.Primitives.Abi;

namespace OpenLedger.Web3.Rpc;

/// <summary>The node answered with a JSON-RPC error object. Never retried: the node understood the request and refused it.</summary>
public class RpcException : Exception
{
    public int Code { get; }
    public string RpcMessage { get; }
    /// <summary>The error's "data" member as sent, if any.</summary>
    public JsonElement? ErrorData { get; }
    /// <summary>The "data" member decoded from hex (revert data of eth_call / eth_estimateGas), if it was a hex string.</summary>
    public byte[]? RevertData { get; }
    public string Method { get; }
    /// <summary><see cref="RevertData"/> decoded as Error(string) or Panic(uint256) (custom errors need the contract's ABI: see Contract).</summary>
    public RevertReason? Revert => RevertData is null ? null : RevertReason.Decode(RevertData);

    public RpcException(string method, int code, string message, JsonElement? data)
        : base($"{method}: RPC error {code}: {message}")
    {
        Method = method;
        Code = code;
        RpcMessage = message;
        ErrorData = data;
        if (data is { ValueKind: JsonValueKind.String } d && d.GetString() is { } s && s.StartsWith("0x", StringComparison.OrdinalIgnoreCase)
            && Hex.TryDecode(s, out var bytes))
            RevertData = bytes;
    }
}
