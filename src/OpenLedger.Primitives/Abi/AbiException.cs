namespace OpenLedger.Primitives.Abi;

/// <summary>An ABI type string, value or encoding is invalid; the message names what and where.</summary>
public class AbiException : Exception
{
    public AbiException(string message) : base(message) { }
    public AbiException(string message, Exception inner) : base(message, inner) { }
}

/// <summary>ABI-encoded data does not decode strictly: bad offset, length, padding or dirty high bits.</summary>
public sealed class AbiDecodingException : AbiException
{
    public AbiDecodingException(string message) : base(message) { }
}
