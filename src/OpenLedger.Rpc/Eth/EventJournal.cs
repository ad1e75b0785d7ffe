using OpenLedger.Chain;
using OpenLedger.Primitives;

namespace OpenLedger.Rpc.Eth;

/// <summary>
/// The recent chain events filters and subscriptions read from: committed blocks and accepted pool
/// transactions, each numbered in arrival order. Appending is O(1) under a short lock, so the block
/// producer and the pool never do per-filter work; each filter keeps only a cursor into the journal,
/// so memory is bounded by the journal's size whatever the number of filters. The oldest entries are
/// dropped when a bound is reached; a cursor pointing before the oldest entry has missed data.
/// </summary>
public sealed class EventJournal<T>(int maxEntries, Func<T, int> weight, long maxWeight)
{
    // A ring: entry with sequence number s lives at _ring[s % capacity].
    private readonly T[] _ring = new T[maxEntries];
    private readonly object _lock = new();
    private long _first; // sequence number of the oldest entry held
    private int _count;
    private long _weight;

    /// <summary>Raised after each append (outside the lock).</summary>
    public event Action? Appended;

    /// <summary>The sequence number the next entry will get; a new cursor starts here.</summary>
    public long Next
    {
        get { lock (_lock) return _first + _count; }
    }

    public long Dropped { get; private set; }

    public void Append(T item)
    {
        lock (_lock)
        {
            if (_count == _ring.Length) DropOldest();
            _ring[(_first + _count) % _ring.Length] = item;
            _count++;
            _weight += weight(item);
            while (_count > 1 && _weight > maxWeight) DropOldest();
        }
        Appended?.Invoke();
    }

    private void DropOldest()
    {
        long slot = _first % _ring.Length;
        _weight -= weight(_ring[slot]);
        _ring[slot] = default!;
        _first++;
        _count--;
        Dropped++;
    }

    /// <summary>
    /// Entries from <paramref name="cursor"/> on (at most <paramref name="max"/>); <paramref name="missed"/> is true when
    /// some entries after the cursor were already dropped. Returns the cursor to continue from.
    /// </summary>
    public long Read(long cursor, int max, List<T> into, out bool missed)
    {
        lock (_lock)
        {
            missed = cursor < _first;
            long from = Math.Max(cursor, _first);
            long end = _first + _count;
            int take = (int)Math.Min(end - from, max);
            for (int i = 0; i < take; i++) into.Add(_ring[(from + i) % _ring.Length]);
            return from + Math.Max(take, 0);
        }
    }
}

/// <summary>What filters read: blocks (with receipts) and the hashes of accepted transactions.</summary>
public static class ChainEvents
{
    public static EventJournal<NewBlock> Blocks(int maxBlocks, long maxLogs) =>
        new(maxBlocks, b => 1 + b.Receipts.Sum(r => r.Logs.Count), maxLogs);

    public static EventJournal<Hash256> Pending(int max) => new(max, _ => 1, max);
}
