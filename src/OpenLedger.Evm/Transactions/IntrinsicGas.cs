using OpenLedger.Primitives.Transactions;

namespace OpenLedger.Evm.Transactions;

/// <summary>Gas a transaction pays before any code runs: base, calldata bytes, access list (EIP-2930), init code words (EIP-3860).</summary>
public static class IntrinsicGas
{
    public static ulong Compute(Transaction tx, ForkSpec spec)
    {
        var g = spec.Gas;
        ulong gas = (ulong)g.TxBase;
        if (tx.IsContractCreation)
            gas += (ulong)g.TxCreate + (ulong)g.InitCodeWord * (((ulong)tx.Data.Length + 31) / 32);
        int zeros = tx.Data.AsSpan().Count((byte)0);
        gas += (ulong)zeros * (ulong)g.TxDataZero + (ulong)(tx.Data.Length - zeros) * (ulong)g.TxDataNonZero;
        foreach (var item in tx.AccessList)
            gas += (ulong)g.TxAccessListAddress + (ulong)item.StorageKeys.Count * (ulong)g.TxAccessListStorageKey;
        return gas;
    }
}
