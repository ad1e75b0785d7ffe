using OpenLedger.Primitives;

namespace OpenLedger.Datanets.Indexing;

/// <summary>One log as eth_getLogs returns it.</summary>
public sealed record RawLog(long BlockNumber, long LogIndex, string BlockHash, string TxHash, string Address, Hash256[] Topics, byte[] Data);

/// <summary>
/// What the indexer reads from the chain. <see cref="RpcChainSource"/> is the real one (Nethereum over JSON-RPC);
/// the benchmark feeds a pre-built log list through the same seam to time decoding and SQL alone.
/// </summary>
public interface IChainSource
{
    Task<long> HeadAsync(CancellationToken ct);

    /// <summary>The hash of block <paramref name="number"/> on the current chain, or null past the head.</summary>
    Task<string?> BlockHashAsync(long number, CancellationToken ct);

    /// <summary>Logs of <paramref name="addresses"/> in [from, to], in chain order.</summary>
    Task<IReadOnlyList<RawLog>> LogsAsync(long from, long to, IReadOnlyList<string> addresses, CancellationToken ct);
}
