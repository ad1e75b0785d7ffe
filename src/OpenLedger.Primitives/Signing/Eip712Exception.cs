namespace OpenLedger.Primitives.Signing;

/// <summary>Typed data that cannot be hashed: malformed JSON, unknown or inconsistent types, or a value that does not fit its type.</summary>
public sealed class Eip712Exception(string message) : Exception(message);
