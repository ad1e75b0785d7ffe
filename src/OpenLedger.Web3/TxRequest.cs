using OpenLedger.Primitives;
using OpenLedger.Primitives.Crypto;
using OpenLedger.Primitives.Transactions;
using OpenLedger.Web3.Eth;
using OpenLedger.Web3.Rpc;

namespace OpenLedger.Web3;

/// <summary>What to send: recipient (null creates a contract), calldata, value and an optional gas limit (estimated when null).</summary>
public sealed record TxRequest(Address? To, byte[] Data, UInt256 Value = default, ulong? GasLimit = null)
{
    public IReadOnlyList<AccessListItem> AccessList { get; init; } = [];
}
