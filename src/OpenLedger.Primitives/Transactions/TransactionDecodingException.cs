namespace OpenLedger.Primitives.Transactions;

/// <summary>Bytes that are not a canonical encoding of a supported transaction; <see cref="Field"/> names the culprit.</summary>
public sealed class TransactionDecodingException : FormatException
{
    /// <summary>The field being read ("nonce", "accessList[2].storageKeys[0]", ...), or null for the envelope.</summary>
    public string? Field { get; }

    /// <summary>The envelope is not a legacy list and its first byte is not a type this decoder knows.</summary>
    public bool IsUnsupportedType { get; init; }

    public TransactionDecodingException(string message, string? field = null, Exception? inner = null)
        : base(field is null ? message : $"{field}: {message}", inner)
    {
        Field = field;
    }
}
