using System.Text.Json;
using OpenLedger.Primitives;
using static OpenLedger.Web3.Eth.JsonRead;

namespace OpenLedger.Web3.Eth;

/// <summary>A block's header fields and its transaction hashes (eth_getBlockByNumber with full=false).</summary>
public sealed record Block(
    ulong Number, Hash256 Hash, Hash256 ParentHash, ulong Timestamp, ulong GasLimit, ulong GasUsed, UInt256? BaseFeePerGas,
    Address Miner, Hash256 StateRoot, Hash256 TransactionsRoot, Hash256 ReceiptsRoot, byte[] ExtraData,
    ulong? BlobGasUsed, ulong? ExcessBlobGas, IReadOnlyList<Hash256> TransactionHashes)
{
    internal static Block Read(JsonElement e) => new(
        ULongOf(e, "number"), HashOf(e, "hash"), HashOf(e, "parentHash"), ULongOf(e, "timestamp"), ULongOf(e, "gasLimit"), ULongOf(e, "gasUsed"),
        OptU256(e, "baseFeePerGas"), AddrOf(e, "miner"), HashOf(e, "stateRoot"), HashOf(e, "transactionsRoot"), HashOf(e, "receiptsRoot"),
        BytesOf(e, "extraData"), OptULong(e, "blobGasUsed"), OptULong(e, "excessBlobGas"),
        Array(e, "transactions", (t, what) => t.ValueKind == JsonValueKind.Object ? HashOf(t, "hash") : JsonRead.Hash(t, what)));
}
