namespace OpenLedger.Web3.Eth;

/// <summary>A node's result does not have the shape the method's specification gives (a missing field, a malformed quantity or hash).</summary>
public sealed class RpcFormatException : Exception
{
    public RpcFormatException(string message, Exception? inner = null) : base(message, inner) { }
}
