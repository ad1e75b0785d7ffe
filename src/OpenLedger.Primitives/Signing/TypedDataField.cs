namespace OpenLedger.Primitives.Signing;

/// <summary>One member of an EIP-712 struct type, e.g. ("wallet", "address").</summary>
public sealed record TypedDataField(string Name, string Type);
