namespace OpenLedger.Primitives.Abi;

/// <summary>What revert data turned out to be.</summary>
public enum RevertKind
{
    /// <summary>No data: revert() or a failed require without a message, or out of gas.</summary>
    Empty,
    /// <summary>Error(string): require(cond, "msg") and revert("msg").</summary>
    Error,
    /// <summary>Panic(uint256): assert, arithmetic overflow, division by zero, bad array index and the like.</summary>
    Panic,
    /// <summary>A custom error declared in the contract's ABI.</summary>
    Custom,
    /// <summary>Data that matches no known error.</summary>
    Unknown,
}
