using OpenLedger.Primitives;
using OpenLedger.Primitives.Abi;

namespace OpenLedger.Web3.Rpc;

/// <summary>The request did not get a JSON-RPC answer: connection failures, HTTP errors or timeouts after all retries, or a malformed response.</summary>
public class RpcTransportException : Exception
{
    public string Method { get; }
    public int Attempts { get; }
    public RpcTransportException(string method, int attempts, string message, Exception? inner = null)
        : base($"{method}: {message} (after {attempts} attempt{(attempts == 1 ? "" : "s")})", inner)
    {
        Method = method;
        Attempts = attempts;
    }
}
