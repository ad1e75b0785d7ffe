namespace OpenLedger.Web3.Rpc;

/// <summary>One call of a batch. Parameters are serialised with System.Text.Json (strings, numbers, bools, arrays, dictionaries, records).</summary>
public sealed record RpcRequest(string Method, params object?[] Params);
