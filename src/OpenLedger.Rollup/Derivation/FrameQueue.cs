using Microsoft.Extensions.Logging;
using OpenLedger.Rollup.Encoding;

namespace OpenLedger.Rollup.Derivation;

/// <summary>Stage 3: a batcher transaction's data into frames; if any frame fails to parse the whole transaction is dropped.</summary>
public static class FrameQueue
{
    public static IReadOnlyList<Frame> Parse(byte[] batcherData, ulong l1Number, ILogger logger)
    {
        try
        {
            return Frame.ParseBatcherData(batcherData);
        }
        catch (BatchFormatException e)
        {
            logger.LogWarning("L1 block {Number}: dropping batcher transaction: {Error}", l1Number, e.Message);
            return [];
        }
    }
}
