namespace OpenLedger.AI.Model;

/// <summary>Keys (after RoPE) and values of every position seen so far, per layer, for one sequence.</summary>
public sealed class KvCache
{
    public float[][] K { get; }
    public float[][] V { get; }
    public int Capacity { get; }
    public int Length { get; internal set; }

    public KvCache(LlamaConfig config, int capacity)
    {
        if (capacity <= 0 || capacity > config.MaxPositions)
            throw new ArgumentOutOfRangeException(nameof(capacity), $"cache capacity {capacity} must lie in [1, max_position_embeddings {config.MaxPositions}]");
        Capacity = capacity;
        K = new float[config.NumLayers][]; V = new float[config.NumLayers][];
        for (int l = 0; l < config.NumLayers; l++) { K[l] = new float[capacity * config.KvDim]; V[l] = new float[capacity * config.KvDim]; }
    }

    public long Bytes => (long)K.Length * 2 * K[0].Length * sizeof(float);
    public void Reset() => Length = 0;
}
