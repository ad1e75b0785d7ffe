using Microsoft.Extensions.Logging;
using OpenLedger.Rollup.Config;

namespace OpenLedger.Rollup.Derivation;

/// <summary>
/// Stage 2: the batcher transactions of an L1 block, in block order: sent to the batch inbox, by the batcher of the
/// system config in force at that block, of type 0, 1, 2, 3 or 0x7E. Others to the inbox are logged and skipped.
/// (Blob-carrying transactions' data would come from the blob sidecars; this L1 reader passes calldata only, so a
/// type-3 batcher transaction with empty calldata contributes nothing.)
/// </summary>
public static class L1Retrieval
{
    public static List<byte[]> BatcherData(L1Block block, SystemConfig systemConfig, RollupConfig config, ILogger logger)
    {
        var result = new List<byte[]>();
        foreach (var tx in block.Transactions)
        {
            if (tx.To != config.BatchInboxAddress) continue;
            if (tx.Type is not (0 or 1 or 2 or 3 or 0x7E))
            {
                logger.LogWarning("L1 block {Number}: dropping inbox transaction of type {Type}", block.Number, tx.Type);
                continue;
            }
            if (tx.From != systemConfig.BatcherAddress)
            {
                logger.LogWarning("L1 block {Number}: dropping inbox transaction from {From}, not the batcher {Batcher}", block.Number, tx.From, systemConfig.BatcherAddress);
                continue;
            }
            if (tx.Input.Length == 0) continue;
            result.Add(tx.Input);
        }
        return result;
    }
}
