using System.Text.Json;
using OpenLedger.Primitives;
using static OpenLedger.Web3.Eth.JsonRead;

namespace OpenLedger.Web3.Eth;

/// <summary>An event log as eth_getLogs and receipts return it.</summary>
public sealed record Log(
    Address Address, IReadOnlyList<Hash256> Topics, byte[] Data,
    ulong? BlockNumber, Hash256? BlockHash, Hash256? TransactionHash, ulong? TransactionIndex, ulong? LogIndex, bool Removed)
{
    internal static Log Read(JsonElement e, string what) => new(
        AddrOf(e, "address"), Array(e, "topics", Hash), BytesOf(e, "data"),
        OptULong(e, "blockNumber"), OptHash(e, "blockHash"), OptHash(e, "transactionHash"),
        OptULong(e, "transactionIndex"), OptULong(e, "logIndex"),
        Has(e, "removed") && e.GetProperty("removed").ValueKind == JsonValueKind.True);
}
