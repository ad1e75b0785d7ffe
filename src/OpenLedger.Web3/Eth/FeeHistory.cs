using System.Text.Json;
using OpenLedger.Primitives;
using static OpenLedger.Web3.Eth.JsonRead;

namespace OpenLedger.Web3.Eth;

/// <summary>eth_feeHistory: base fees for blockCount+1 blocks (the last is the next block's), gas used ratios and reward percentiles.</summary>
public sealed record FeeHistory(ulong OldestBlock, IReadOnlyList<UInt256> BaseFeePerGas, IReadOnlyList<double> GasUsedRatio, IReadOnlyList<IReadOnlyList<UInt256>> Reward)
{
    internal static FeeHistory Read(JsonElement e) => new(
        ULongOf(e, "oldestBlock"), Array(e, "baseFeePerGas", U256),
        Array(e, "gasUsedRatio", (v, w) => v.ValueKind == JsonValueKind.Number ? v.GetDouble() : throw new RpcFormatException($"{w} is not a number")),
        Has(e, "reward") ? Array<IReadOnlyList<UInt256>>(e, "reward", (v, w) => ReadRow(v, w)) : []);

    private static UInt256[] ReadRow(JsonElement row, string what)
    {
        if (row.ValueKind != JsonValueKind.Array) throw new RpcFormatException($"{what} is not an array");
        return row.EnumerateArray().Select((x, i) => U256(x, $"{what}[{i}]")).ToArray();
    }
}
