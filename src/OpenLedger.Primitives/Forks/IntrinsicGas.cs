using OpenLedger.Primitives.Transactions;

namespace OpenLedger.Primitives.Forks;

/// <summary>
/// Gas a transaction pays before any code runs, under a fork: base, calldata bytes, creation (EIP-2), init code
/// words (EIP-3860), access list (EIP-2930), authorizations (EIP-7702); and the EIP-7623 calldata floor.
/// The pool's validator and the transaction processor both charge exactly this.
/// </summary>
public static class IntrinsicGas
{
    public static ulong Compute(Transaction tx, ForkSpec spec)
    {
        var g = spec.Gas;
        ulong gas = (ulong)g.TxBase;
        if (tx.IsContractCreation)
        {
            if (spec.Eip2) gas += (ulong)g.TxCreate;
            if (spec.Eip3860) gas += (ulong)g.InitCodeWord * (((ulong)tx.Data.Length + 31) / 32);
        }
        ulong zeros = (ulong)tx.Data.AsSpan().Count((byte)0);
        gas += zeros * (ulong)g.TxDataZero + ((ulong)tx.Data.Length - zeros) * (ulong)g.TxDataNonZero;
        foreach (var item in tx.AccessList)
            gas += (ulong)g.TxAccessListAddress + (ulong)item.StorageKeys.Count * (ulong)g.TxAccessListStorageKey;
        gas += (ulong)g.PerEmptyAccount * (ulong)tx.AuthorizationList.Count;
        return gas; // bounded by the encoded size times 68: no overflow for any decodable input
    }

    /// <summary>EIP-7623: 21000 + 10 per token, a zero byte being one token and a non-zero byte four; 0 before Prague.</summary>
    public static ulong Floor(Transaction tx, ForkSpec spec)
    {
        if (!spec.Eip7623) return 0;
        ulong zeros = (ulong)tx.Data.AsSpan().Count((byte)0);
        ulong tokens = zeros + 4 * ((ulong)tx.Data.Length - zeros);
        return (ulong)spec.Gas.TxBase + (ulong)spec.Gas.TotalCostFloorPerToken * tokens;
    }
}
