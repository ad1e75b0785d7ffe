using ILGPU;
using ILGPU.Algorithms;
using ILGPU.Runtime;
using ILGPU.Runtime.CPU;
using ILGPU.Runtime.Cuda;

namespace OpenLedger.AI.Gpu;

/// <summary>
/// Runs the decoder kernels on an ILGPU accelerator: CUDA when a device is present, or ILGPU's CPU accelerator,
/// which tests use to check the kernels against the CPU path. Each call copies in, runs, and copies out.
/// </summary>
public sealed class IlgpuCompute : IDisposable
{
    private readonly Context _context;
    public Accelerator Accelerator { get; }
    private readonly Action<Index2D, ArrayView<float>, ArrayView<float>, ArrayView<float>, int, int> _matmul;
    private readonly Action<Index1D, ArrayView<float>, ArrayView<float>, ArrayView<float>, int, float> _rms;
    private readonly Action<Index1D, ArrayView<float>, ArrayView<float>, ArrayView<float>, int, int, int> _rope;
    private readonly Action<Index1D, ArrayView<float>, int, int> _softmax;
    private readonly Action<Index1D, ArrayView<float>, ArrayView<float>, ArrayView<float>> _swiglu;
    private readonly Action<Index1D, ArrayView<float>, ArrayView<int>, ArrayView<float>, int> _embed;

    public IlgpuCompute(bool cuda)
    {
        _context = Context.Create(b => (cuda ? b.Cuda() : b.CPU()).EnableAlgorithms());
        if (cuda && _context.GetCudaDevices().Count == 0) { _context.Dispose(); throw new InvalidOperationException("no CUDA device is present: ILGPU found no CUDA driver or GPU here; use the CPU path (no accelerator) or ILGPU's CPU accelerator"); }
        Accelerator = cuda ? _context.CreateCudaAccelerator(0) : _context.CreateCPUAccelerator(0);
        _matmul = Accelerator.LoadAutoGroupedStreamKernel<Index2D, ArrayView<float>, ArrayView<float>, ArrayView<float>, int, int>(DecoderKernels.MatMulNT);
        _rms = Accelerator.LoadAutoGroupedStreamKernel<Index1D, ArrayView<float>, ArrayView<float>, ArrayView<float>, int, float>(DecoderKernels.RmsNorm);
        _rope = Accelerator.LoadAutoGroupedStreamKernel<Index1D, ArrayView<float>, ArrayView<float>, ArrayView<float>, int, int, int>(DecoderKernels.Rope);
        _softmax = Accelerator.LoadAutoGroupedStreamKernel<Index1D, ArrayView<float>, int, int>(DecoderKernels.CausalSoftmax);
        _swiglu = Accelerator.LoadAutoGroupedStreamKernel<Index1D, ArrayView<float>, ArrayView<float>, ArrayView<float>>(DecoderKernels.SwiGlu);
        _embed = Accelerator.LoadAutoGroupedStreamKernel<Index1D, ArrayView<float>, ArrayView<int>, ArrayView<float>, int>(DecoderKernels.Embedding);
    }

    /// <summary>x [m × k] · wᵀ for w [n × k].</summary>
    public float[] MatMulNT(float[] x, float[] w, int m, int n, int k)
    {
        using var a = Accelerator.Allocate1D(x); using var b = Accelerator.Allocate1D(w);
        using var c = Accelerator.Allocate1D<float>((long)m * n);
        _matmul(new Index2D(m, n), a.View, b.View, c.View, n, k);
        return c.GetAsArray1D();
    }

    public float[] RmsNorm(float[] x, float[] g, float eps)
    {
        using var a = Accelerator.Allocate1D(x); using var gb = Accelerator.Allocate1D(g);
        using var y = Accelerator.Allocate1D<float>(x.Length);
        _rms(x.Length / g.Length, a.View, gb.View, y.View, g.Length, eps);
        return y.GetAsArray1D();
    }

    public float[] Rope(float[] x, float[] cos, float[] sin, int heads, int headDim, int pos0)
    {
        using var a = Accelerator.Allocate1D(x); using var cb = Accelerator.Allocate1D(cos); using var sb = Accelerator.Allocate1D(sin);
        _rope(x.Length / 2, a.View, cb.View, sb.View, heads, headDim, pos0);
        return a.GetAsArray1D();
    }

    public float[] CausalSoftmax(float[] s, int rows, int len, int pos0)
    {
        using var a = Accelerator.Allocate1D(s);
        _softmax(rows, a.View, len, pos0);
        return a.GetAsArray1D();
    }

    public float[] SwiGlu(float[] gate, float[] up)
    {
        using var g = Accelerator.Allocate1D(gate); using var u = Accelerator.Allocate1D(up);
        using var m = Accelerator.Allocate1D<float>(gate.Length);
        _swiglu(gate.Length, g.View, u.View, m.View);
        return m.GetAsArray1D();
    }

    public float[] Embedding(float[] table, int[] tokens, int d)
    {
        using var t = Accelerator.Allocate1D(table); using var ids = Accelerator.Allocate1D(tokens);
        using var o = Accelerator.Allocate1D<float>(tokens.Length * d);
        _embed(tokens.Length * d, t.View, ids.View, o.View, d);
        return o.GetAsArray1D();
    }

    private Action<Index1D, ArrayView<sbyte>, ArrayView<float>, ArrayView<double>, int, double>? _project;
    private readonly Dictionary<Attribution.DeterministicProjection, MemoryBuffer1D<sbyte, Stride1D.Dense>> _signs = new(ReferenceEqualityComparer.Instance);

    /// <summary>
    /// <see cref="Attribution.DeterministicProjection.Project"/> on the device: the same doubles, bit for bit (the
    /// query sketch must not depend on where it was computed). The signs are uploaded once per projection.
    /// </summary>
    public double[] Project(Attribution.DeterministicProjection projection, float[] gradient)
    {
        projection.CheckGradient(gradient);
        _project ??= Accelerator.LoadAutoGroupedStreamKernel<Index1D, ArrayView<sbyte>, ArrayView<float>, ArrayView<double>, int, double>(SketchKernels.ProjectRows);
        if (!_signs.TryGetValue(projection, out var signs)) _signs[projection] = signs = Accelerator.Allocate1D(projection.Signs);
        using var g = Accelerator.Allocate1D(gradient);
        using var result = Accelerator.Allocate1D<double>(projection.K);
        _project(projection.K, signs.View, g.View, result.View, projection.InputDimension, 1.0 / Math.Sqrt(projection.K));
        return result.GetAsArray1D();
    }

    public void Dispose()
    {
        foreach (var b in _signs.Values) b.Dispose();
        Accelerator.Dispose();
        _context.Dispose();
    }
}
