namespace OpenLedger.Primitives.Transactions;

/// <summary>EIP-2718 transaction type byte (legacy transactions have none and are plain RLP lists).</summary>
public enum TxType : byte
{
    Legacy = 0,
    /// <summary>EIP-2930: chain id and access list.</summary>
    AccessList = 1,
    /// <summary>EIP-1559: priority fee and fee cap.</summary>
    DynamicFee = 2,
    /// <summary>EIP-4844: blob-carrying.</summary>
    Blob = 3,
    /// <summary>EIP-7702: sets account code by authorization.</summary>
    SetCode = 4,
    /// <summary>OP Stack deposited transaction (derived from L1, unsigned): see <c>Transaction.Deposit.cs</c>.</summary>
    Deposit = 0x7E,
}
