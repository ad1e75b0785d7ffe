namespace OpenLedger.Primitives.Abi;

/// <summary>One input or output of a function, event, error or constructor.</summary>
public sealed record AbiParameter(string Name, AbiType Type, bool Indexed = false, string? InternalType = null);
