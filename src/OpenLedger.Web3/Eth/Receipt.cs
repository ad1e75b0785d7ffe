using System.Text.Json;
using OpenLedger.Primitives;
using static OpenLedger.Web3.Eth.JsonRead;

namespace OpenLedger.Web3.Eth;

/// <summary>A transaction receipt.</summary>
public sealed record Receipt(
    Hash256 TransactionHash, ulong TransactionIndex, Hash256 BlockHash, ulong BlockNumber,
    Address From, Address? To, Address? ContractAddress,
    ulong GasUsed, ulong CumulativeGasUsed, UInt256 EffectiveGasPrice,
    bool Succeeded, byte Type, IReadOnlyList<Log> Logs, byte[] LogsBloom)
{
    internal static Receipt Read(JsonElement e) => new(
        HashOf(e, "transactionHash"), ULongOf(e, "transactionIndex"), HashOf(e, "blockHash"), ULongOf(e, "blockNumber"),
        AddrOf(e, "from"), OptAddr(e, "to"), OptAddr(e, "contractAddress"),
        ULongOf(e, "gasUsed"), ULongOf(e, "cumulativeGasUsed"), OptU256(e, "effectiveGasPrice") ?? UInt256.Zero,
        ReadStatus(e), (byte)(OptULong(e, "type") ?? 0), Array(e, "logs", Log.Read), BytesOf(e, "logsBloom"));

    private static bool ReadStatus(JsonElement e)
    {
        var status = ULongOf(e, "status");
        return status switch { 1 => true, 0 => false, _ => throw new RpcFormatException($"receipt status {status} is neither 0 nor 1") };
    }
}
