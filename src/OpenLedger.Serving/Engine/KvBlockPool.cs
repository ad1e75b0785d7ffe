using OpenLedger.AI.Model;

namespace OpenLedger.Serving.Engine;

/// <summary>
/// The paged KV cache's memory: a fixed number of blocks, each holding <see cref="BlockSize"/> positions of keys and
/// values for every layer, allocated once at start. Sequences take whole blocks and give them back when they finish,
/// so memory is bounded by the pool, not by the longest request, and there is no fragmentation.
/// Block b, layer l, position p (0 ≤ p &lt; BlockSize) lives at K[l][(b·BlockSize + p)·KvDim ..].
/// </summary>
public sealed class KvBlockPool
{
    public int BlockSize { get; }
    public int BlockCount { get; }
    public int KvDim { get; }
    public float[][] K { get; }
    public float[][] V { get; }
    private readonly Stack<int> _free;
    private readonly object _lock = new();

    public KvBlockPool(LlamaConfig config, int blockSize, int blockCount)
    {
        if (blockSize <= 0) throw new ArgumentOutOfRangeException(nameof(blockSize), $"KV block size must be positive, is {blockSize}");
        if (blockCount <= 0) throw new ArgumentOutOfRangeException(nameof(blockCount), $"KV block count must be positive, is {blockCount}");
        long floats = (long)blockSize * blockCount * config.KvDim;
        if (floats > Array.MaxLength) throw new ArgumentOutOfRangeException(nameof(blockCount), $"{blockCount} blocks of {blockSize} positions exceed one array per layer; use fewer blocks");
        BlockSize = blockSize; BlockCount = blockCount; KvDim = config.KvDim;
        K = new float[config.NumLayers][]; V = new float[config.NumLayers][];
        for (int l = 0; l < config.NumLayers; l++) { K[l] = new float[floats]; V[l] = new float[floats]; }
        _free = new Stack<int>(Enumerable.Range(0, blockCount).Reverse());
    }

    /// <summary>Bytes of the keys and values of all blocks.</summary>
    public long Bytes => (long)K.Length * 2 * K[0].Length * sizeof(float);

    public int FreeBlocks { get { lock (_lock) return _free.Count; } }

    public int BlocksFor(int positions) => (positions + BlockSize - 1) / BlockSize;

    /// <summary>Takes <paramref name="count"/> blocks, or none (returns null) when fewer are free.</summary>
    public int[]? TryTake(int count)
    {
        lock (_lock)
        {
            if (count > _free.Count) return null;
            var blocks = new int[count];
            for (int i = 0; i < count; i++) blocks[i] = _free.Pop();
            return blocks;
        }
    }

    public void Return(IEnumerable<int> blocks)
    {
        lock (_lock) foreach (int b in blocks) _free.Push(b);
    }

    /// <summary>Offset of (block, position in block) in a layer's K or V array.</summary>
    public long Offset(int block, int position) => ((long)block * BlockSize + position) * KvDim;
}

/// <summary>
/// One sequence's view of the pool: its blocks in order and how many positions are filled. The scheduler grows it a
/// block at a time as prefill chunks and decode steps need positions (<see cref="TryGrow"/>), and hands every block
/// back when the sequence finishes or is preempted.
/// </summary>
public sealed class PagedKv
{
    private readonly List<int> _blocks;

    public PagedKv(KvBlockPool pool, int[]? blocks = null)
    {
        Pool = pool;
        _blocks = [.. blocks ?? []];
    }

    public KvBlockPool Pool { get; }
    public IReadOnlyList<int> Blocks => _blocks;
    public int Length { get; internal set; }
    public int Capacity => _blocks.Count * Pool.BlockSize;

    public long Offset(int position) => Pool.Offset(_blocks[position / Pool.BlockSize], position % Pool.BlockSize);

    /// <summary>Takes blocks from the pool until <paramref name="positions"/> fit; false (nothing taken) when the pool has too few free.</summary>
    public bool TryGrow(int positions)
    {
        int need = Pool.BlocksFor(positions) - _blocks.Count;
        if (need <= 0) return true;
        var more = Pool.TryTake(need);
        if (more == null) return false;
        _blocks.AddRange(more);
        return true;
    }

    /// <summary>Gives every block back and empties the cache (a preempted sequence recomputes it later).</summary>
    public void Release()
    {
        Pool.Return(_blocks);
        _blocks.Clear();
        Length = 0;
    }
}
