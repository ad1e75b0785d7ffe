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

    public void Return(int[] blocks)
    {
        lock (_lock) foreach (int b in blocks) _free.Push(b);
    }

    /// <summary>Offset of (block, position in block) in a layer's K or V array.</summary>
    public long Offset(int block, int position) => ((long)block * BlockSize + position) * KvDim;
}

/// <summary>One sequence's view of the pool: its blocks in order and how many positions are filled.</summary>
public sealed class PagedKv(KvBlockPool pool, int[] blocks)
{
    public KvBlockPool Pool { get; } = pool;
    public int[] Blocks { get; } = blocks;
    public int Length { get; internal set; }
    public int Capacity => Blocks.Length * Pool.BlockSize;

    public long Offset(int position) => Pool.Offset(Blocks[position / Pool.BlockSize], position % Pool.BlockSize);
}
