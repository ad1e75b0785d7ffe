namespace OpenLedger.Primitives.Abi;

/// <summary>The kind of an <see cref="AbiType"/>; Size, Element and Components say the rest.</summary>
public enum AbiKind { UInt, Int, Address, Bool, FixedBytes, Bytes, String, FixedArray, Array, Tuple }
