using OpenLedger.Primitives;

namespace OpenLedger.Chain.TxPool;

/// <summary>The head state the pool validates against (account nonce and balance, the L1 data fee); read from several threads at once.</summary>
public interface IPoolStateView
{
    ulong GetNonce(Address address);
    UInt256 GetBalance(Address address);

    /// <summary>The L1 data fee a signed transaction would pay at this head (rollups; zero on plain chains).</summary>
    UInt256 L1DataFee(ReadOnlySpan<byte> signedTx) => UInt256.Zero;
}
