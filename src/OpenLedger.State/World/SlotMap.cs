using System.Runtime.CompilerServices;
using OpenLedger.Primitives;

namespace OpenLedger.State.World;

/// <summary>
/// An account's cached slots (<see cref="WorldAccount.Storage"/>): key to <see cref="SlotState"/>, insert and look up
/// only (no single-key removal), cleared as a whole when the account is destroyed.
/// Why not <see cref="Dictionary{TKey,TValue}"/>: a transaction writing thousands of fresh slots grew the dictionary's
/// entry array by copying it into ever larger large-object-heap arrays, and after a collection each of those came as
/// fresh pages from the kernel (a profile of 5,000 cold SSTOREs: ~40% of the time in resizing and page faults).
/// Here entries live in chunks of 512 (57 KB, below the large-object heap) that are appended and never move; only the
/// open-addressing index (an int per bucket, linear probing, at most half full) is rebuilt when it grows.
/// </summary>
internal sealed class SlotMap
{
    private struct Entry
    {
        public UInt256 Key;
        public SlotState Slot;
    }

    private const int Shift = 9, ChunkSize = 1 << Shift, Mask = ChunkSize - 1;
    private Entry[][] _chunks = [];
    // Bucket -> entry index + 1 (0: empty). Length a power of two, or zero before the first insert.
    private int[] _index = [];

    public int Count { get; private set; }

    public UInt256 KeyAt(int i) => _chunks[i >> Shift][i & Mask].Key;

    public ref SlotState SlotAt(int i) => ref _chunks[i >> Shift][i & Mask].Slot;

    /// <summary>The slot of <paramref name="key"/>, or a null reference when absent.</summary>
    public ref SlotState Find(in UInt256 key)
    {
        if (Count == 0) return ref Unsafe.NullRef<SlotState>();
        int mask = _index.Length - 1;
        for (int b = key.GetHashCode() & mask; ; b = (b + 1) & mask)
        {
            int v = _index[b];
            if (v == 0) return ref Unsafe.NullRef<SlotState>();
            ref var e = ref _chunks[(v - 1) >> Shift][(v - 1) & Mask];
            if (e.Key == key) return ref e.Slot;
        }
    }

    /// <summary>The slot of <paramref name="key"/>, added as default when absent (<paramref name="found"/> false).</summary>
    public ref SlotState GetOrAdd(in UInt256 key, out bool found)
    {
        if ((Count + 1) * 2 > _index.Length) GrowIndex();
        int mask = _index.Length - 1;
        int b = key.GetHashCode() & mask;
        for (; ; b = (b + 1) & mask)
        {
            int v = _index[b];
            if (v == 0) break;
            ref var e = ref _chunks[(v - 1) >> Shift][(v - 1) & Mask];
            if (e.Key == key) { found = true; return ref e.Slot; }
        }
        int i = Count;
        ref var added = ref NewEntry(i);
        added.Key = key;
        added.Slot = default;
        _index[b] = i + 1;
        Count = i + 1;
        found = false;
        return ref added.Slot;
    }

    /// <summary>Forgets every slot; the memory is kept for reuse.</summary>
    public void Clear()
    {
        Array.Clear(_index);
        Count = 0;
    }

    private ref Entry NewEntry(int i)
    {
        int c = i >> Shift;
        if (c == _chunks.Length) Array.Resize(ref _chunks, Math.Max(1, c * 2));
        ref var chunk = ref _chunks[c];
        // The first chunk starts small and doubles up to full size, so an account with a few slots costs little.
        chunk ??= new Entry[c == 0 ? 4 : ChunkSize];
        int j = i & Mask;
        if (j == chunk.Length) Array.Resize(ref chunk, chunk.Length * 2);
        return ref chunk[j];
    }

    private void GrowIndex()
    {
        var index = new int[Math.Max(8, _index.Length * 2)];
        int mask = index.Length - 1;
        for (int i = 0; i < Count; i++)
        {
            int b = KeyAt(i).GetHashCode() & mask;
            while (index[b] != 0) b = (b + 1) & mask;
            index[b] = i + 1;
        }
        _index = index;
    }
}
