namespace OpenLedger.Primitives.Transactions;

/// <summary>Intrinsic-gas constants (yellow paper G_* and the EIPs that changed them).</summary>
public static class GasCosts
{
    public const ulong Transaction = 21_000;
    public const ulong ContractCreation = 32_000;      // EIP-2: on top of Transaction
    public const ulong TxDataZero = 4;
    public const ulong TxDataNonZeroFrontier = 68;
    public const ulong TxDataNonZeroEip2028 = 16;
    public const ulong InitcodeWord = 2;               // EIP-3860, per 32-byte word
    public const int MaxInitcodeSize = 2 * 24_576;     // EIP-3860: twice EIP-170's code size limit
    public const ulong AccessListAddress = 2_400;      // EIP-2930
    public const ulong AccessListStorageKey = 1_900;   // EIP-2930
    public const ulong PerEmptyAccount = 25_000;       // EIP-7702, per authorization
    public const ulong TotalCostFloorPerToken = 10;    // EIP-7623
    public const ulong GasPerBlob = 1 << 17;           // EIP-4844
    public const byte BlobCommitmentVersionKzg = 0x01; // EIP-4844
}
