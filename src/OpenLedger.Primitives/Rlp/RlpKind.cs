namespace OpenLedger.Primitives.Rlp;

/// <summary>The two RLP item kinds.</summary>
public enum RlpKind
{
    /// <summary>A byte string (including single bytes below 0x80 encoded as themselves).</summary>
    Bytes,
    List,
}
