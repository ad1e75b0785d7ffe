using OpenLedger.AI.Compute;
using OpenLedger.AI.Lora;

namespace OpenLedger.Serving.Engine;

/// <summary>
/// The managed LoRA products: decode rows per adapter segment (<see cref="LoraSegments.Apply"/>, row-chunked so each
/// row's sums do not depend on the batch), prefill as one GEMM pair of M = rows, the shapes <c>LlamaModel</c> uses,
/// so greedy outputs equal <c>Generator</c>'s bit for bit.
/// </summary>
public sealed class CpuLoraKernels : ILoraKernels
{
    public static readonly CpuLoraKernels Instance = new();
    private CpuLoraKernels() { }

    public string Name => "cpu";

    public void Apply(ReadOnlySpan<LoraSegment> segments, int layer, string module, float[] x, int inDim, float[] y, int outDim) =>
        LoraSegments.Apply(segments, layer, module, x, inDim, y, outDim);

    public void ApplyPrefill(LoraAdapter adapter, int rows, int layer, string module, float[] x, int inDim, float[] y, int outDim)
    {
        var pair = adapter.Get(layer, module);
        if (pair == null) return;
        int r = adapter.Config.Rank;
        float s = adapter.Config.Scale;
        var xa = new float[rows * r];
        Gemm.Multiply(false, true, rows, r, inDim, x, inDim, pair.A.Data, inDim, xa, r);
        for (int i = 0; i < xa.Length; i++) xa[i] *= s;
        Gemm.Multiply(false, true, rows, outDim, r, xa, r, pair.B.Data, r, y, outDim, accumulate: true);
    }
}
