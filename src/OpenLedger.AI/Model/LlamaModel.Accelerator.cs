using OpenLedger.AI.Gpu;

namespace OpenLedger.AI.Model;

public sealed partial class LlamaModel
{
    /// <summary>
    /// When set (<see cref="UseAccelerator"/>), <see cref="Forward"/> and <see cref="DecodeBatch"/> run on this ILGPU
    /// decoder instead of the CPU kernels. Training (ForwardBackward) and gradient sketches stay on the CPU path,
    /// which is the bit-reproducible one.
    /// </summary>
    public IlgpuDecoder? Accelerator { get; private set; }

    /// <summary>Runs inference on <paramref name="compute"/>'s accelerator (weights uploaded now), or back on the CPU with null.</summary>
    public void UseAccelerator(IlgpuCompute? compute)
    {
        Accelerator?.Dispose();
        Accelerator = compute == null ? null : new IlgpuDecoder(compute, this);
    }

    /// <summary>One decode step per sequence on the accelerator (not yet one batched product per projection).</summary>
    private float[] DecodeBatchOnAccelerator(ReadOnlySpan<int> tokens, KvCache[] caches)
    {
        int v = Config.VocabSize;
        var logits = new float[(long)tokens.Length * v];
        for (int b = 0; b < tokens.Length; b++) Accelerator!.Forward(tokens.Slice(b, 1), caches[b]).CopyTo(logits, (long)b * v);
        return logits;
    }
}
