using OpenLedger.Primitives.Forks;
using OpenLedger.Primitives;
using OpenLedger.Primitives.Transactions;

namespace OpenLedger.Chain.TxPool;

/// <summary>A validated transaction with what the pool needs cached (hash, sender, size, cost).</summary>
public sealed class PooledTransaction
{
    public PooledTransaction(Transaction tx, Address sender, byte[] encoded)
    {
        Transaction = tx;
        Sender = sender;
        Encoded = encoded;
        Hash = Keccak256.Compute(encoded);
        // gasLimit * feeCap + value (+ blob gas * blob fee cap): what the sender must be able to pay.
        var cost = new UInt256(tx.GasLimit) * tx.FeeCap + tx.Value;
        if (tx.Type == TxType.Blob)
            cost += new UInt256((ulong)tx.BlobVersionedHashes.Count * ForkSpec.Cancun.BlobGasPerBlob) * tx.MaxFeePerBlobGas;
        MaxCost = cost;
    }

    public Transaction Transaction { get; }
    public Address Sender { get; }
    public byte[] Encoded { get; }
    public Hash256 Hash { get; }
    public UInt256 MaxCost { get; }
    public ulong Nonce => Transaction.Nonce;
    public DateTime ReceivedAt { get; } = DateTime.UtcNow;

    public UInt256 TipCap => Transaction.HasDynamicFee ? Transaction.MaxPriorityFeePerGas : Transaction.GasPrice;

    /// <summary>The tip the block producer earns at this base fee, or null when the fee cap is below it.</summary>
    public UInt256? EffectiveTip(UInt256 baseFee)
    {
        var cap = Transaction.FeeCap;
        if (cap < baseFee) return null;
        var room = cap - baseFee;
        return TipCap < room ? TipCap : room;
    }
}
