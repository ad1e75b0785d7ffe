using OpenLedger.AI.Lora;

namespace OpenLedger.Serving.Engine;

/// <summary>
/// Where the LoRA products of a step run: <see cref="CpuLoraKernels"/> (managed, the default; bit-identical to
/// <c>LlamaModel</c>) or <see cref="Gpu.IlgpuLora"/> (ILGPU kernels on CUDA or ILGPU's CPU accelerator).
/// </summary>
public interface ILoraKernels
{
    /// <summary>How `serve` names it (`--lora-kernels`).</summary>
    string Name { get; }

    /// <summary>Decode rows: y [B × outDim] += the LoRA product of every segment whose adapter adapts (layer, module).</summary>
    void Apply(ReadOnlySpan<LoraSegment> segments, int layer, string module, float[] x, int inDim, float[] y, int outDim);

    /// <summary>One sequence's prefill rows: y [rows × outDim] += the adapter's product for (layer, module), if it adapts it.</summary>
    void ApplyPrefill(LoraAdapter adapter, int rows, int layer, string module, float[] x, int inDim, float[] y, int outDim);
}
