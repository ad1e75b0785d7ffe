using OpenLedger.AI.Compute;
using OpenLedger.AI.Lora;

namespace OpenLedger.AI.Model;

/// <summary>
/// A Llama decoder: embedding → N × (RMSNorm → grouped-query attention with RoPE → residual → RMSNorm → SwiGLU MLP →
/// residual) → RMSNorm → LM head, with an optional LoRA adapter on any of the seven projections.
/// The forward pass runs against a <see cref="KvCache"/>; with a <see cref="Tape"/> it keeps what
/// <see cref="LlamaModel.Backward"/> needs (training sequences start at position 0).
/// </summary>
public sealed partial class LlamaModel
{
    public LlamaConfig Config { get; }
    public LlamaWeights Weights { get; }
    public RopeTable Rope { get; }
    public LoraAdapter? Adapter { get; set; }
    private readonly float _attnScale;

    public LlamaModel(LlamaWeights weights, LoraAdapter? adapter = null)
    {
        Weights = weights; Config = weights.Config; Adapter = adapter;
        Rope = new RopeTable(Config.HeadDim, Config.MaxPositions, Config.RopeTheta, Config.RopeScaling);
        _attnScale = 1f / MathF.Sqrt(Config.HeadDim);
    }

    public static LlamaModel Load(string directory)
    {
        var config = LlamaConfig.Load(directory);
        return new LlamaModel(LlamaWeights.Load(directory, config));
    }

    /// <summary>Runs new tokens through the model after what the cache holds; returns the logits of the last position.</summary>
    public float[] Forward(ReadOnlySpan<int> tokens, KvCache cache)
    {
        if (Accelerator != null) return Accelerator.Forward(tokens, cache);
        var hidden = ForwardHidden(tokens, cache, null);
        int d = Config.HiddenSize, t = tokens.Length;
        var last = new float[d];
        Kernels.RmsNormRow(hidden.AsSpan((t - 1) * d, d), Weights.FinalNorm.Data, Config.RmsNormEps, last);
        var logits = new float[Config.VocabSize];
        Gemm.Multiply(false, true, 1, Config.VocabSize, d, last, d, Weights.LmHead.Data, d, logits, Config.VocabSize);
        return logits;
    }

    /// <summary>The residual stream after the last layer, [T × hidden].</summary>
    internal float[] ForwardHidden(ReadOnlySpan<int> tokens, KvCache cache, Tape? tape)
    {
        var c = Config;
        int t = tokens.Length, d = c.HiddenSize, f = c.IntermediateSize, pos0 = cache.Length;
        if (t == 0) throw new ArgumentException("no tokens to run");
        if (pos0 + t > cache.Capacity) throw new ArgumentException($"{pos0 + t} positions exceed the cache's {cache.Capacity} (context length)");
        var x = new float[t * d];
        Kernels.Embedding(Weights.Embed.Data, d, tokens, x);
        for (int l = 0; l < c.NumLayers; l++)
        {
            var w = Weights.Layers[l];
            var lt = tape?.Layers[l];
            if (lt != null) lt.XIn = (float[])x.Clone();
            var a = new float[t * d]; var r1 = new float[t];
            Kernels.RmsNorm(x, w.AttnNorm.Data, c.RmsNormEps, a, r1);
            var q = new float[t * c.QDim]; var k = new float[t * c.KvDim]; var v = new float[t * c.KvDim];
            Linear(a, t, l, "q_proj", q, lt);
            Linear(a, t, l, "k_proj", k, lt);
            Linear(a, t, l, "v_proj", v, lt);
            Rope.Apply(q, c.NumHeads, pos0);
            Rope.Apply(k, c.NumKvHeads, pos0);
            k.CopyTo(cache.K[l], pos0 * c.KvDim);
            v.CopyTo(cache.V[l], pos0 * c.KvDim);
            var o = new float[t * c.QDim];
            Attention(l, q, cache, pos0, t, o, lt);
            var y = new float[t * d];
            Linear(o, t, l, "o_proj", y, lt);
            for (int i = 0; i < x.Length; i++) x[i] += y[i];
            if (lt != null) { lt.R1 = r1; lt.A = a; lt.Q = q; lt.K = k; lt.V = v; lt.O = o; lt.XMid = (float[])x.Clone(); }

            var b = new float[t * d]; var r2 = new float[t];
            Kernels.RmsNorm(x, w.MlpNorm.Data, c.RmsNormEps, b, r2);
            var gate = new float[t * f]; var up = new float[t * f]; var m = new float[t * f];
            Linear(b, t, l, "gate_proj", gate, lt);
            Linear(b, t, l, "up_proj", up, lt);
            Kernels.SwiGlu(gate, up, m);
            Linear(m, t, l, "down_proj", y, lt);
            for (int i = 0; i < x.Length; i++) x[i] += y[i];
            if (lt != null) { lt.R2 = r2; lt.B = b; lt.Gate = gate; lt.Up = up; lt.M = m; }
        }
        cache.Length = pos0 + t;
        if (tape != null) tape.XFinal = (float[])x.Clone();
        return x;
    }

    /// <summary>y = x·Wᵀ (+ scale·(x·Aᵀ)·Bᵀ when the adapter has this projection).</summary>
    private void Linear(float[] x, int t, int layer, string module, float[] y, LayerTape? tape)
    {
        var w = Weights.Layers[layer].Linear(module);
        int inDim = w.Cols, outDim = w.Rows;
        Gemm.Multiply(false, true, t, outDim, inDim, x, inDim, w.Data, inDim, y, outDim);
        var pair = Adapter?.Get(layer, module);
        if (pair == null) return;
        int r = Adapter!.Config.Rank;
        float s = Adapter.Config.Scale;
        var xa = new float[t * r];
        Gemm.Multiply(false, true, t, r, inDim, x, inDim, pair.A.Data, inDim, xa, r);
        if (tape != null) tape.Xa[module] = (float[])xa.Clone();
        for (int i = 0; i < xa.Length; i++) xa[i] *= s;
        Gemm.Multiply(false, true, t, outDim, r, xa, r, pair.B.Data, r, y, outDim, accumulate: true);
    }

    private void Attention(int layer, float[] q, KvCache cache, int pos0, int t, float[] o, LayerTape? tape)
    {
        var c = Config;
        int hd = c.HeadDim, len = pos0 + t, group = c.NumHeads / c.NumKvHeads;
        var keys = cache.K[layer]; var values = cache.V[layer];
        float[][]? probs = tape != null ? new float[c.NumHeads][] : null;
        Par.For(c.NumHeads, 2L * t * len * hd * c.NumHeads, h =>
        {
            int g = h / group;
            var s = new float[t * len];
            Gemm.Multiply(false, true, t, len, hd, q.AsSpan(h * hd), c.QDim, keys.AsSpan(g * hd), c.KvDim, s, len, parallel: false);
            for (int i = 0; i < t; i++)
            {
                var row = s.AsSpan(i * len, len);
                int valid = pos0 + i + 1;
                for (int j = 0; j < valid; j++) row[j] *= _attnScale;
                Kernels.SoftmaxRow(row, valid);
            }
            Gemm.Multiply(false, false, t, hd, len, s, len, values.AsSpan(g * hd), c.KvDim, o.AsSpan(h * hd), c.QDim, parallel: false);
            if (probs != null) probs[h] = s;
        });
        if (tape != null) tape.P = probs!;
    }
}

/// <summary>Activations of one layer kept for the backward pass.</summary>
internal sealed class LayerTape
{
    public float[] XIn = [], R1 = [], A = [], Q = [], K = [], V = [], O = [], XMid = [], R2 = [], B = [], Gate = [], Up = [], M = [];
    public float[][] P = [];
    public readonly Dictionary<string, float[]> Xa = new();
}

internal sealed class Tape(int layers)
{
    public readonly LayerTape[] Layers = Enumerable.Range(0, layers).Select(_ => new LayerTape()).ToArray();
    public float[] XFinal = [];
}
