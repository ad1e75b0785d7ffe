using System.Text.Json;
using OpenLedger.Primitives;
using static OpenLedger.Web3.Eth.JsonRead;

namespace OpenLedger.Web3.Eth;

/// <summary>A transaction as eth_getTransactionByHash returns it: the common fields, and the whole JSON object for the rest.</summary>
public sealed record RpcTransaction(
    Hash256 Hash, byte Type, Address From, Address? To, ulong Nonce, UInt256 Value, byte[] Input, ulong Gas,
    ulong? ChainId, ulong? BlockNumber, Hash256? BlockHash, JsonElement Json)
{
    internal static RpcTransaction Read(JsonElement e) => new(
        HashOf(e, "hash"), (byte)(OptULong(e, "type") ?? 0), AddrOf(e, "from"), OptAddr(e, "to"), ULongOf(e, "nonce"), U256Of(e, "value"),
        BytesOf(e, "input"), ULongOf(e, "gas"), OptULong(e, "chainId"), OptULong(e, "blockNumber"), OptHash(e, "blockHash"), e.Clone());
}
