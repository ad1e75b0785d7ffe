using OpenLedger.Attribution.Gpu;

namespace OpenLedger.Attribution.Scoring;

/// <summary>Picks the scoring backend at run time: ILGPU on CUDA when a GPU is present, the SIMD CPU path otherwise.</summary>
public static class ScorerFactory
{
    public static IAttributionScorer CreateBest()
    {
        if (IlgpuDevice.CudaAvailable())
            return new IlgpuScorer(IlgpuDevice.Create(IlgpuTarget.Cuda), ownsDevice: true);
        return new SimdCpuScorer();
    }

    /// <summary>By name: "simd-cpu", "ilgpu-cpu" or "ilgpu-cuda"; "auto" is <see cref="CreateBest"/>.</summary>
    public static IAttributionScorer Create(string name) => name switch
    {
        "auto" => CreateBest(),
        "simd-cpu" => new SimdCpuScorer(),
        "ilgpu-cpu" => new IlgpuScorer(IlgpuDevice.Create(IlgpuTarget.Cpu), ownsDevice: true),
        "ilgpu-cuda" => new IlgpuScorer(IlgpuDevice.Create(IlgpuTarget.Cuda), ownsDevice: true),
        _ => throw new ArgumentException($"unknown scorer '{name}': use auto, simd-cpu, ilgpu-cpu or ilgpu-cuda"),
    };
}
