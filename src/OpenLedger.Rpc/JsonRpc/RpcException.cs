namespace OpenLedger.Rpc.JsonRpc;

/// <summary>The JSON-RPC error codes geth returns; clients (ethers, viem, MetaMask) branch on them.</summary>
public static class RpcErrorCodes
{
    public const int ParseError = -32700;
    public const int InvalidRequest = -32600;
    public const int MethodNotFound = -32601;
    public const int InvalidParams = -32602;
    public const int InternalError = -32603;
    /// <summary>geth's generic server error (nonce too low, insufficient funds, ...).</summary>
    public const int ServerError = -32000;
    /// <summary>A reverted eth_call / eth_estimateGas; `data` carries the revert bytes.</summary>
    public const int ExecutionReverted = 3;
    public const int LimitExceeded = -32005;
}

/// <summary>An error returned to the caller as a JSON-RPC error object.</summary>
public class RpcException(int code, string message, object? data = null) : Exception(message)
{
    public int Code { get; } = code;
    public object? ErrorData { get; } = data;

    public static RpcException InvalidParams(string message) => new(RpcErrorCodes.InvalidParams, message);
}
