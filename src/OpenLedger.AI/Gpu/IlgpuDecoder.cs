using ILGPU;
using ILGPU.Runtime;
using ILGPU.Runtime.Cuda;
using OpenLedger.AI.Model;

namespace OpenLedger.AI.Gpu;

/// <summary>
/// <see cref="LlamaModel"/>'s inference forward pass on an ILGPU accelerator (<see cref="LlamaModel.UseAccelerator"/>):
/// the base weights are uploaded once, the activations and a mirror of each <see cref="KvCache"/> (until <see cref="Release"/>) stay on the device,
/// and only the token ids go in and the logits (and the new K/V rows, so the host cache stays true) come out.
/// Products run through cuBLAS on CUDA and through <see cref="ForwardKernels.MatMulNT"/> elsewhere; everything else
/// through our kernels. Results agree with the CPU path within float rounding, not bit for bit (see ForwardKernels).
/// The base weights are a snapshot: a model whose base weights change (merge, training) needs a new decoder. The
/// adapter, if any, is read from the model at every call.
/// </summary>
public sealed class IlgpuDecoder : IDisposable
{
    private sealed class DeviceCache(MemoryBuffer1D<float, Stride1D.Dense>[] k, MemoryBuffer1D<float, Stride1D.Dense>[] v)
    {
        public readonly MemoryBuffer1D<float, Stride1D.Dense>[] K = k, V = v;
        public int Synced; // host rows [0, Synced) are on the device
    }

    private readonly IlgpuCompute _compute;
    private readonly LlamaModel _model;
    private readonly Accelerator _acc;
    private readonly CuBlas? _blas;
    private readonly List<MemoryBuffer> _owned = [];
    private readonly Dictionary<float[], ArrayView<float>> _weights = new(ReferenceEqualityComparer.Instance);
    private readonly ArrayView<float> _cos, _sin;
    private readonly Dictionary<KvCache, DeviceCache> _caches = new(ReferenceEqualityComparer.Instance);

    private readonly Action<Index2D, ArrayView<float>, int, int, ArrayView<float>, int, int, ArrayView<float>, int, int, float, int> _matmul;
    private readonly Action<Index2D, ArrayView<float>, ArrayView<float>, ArrayView<float>, int, int, int, int, int, int, float> _scores;
    private readonly Action<Index1D, ArrayView<float>, int, int, int> _softmax;
    private readonly Action<Index2D, ArrayView<float>, ArrayView<float>, ArrayView<float>, int, int, int, int, int, int> _values;
    private readonly Action<Index1D, ArrayView<float>, int, ArrayView<float>, ArrayView<float>, int, float> _rms;
    private readonly Action<Index1D, ArrayView<float>, ArrayView<float>> _add;
    private readonly Action<Index1D, ArrayView<float>, ArrayView<float>, int> _copy;
    private readonly Action<Index1D, ArrayView<float>, ArrayView<float>, ArrayView<float>, int, int, int> _rope;
    private readonly Action<Index1D, ArrayView<float>, ArrayView<float>, ArrayView<float>> _swiglu;
    private readonly Action<Index1D, ArrayView<float>, ArrayView<int>, ArrayView<float>, int> _embed;

    /// <summary>Whether the products run through cuBLAS (CUDA) rather than our kernel.</summary>
    public bool UsesCuBlas => _blas != null;

    internal IlgpuDecoder(IlgpuCompute compute, LlamaModel model)
    {
        _compute = compute; _model = model; _acc = compute.Accelerator;
        if (_acc is CudaAccelerator cuda) _blas = new CuBlas(cuda);
        _matmul = _acc.LoadAutoGroupedStreamKernel<Index2D, ArrayView<float>, int, int, ArrayView<float>, int, int, ArrayView<float>, int, int, float, int>(ForwardKernels.MatMulNT);
        _scores = _acc.LoadAutoGroupedStreamKernel<Index2D, ArrayView<float>, ArrayView<float>, ArrayView<float>, int, int, int, int, int, int, float>(ForwardKernels.AttnScores);
        _softmax = _acc.LoadAutoGroupedStreamKernel<Index1D, ArrayView<float>, int, int, int>(ForwardKernels.SoftmaxRows);
        _values = _acc.LoadAutoGroupedStreamKernel<Index2D, ArrayView<float>, ArrayView<float>, ArrayView<float>, int, int, int, int, int, int>(ForwardKernels.AttnValues);
        _rms = _acc.LoadAutoGroupedStreamKernel<Index1D, ArrayView<float>, int, ArrayView<float>, ArrayView<float>, int, float>(ForwardKernels.RmsNorm);
        _add = _acc.LoadAutoGroupedStreamKernel<Index1D, ArrayView<float>, ArrayView<float>>(ForwardKernels.Add);
        _copy = _acc.LoadAutoGroupedStreamKernel<Index1D, ArrayView<float>, ArrayView<float>, int>(ForwardKernels.Copy);
        _rope = _acc.LoadAutoGroupedStreamKernel<Index1D, ArrayView<float>, ArrayView<float>, ArrayView<float>, int, int, int>(DecoderKernels.Rope);
        _swiglu = _acc.LoadAutoGroupedStreamKernel<Index1D, ArrayView<float>, ArrayView<float>, ArrayView<float>>(DecoderKernels.SwiGlu);
        _embed = _acc.LoadAutoGroupedStreamKernel<Index1D, ArrayView<float>, ArrayView<int>, ArrayView<float>, int>(DecoderKernels.Embedding);
        var w = model.Weights;
        foreach (var p in w.All()) Upload(p.Data);
        Upload(w.LmHead.Data); // the same array as the embedding when tied: uploaded once
        _cos = Upload(model.Rope.Cos); _sin = Upload(model.Rope.Sin);
    }

    private ArrayView<float> Upload(float[] data)
    {
        if (_weights.TryGetValue(data, out var view)) return view;
        var buf = _acc.Allocate1D(data);
        _owned.Add(buf);
        return _weights[data] = buf.View;
    }

    private MemoryBuffer1D<float, Stride1D.Dense> Scratch(long n, List<MemoryBuffer> step)
    {
        var b = _acc.Allocate1D<float>(Math.Max(1, n));
        step.Add(b);
        return b;
    }

    /// <summary>Same contract as <see cref="LlamaModel.Forward"/>: runs the tokens after what the cache holds, returns the last position's logits.</summary>
    public float[] Forward(ReadOnlySpan<int> tokens, KvCache cache)
    {
        var c = _model.Config;
        var w = _model.Weights;
        int t = tokens.Length, d = c.HiddenSize, f = c.IntermediateSize, pos0 = cache.Length, len = pos0 + t, hd = c.HeadDim;
        if (t == 0) throw new ArgumentException("no tokens to run");
        if (pos0 + t > cache.Capacity) throw new ArgumentException($"{pos0 + t} positions exceed the cache's {cache.Capacity} (context length)");
        if (len > _model.Rope.MaxPositions) throw new ArgumentException($"position {len - 1} exceeds max_position_embeddings {_model.Rope.MaxPositions}");
        for (int i = 0; i < t; i++)
            if ((uint)tokens[i] >= (uint)c.VocabSize) throw new ArgumentOutOfRangeException(nameof(tokens), $"token id {tokens[i]} at position {i} is outside the vocabulary [0, {c.VocabSize})");
        var dc = Mirror(cache);
        var step = new List<MemoryBuffer>();
        try
        {
            var ids = _acc.Allocate1D(tokens.ToArray()); step.Add(ids);
            var x = Scratch((long)t * d, step);
            _embed(t * d, _weights[w.Embed.Data], ids.View, x.View, d);
            var a = Scratch((long)t * d, step); var y = Scratch((long)t * d, step);
            var q = Scratch((long)t * c.QDim, step); var k = Scratch((long)t * c.KvDim, step); var v = Scratch((long)t * c.KvDim, step);
            var o = Scratch((long)t * c.QDim, step);
            var s = Scratch((long)c.NumHeads * t * len, step);
            var gate = Scratch((long)t * f, step); var up = Scratch((long)t * f, step); var m = Scratch((long)t * f, step);
            for (int l = 0; l < c.NumLayers; l++)
            {
                var lw = w.Layers[l];
                _rms(t, x.View, 0, _weights[lw.AttnNorm.Data], a.View, d, c.RmsNormEps);
                Linear(a.View, t, l, "q_proj", q.View, step);
                Linear(a.View, t, l, "k_proj", k.View, step);
                Linear(a.View, t, l, "v_proj", v.View, step);
                _rope(t * c.NumHeads * (hd / 2), q.View, _cos, _sin, c.NumHeads, hd, pos0);
                _rope(t * c.NumKvHeads * (hd / 2), k.View, _cos, _sin, c.NumKvHeads, hd, pos0);
                _copy(t * c.KvDim, k.View, dc.K[l].View, pos0 * c.KvDim);
                _copy(t * c.KvDim, v.View, dc.V[l].View, pos0 * c.KvDim);
                int group = c.NumHeads / c.NumKvHeads;
                _scores(new Index2D(c.NumHeads * t, len), q.View, dc.K[l].View, s.View, t, len, hd, c.QDim, c.KvDim, group, 1f / MathF.Sqrt(hd));
                _softmax(c.NumHeads * t, s.View, t, len, pos0);
                _values(new Index2D(c.NumHeads * t, hd), s.View, dc.V[l].View, o.View, t, len, hd, c.QDim, c.KvDim, group);
                Linear(o.View, t, l, "o_proj", y.View, step);
                _add(t * d, x.View, y.View);
                _rms(t, x.View, 0, _weights[lw.MlpNorm.Data], a.View, d, c.RmsNormEps);
                Linear(a.View, t, l, "gate_proj", gate.View, step);
                Linear(a.View, t, l, "up_proj", up.View, step);
                _swiglu(t * f, gate.View, up.View, m.View);
                Linear(m.View, t, l, "down_proj", y.View, step);
                _add(t * d, x.View, y.View);
            }
            var last = Scratch(d, step);
            _rms(1, x.View, (t - 1) * d, _weights[w.FinalNorm.Data], last.View, d, c.RmsNormEps);
            var logits = Scratch(c.VocabSize, step);
            Product(last.View, 1, d, _weights[w.LmHead.Data], c.VocabSize, logits.View, 1f, false);
            _acc.Synchronize();
            // the new K/V rows back into the host cache, so it stays the state of the sequence for either path
            for (int l = 0; l < c.NumLayers; l++)
            {
                dc.K[l].View.SubView((long)pos0 * c.KvDim, (long)t * c.KvDim).CopyToCPU(ref cache.K[l][pos0 * c.KvDim], (long)t * c.KvDim);
                dc.V[l].View.SubView((long)pos0 * c.KvDim, (long)t * c.KvDim).CopyToCPU(ref cache.V[l][pos0 * c.KvDim], (long)t * c.KvDim);
            }
            cache.Length = len;
            dc.Synced = len;
            return logits.GetAsArray1D();
        }
        finally
        {
            foreach (var b in step) b.Dispose();
        }
    }

    /// <summary>The device mirror of a host cache, with any rows the host holds beyond the mirror uploaded.</summary>
    private DeviceCache Mirror(KvCache cache)
    {
        var c = _model.Config;
        if (!_caches.TryGetValue(cache, out var dc))
        {
            var k = new MemoryBuffer1D<float, Stride1D.Dense>[c.NumLayers]; var v = new MemoryBuffer1D<float, Stride1D.Dense>[c.NumLayers];
            for (int l = 0; l < c.NumLayers; l++) { k[l] = _acc.Allocate1D<float>((long)cache.Capacity * c.KvDim); v[l] = _acc.Allocate1D<float>((long)cache.Capacity * c.KvDim); }
            dc = new DeviceCache(k, v);
            _caches.Add(cache, dc);
        }
        if (dc.Synced > cache.Length) dc.Synced = cache.Length; // the cache was reset or rewound
        if (dc.Synced < cache.Length)
        {
            long off = (long)dc.Synced * c.KvDim, n = (long)(cache.Length - dc.Synced) * c.KvDim;
            for (int l = 0; l < c.NumLayers; l++)
            {
                dc.K[l].View.SubView(off, n).CopyFromCPU(ref cache.K[l][off], n);
                dc.V[l].View.SubView(off, n).CopyFromCPU(ref cache.V[l][off], n);
            }
            dc.Synced = cache.Length;
        }
        return dc;
    }

    /// <summary>y = x·Wᵀ (+ scale·(x·Aᵀ)·Bᵀ when the model's adapter has this projection), as LlamaModel.Linear.</summary>
    private void Linear(ArrayView<float> x, int t, int layer, string module, ArrayView<float> y, List<MemoryBuffer> step)
    {
        var w = _model.Weights.Layers[layer].Linear(module);
        int inDim = w.Cols, outDim = w.Rows;
        Product(x, t, inDim, _weights[w.Data], outDim, y, 1f, false);
        var pair = _model.Adapter?.Get(layer, module);
        if (pair == null) return;
        int r = _model.Adapter!.Config.Rank;
        var la = _acc.Allocate1D(pair.A.Data); var lb = _acc.Allocate1D(pair.B.Data); // read at every call: adapters change
        step.Add(la); step.Add(lb);
        var xa = Scratch((long)t * r, step);
        Product(x, t, inDim, la.View, r, xa.View, _model.Adapter.Config.Scale, false);
        Product(xa.View, t, r, lb.View, outDim, y, 1f, true);
    }

    /// <summary>C [m × n] = (acc ? C : 0) + scale·A [m × k]·Wᵀ for W [n × k], row-major.</summary>
    private void Product(ArrayView<float> a, int m, int k, ArrayView<float> w, int n, ArrayView<float> c, float scale, bool accumulate)
    {
        if (_blas != null)
        {
            // column-major cuBLAS: Cᵀ [n × m] = W [n × k] · Aᵀ, i.e. op(W) = T on the k × n column-major W
            _blas.Gemm(CuBlasOperation.Transpose, CuBlasOperation.NonTranspose, n, m, k, scale, w, k, a, k, accumulate ? 1f : 0f, c, n);
            return;
        }
        _matmul(new Index2D(m, n), a, 0, k, w, 0, k, c, n, k, scale, accumulate ? 1 : 0);
    }

    /// <summary>Frees the device mirror of a cache (a finished sequence); a later call with it uploads it again.</summary>
    public void Release(KvCache cache)
    {
        if (!_caches.Remove(cache, out var dc)) return;
        foreach (var b in dc.K.Concat(dc.V)) b.Dispose();
    }

    public void Dispose()
    {
        foreach (var cache in _caches.Keys.ToList()) Release(cache);
        _blas?.Dispose();
        foreach (var b in _owned) b.Dispose();
        _owned.Clear();
    }
}
