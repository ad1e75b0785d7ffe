using OpenLedger.AI.Data;
using OpenLedger.AI.Model;
using OpenLedger.Attribution.Sketching;

namespace OpenLedger.AI.Attribution;

/// <summary>
/// LoGra's factored gradient projection (Choe et al., 2024), the alternative to <see cref="AdapterSketcher"/>'s
/// Rademacher projection of the LoRA gradient. For a projection y = x·Wᵀ the weight gradient is Σ_t δ_tᵀ·x_t; LoGra
/// projects both factors, P_out·δ_t (kOut) and P_in·x_t (kIn), and keeps Σ_t (P_out δ_t)(P_in x_t)ᵀ = P_out·G·P_inᵀ
/// without ever forming G. Taken over the adapter's target projections (the same layers the LoRA sketch covers),
/// concatenated in adapter order, then unit-normalized and quantized like the other sketches.
/// Sums run in double in a fixed order (rows ascending), so the sketch is reproducible like the Rademacher one.
/// </summary>
public sealed class LoGraSketcher
{
    private readonly LlamaModel _model;
    private readonly (int Layer, string Module, float[] PIn, float[] POut, int In, int Out)[] _blocks;
    private readonly Dictionary<(int, string), int> _index = new();
    private readonly GradientSketcher _quantizer;
    public int KIn { get; }
    public int KOut { get; }
    /// <summary>Sketch length: blocks × kIn × kOut, zero-padded to a multiple of 32.</summary>
    public int K { get; }
    public ulong Seed { get; }

    public LoGraSketcher(LlamaModel model, int kIn, int kOut, ulong seed)
    {
        if (model.Adapter == null) throw new ArgumentException("LoGra sketches cover the adapter's target projections; the model has no adapter");
        if (kIn <= 0 || kOut <= 0) throw new ArgumentOutOfRangeException(nameof(kIn), $"kIn and kOut must be positive, got {kIn} and {kOut}");
        _model = model; KIn = kIn; KOut = kOut; Seed = seed;
        var pairs = model.Adapter.Pairs;
        _blocks = new (int, string, float[], float[], int, int)[pairs.Count];
        for (int b = 0; b < pairs.Count; b++)
        {
            var w = model.Weights.Layers[pairs[b].Layer].Linear(pairs[b].Module);
            _blocks[b] = (pairs[b].Layer, pairs[b].Module, Signs(seed + 2 * (ulong)b, kIn, w.Cols), Signs(seed + 2 * (ulong)b + 1, kOut, w.Rows), w.Cols, w.Rows);
            _index[(pairs[b].Layer, pairs[b].Module)] = b;
        }
        int raw = checked(pairs.Count * kIn * kOut);
        K = (raw + 31) / 32 * 32;
        _quantizer = new GradientSketcher(1, K, seed);
    }

    /// <summary>The shared Rademacher signs (k × n), scaled by 1/√k.</summary>
    private static float[] Signs(ulong seed, int k, int n)
    {
        var p = new float[k * n];
        float s = 1f / MathF.Sqrt(k);
        for (int j = 0; j < k; j++)
            for (int i = 0; i < n; i++) p[j * n + i] = RademacherProjection.Sign(seed, k, j, i) * s;
        return p;
    }

    /// <summary>The concatenated P_out·G·P_inᵀ blocks of one example's mean token loss.</summary>
    public double[] Project(TokenizedExample example)
    {
        var result = new double[K];
        var ps = _model.Adapter!.Parameters().ToList();
        foreach (var p in ps) p.EnsureGrad();
        _model.LinearGradientTap = (layer, module, x, dy, t) =>
        {
            if (!_index.TryGetValue((layer, module), out int b)) return;
            var (_, _, pIn, pOut, inDim, outDim) = _blocks[b];
            var px = new double[KIn]; var pd = new double[KOut];
            int o = b * KIn * KOut;
            for (int r = 0; r < t; r++)
            {
                for (int j = 0; j < KIn; j++) { double s = 0; for (int i = 0; i < inDim; i++) s += (double)pIn[j * inDim + i] * x[r * inDim + i]; px[j] = s; }
                for (int j = 0; j < KOut; j++) { double s = 0; for (int i = 0; i < outDim; i++) s += (double)pOut[j * outDim + i] * dy[r * outDim + i]; pd[j] = s; }
                for (int a = 0; a < KOut; a++)
                    for (int j = 0; j < KIn; j++) result[o + a * KIn + j] += pd[a] * px[j];
            }
        };
        try { _model.ForwardBackward(example.Inputs, example.Targets, 1f / Math.Max(1, example.TargetCount), trainBase: false, trainAdapter: true); }
        finally
        {
            _model.LinearGradientTap = null;
            foreach (var p in ps) Array.Clear(p.Grad!);
        }
        return result;
    }

    public Sketch Sketch(TokenizedExample example) => _quantizer.Quantize(Project(example));

    /// <summary>The query sketch of an answer given its prompt, as <see cref="AdapterSketcher.QuerySketch"/>.</summary>
    public Sketch QuerySketch(int[] promptTokens, int[] answerTokens) => Sketch(AdapterSketcher.QueryExample(promptTokens, answerTokens));
}
