using ILGPU;
using ILGPU.Runtime;
using ILGPU.Runtime.CPU;
using ILGPU.Runtime.Cuda;
using OpenLedger.AI.Lora;
using OpenLedger.Serving.Engine;

namespace OpenLedger.Serving.Gpu;

/// <summary>
/// Runs the gathered LoRA product of a decode step on an ILGPU accelerator (CUDA, or ILGPU's CPU accelerator, which
/// the tests use to check it against <see cref="LoraSegments.Apply"/>). Same inputs as the CPU path; each call packs the
/// segments' adapters, copies in, runs shrink then expand, and copies y back. `serve --lora-kernels ilgpu-cpu|ilgpu-cuda`
/// runs the engine's LoRA products here (decode segments and prefill rows); the base GEMMs stay on the CPU, so each
/// adapted projection makes a device round trip: a correctness path and the seam for a device-resident engine, not a
/// speed-up on its own. Sums run in a different order than the managed path, so outputs agree to rounding, not bits.
/// </summary>
public sealed class IlgpuLora : ILoraKernels, IDisposable
{
    private readonly Context _context;
    public Accelerator Accelerator { get; }
    public string Name { get; }
    private readonly Action<Index2D, ArrayView<float>, ArrayView<int>, ArrayView<float>, ArrayView<int>, ArrayView<int>, ArrayView<float>, ArrayView<float>, int, int> _shrink;
    private readonly Action<Index2D, ArrayView<float>, ArrayView<int>, ArrayView<float>, ArrayView<int>, ArrayView<int>, ArrayView<float>, int, int> _expand;

    public IlgpuLora(bool cuda)
    {
        _context = Context.Create(b => { if (cuda) b.Cuda(); else b.CPU(); });
        if (cuda && _context.GetCudaDevices().Count == 0) { _context.Dispose(); throw new InvalidOperationException("no CUDA device is present"); }
        Name = cuda ? "ilgpu-cuda" : "ilgpu-cpu";
        Accelerator = cuda ? _context.CreateCudaAccelerator(0) : _context.CreateCPUAccelerator(0);
        _shrink = Accelerator.LoadAutoGroupedStreamKernel<Index2D, ArrayView<float>, ArrayView<int>, ArrayView<float>, ArrayView<int>, ArrayView<int>, ArrayView<float>, ArrayView<float>, int, int>(SgmvKernels.Shrink);
        _expand = Accelerator.LoadAutoGroupedStreamKernel<Index2D, ArrayView<float>, ArrayView<int>, ArrayView<float>, ArrayView<int>, ArrayView<int>, ArrayView<float>, int, int>(SgmvKernels.Expand);
    }

    /// <summary>y [B × outDim] += the LoRA product of every segment whose adapter adapts (layer, module).</summary>
    public void Apply(ReadOnlySpan<LoraSegment> segments, int layer, string module, float[] x, int inDim, float[] y, int outDim)
    {
        int rows = x.Length / inDim;
        var rowSlot = new int[rows];
        Array.Fill(rowSlot, -1);
        var aParts = new List<float[]>(); var bParts = new List<float[]>();
        var aOff = new List<int>(); var bOff = new List<int>(); var ranks = new List<int>(); var scales = new List<float>();
        int aLen = 0, bLen = 0, rMax = 1;
        foreach (var seg in segments)
        {
            var pair = seg.Adapter.Get(layer, module);
            if (pair == null) continue;
            int slot = ranks.Count;
            aOff.Add(aLen); bOff.Add(bLen);
            aParts.Add(pair.A.Data); bParts.Add(pair.B.Data);
            aLen += pair.A.Data.Length; bLen += pair.B.Data.Length;
            ranks.Add(seg.Adapter.Config.Rank); scales.Add(seg.Adapter.Config.Scale);
            rMax = Math.Max(rMax, seg.Adapter.Config.Rank);
            for (int r = seg.Start; r < seg.Start + seg.Count; r++) rowSlot[r] = slot;
        }
        if (ranks.Count == 0) return;
        var aAll = new float[aLen]; var bAll = new float[bLen];
        for (int i = 0; i < aParts.Count; i++) { aParts[i].CopyTo(aAll, aOff[i]); bParts[i].CopyTo(bAll, bOff[i]); }

        using var dx = Accelerator.Allocate1D(x);
        using var dSlot = Accelerator.Allocate1D(rowSlot);
        using var dA = Accelerator.Allocate1D(aAll);
        using var dAOff = Accelerator.Allocate1D(aOff.ToArray());
        using var dB = Accelerator.Allocate1D(bAll);
        using var dBOff = Accelerator.Allocate1D(bOff.ToArray());
        using var dRank = Accelerator.Allocate1D(ranks.ToArray());
        using var dScale = Accelerator.Allocate1D(scales.ToArray());
        using var dXa = Accelerator.Allocate1D<float>((long)rows * rMax);
        using var dy = Accelerator.Allocate1D(y);
        _shrink(new Index2D(rows, rMax), dx.View, dSlot.View, dA.View, dAOff.View, dRank.View, dScale.View, dXa.View, inDim, rMax);
        _expand(new Index2D(rows, outDim), dXa.View, dSlot.View, dB.View, dBOff.View, dRank.View, dy.View, outDim, rMax);
        Accelerator.Synchronize();
        dy.CopyToCPU(y);
    }

    public void ApplyPrefill(LoraAdapter adapter, int rows, int layer, string module, float[] x, int inDim, float[] y, int outDim) =>
        Apply([new LoraSegment(0, rows, adapter)], layer, module, x, inDim, y, outDim);

    public void Dispose()
    {
        Accelerator.Dispose();
        _context.Dispose();
    }
}
