using OpenLedger.Primitives;

namespace OpenLedger.Chain.TxPool;

/// <summary>The head state the pool validates against (account nonce and balance); read from several threads at once.</summary>
public interface IPoolStateView
{
    ulong GetNonce(Address address);
    UInt256 GetBalance(Address address);
}
