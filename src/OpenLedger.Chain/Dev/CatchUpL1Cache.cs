using System.Diagnostics;
using OpenLedger.Chain.Rollup;

namespace OpenLedger.Chain.Dev;

/// <summary>
/// L1 reads shared by the blocks a time-travelling sequencer seals in quick succession. Catching up after a jump it
/// seals hundreds of blocks a second, each asking L1 for its origin, the head and the next block, which are the same
/// answers for all of them. Answers are reused for at most <paramref name="maxAge"/> (well under a block time, so a
/// sequencer sealing in real time reads afresh every block); a block L1 does not have yet is never cached.
/// </summary>
public sealed class CatchUpL1Cache(IL1BlockSource inner, TimeSpan maxAge) : IL1BlockSource
{
    private readonly Lock _lock = new();
    private readonly Dictionary<ulong, (L1BlockRef Block, long At)> _blocks = new();
    private (L1BlockRef Head, long At)? _head;

    public async Task<L1BlockRef> GetHeadAsync(CancellationToken ct)
    {
        lock (_lock)
            if (_head is { } h && Fresh(h.At)) return h.Head;
        var head = await inner.GetHeadAsync(ct);
        lock (_lock) _head = (head, Stopwatch.GetTimestamp());
        return head;
    }

    public async Task<L1BlockRef?> GetBlockAsync(ulong number, CancellationToken ct)
    {
        lock (_lock)
            if (_blocks.TryGetValue(number, out var b) && Fresh(b.At)) return b.Block;
        var block = await inner.GetBlockAsync(number, ct);
        if (block is null) return null;
        lock (_lock)
        {
            if (_blocks.Count >= 64)
                foreach (var stale in _blocks.Where(kv => !Fresh(kv.Value.At)).Select(kv => kv.Key).ToList()) _blocks.Remove(stale);
            _blocks[number] = (block, Stopwatch.GetTimestamp());
        }
        return block;
    }

    private bool Fresh(long at) => Stopwatch.GetElapsedTime(at) < maxAge;
}
