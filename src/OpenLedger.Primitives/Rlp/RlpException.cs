namespace OpenLedger.Primitives.Rlp;

/// <summary>Malformed or non-canonical RLP. The message names the defect and the byte offset.</summary>
public sealed class RlpException : FormatException
{
    public RlpException(string message) : base(message) { }
}
