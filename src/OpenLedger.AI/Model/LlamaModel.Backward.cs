using OpenLedger.AI.Compute;

namespace OpenLedger.AI.Model;

public sealed partial class LlamaModel
{
    /// <summary>
    /// Forward and backward over one sequence from position 0. <paramref name="targets"/>[t] is the token expected
    /// after position t, or −1 where no loss is taken. Gradients of the loss times <paramref name="lossScale"/> are
    /// added to <see cref="Parameter.Grad"/>: the adapter's when <paramref name="trainAdapter"/>, the base weights'
    /// when <paramref name="trainBase"/>. Returns the summed cross-entropy and the number of targets.
    /// </summary>
    public (double Loss, int Count) ForwardBackward(int[] tokens, int[] targets, float lossScale, bool trainBase, bool trainAdapter, bool backward = true)
    {
        var c = Config;
        if (targets.Length != tokens.Length) throw new ArgumentException($"{tokens.Length} tokens but {targets.Length} targets");
        int t = tokens.Length, d = c.HiddenSize, vocab = c.VocabSize;
        if (trainAdapter && Adapter == null) throw new InvalidOperationException("no adapter to train");
        var tape = new Tape(c.NumLayers);
        var cache = new KvCache(c, t);
        ForwardHidden(tokens, cache, tape);

        var hf = new float[t * d]; var rf = new float[t];
        Kernels.RmsNorm(tape.XFinal, Weights.FinalNorm.Data, c.RmsNormEps, hf, rf);
        var rows = Enumerable.Range(0, t).Where(i => targets[i] >= 0).ToArray();
        int n = rows.Length;
        if (n == 0) return (0, 0);
        foreach (int r in rows)
            if (targets[r] >= vocab) throw new ArgumentOutOfRangeException(nameof(targets), $"target {targets[r]} at position {r} is outside the vocabulary");
        var hs = new float[n * d];
        for (int i = 0; i < n; i++) hf.AsSpan(rows[i] * d, d).CopyTo(hs.AsSpan(i * d, d));
        var logits = new float[(long)n * vocab];
        Gemm.Multiply(false, true, n, vocab, d, hs, d, Weights.LmHead.Data, d, logits, vocab);
        var dlog = backward ? new float[logits.Length] : null;
        double loss = 0;
        for (int i = 0; i < n; i++)
            loss += Kernels.CrossEntropyRow(logits.AsSpan(i * vocab, vocab), targets[rows[i]], dlog != null ? dlog.AsSpan(i * vocab, vocab) : default, lossScale);
        if (!backward) return (loss, n);

        if (trainBase) foreach (var p in Weights.All()) p.EnsureGrad();
        if (trainAdapter) foreach (var p in Adapter!.Parameters()) p.EnsureGrad();

        var dhs = new float[n * d];
        Gemm.Multiply(false, false, n, d, vocab, dlog, vocab, Weights.LmHead.Data, d, dhs, d);
        if (trainBase) Gemm.Multiply(true, false, vocab, d, n, dlog, vocab, hs, d, Weights.LmHead.Grad!, d, accumulate: true);
        var dhf = new float[t * d];
        for (int i = 0; i < n; i++) dhs.AsSpan(i * d, d).CopyTo(dhf.AsSpan(rows[i] * d, d));
        var dx = new float[t * d];
        Kernels.RmsNormBackward(tape.XFinal, Weights.FinalNorm.Data, rf, dhf, dx, trainBase ? Weights.FinalNorm.Grad : default);

        for (int l = c.NumLayers - 1; l >= 0; l--)
        {
            var w = Weights.Layers[l];
            var lt = tape.Layers[l];
            int f = c.IntermediateSize;
            // MLP
            var dm = new float[t * f];
            LinearBackward(dx, lt.M, t, l, "down_proj", dm, lt, trainBase, trainAdapter);
            var dgate = new float[t * f]; var dup = new float[t * f];
            Kernels.SwiGluBackward(lt.Gate, lt.Up, dm, dgate, dup);
            var db = new float[t * d];
            LinearBackward(dgate, lt.B, t, l, "gate_proj", db, lt, trainBase, trainAdapter);
            LinearBackward(dup, lt.B, t, l, "up_proj", db, lt, trainBase, trainAdapter);
            Kernels.RmsNormBackward(lt.XMid, w.MlpNorm.Data, lt.R2, db, dx, trainBase ? w.MlpNorm.Grad : default);
            // attention
            var dout = new float[t * c.QDim];
            LinearBackward(dx, lt.O, t, l, "o_proj", dout, lt, trainBase, trainAdapter);
            var dq = new float[t * c.QDim]; var dk = new float[t * c.KvDim]; var dv = new float[t * c.KvDim];
            AttentionBackward(lt, t, dout, dq, dk, dv);
            Rope.Apply(dq, c.NumHeads, 0, inverse: true);
            Rope.Apply(dk, c.NumKvHeads, 0, inverse: true);
            var da = new float[t * d];
            LinearBackward(dq, lt.A, t, l, "q_proj", da, lt, trainBase, trainAdapter);
            LinearBackward(dk, lt.A, t, l, "k_proj", da, lt, trainBase, trainAdapter);
            LinearBackward(dv, lt.A, t, l, "v_proj", da, lt, trainBase, trainAdapter);
            Kernels.RmsNormBackward(lt.XIn, w.AttnNorm.Data, lt.R1, da, dx, trainBase ? w.AttnNorm.Grad : default);
        }
        if (trainBase)
        {
            var g = Weights.Embed.Grad!;
            for (int i = 0; i < t; i++)
            {
                var src = dx.AsSpan(i * d, d); var dst = g.AsSpan(tokens[i] * d, d);
                for (int j = 0; j < d; j++) dst[j] += src[j];
            }
        }
        return (loss, n);
    }

    /// <summary>
    /// Called in the backward pass with each projection's input rows x [T × in] and output gradient rows dy [T × out]
    /// (layer, module, x, dy, T): what LoGra's factored sketch projects. Null outside that use.
    /// </summary>
    internal Action<int, string, float[], float[], int>? LinearGradientTap { get; set; }

    /// <summary>For y = x·Wᵀ + s·(x·Aᵀ)·Bᵀ: dx += ∂x; W, A, B gradients as requested.</summary>
    private void LinearBackward(float[] dy, float[] x, int t, int layer, string module, float[] dx, LayerTape lt, bool trainBase, bool trainAdapter)
    {
        LinearGradientTap?.Invoke(layer, module, x, dy, t);
        var w = Weights.Layers[layer].Linear(module);
        int inDim = w.Cols, outDim = w.Rows;
        Gemm.Multiply(false, false, t, inDim, outDim, dy, outDim, w.Data, inDim, dx, inDim, accumulate: true);
        if (trainBase) Gemm.Multiply(true, false, outDim, inDim, t, dy, outDim, x, inDim, w.Grad!, inDim, accumulate: true);
        var pair = Adapter?.Get(layer, module);
        if (pair == null) return;
        int r = Adapter!.Config.Rank;
        float s = Adapter.Config.Scale;
        var dyb = new float[t * r];
        Gemm.Multiply(false, false, t, r, outDim, dy, outDim, pair.B.Data, r, dyb, r);
        for (int i = 0; i < dyb.Length; i++) dyb[i] *= s;
        Gemm.Multiply(false, false, t, inDim, r, dyb, r, pair.A.Data, inDim, dx, inDim, accumulate: true);
        if (!trainAdapter) return;
        Gemm.Multiply(true, false, r, inDim, t, dyb, r, x, inDim, pair.A.Grad!, inDim, accumulate: true);
        var xas = (float[])lt.Xa[module].Clone();
        for (int i = 0; i < xas.Length; i++) xas[i] *= s;
        Gemm.Multiply(true, false, outDim, r, t, dy, outDim, xas, r, pair.B.Grad!, r, accumulate: true);
    }

    /// <summary>Backward of causal attention; one task per KV group so heads sharing keys add into dk/dv in a fixed order.</summary>
    private void AttentionBackward(LayerTape lt, int t, float[] dout, float[] dq, float[] dk, float[] dv)
    {
        var c = Config;
        int hd = c.HeadDim, group = c.NumHeads / c.NumKvHeads;
        Parallel.For(0, c.NumKvHeads, g =>
        {
            var dp = new float[t * t];
            for (int h = g * group; h < (g + 1) * group; h++)
            {
                var p = lt.P[h];
                Gemm.Multiply(false, true, t, t, hd, dout.AsSpan(h * hd), c.QDim, lt.V.AsSpan(g * hd), c.KvDim, dp, t, parallel: false);
                Gemm.Multiply(true, false, t, hd, t, p, t, dout.AsSpan(h * hd), c.QDim, dv.AsSpan(g * hd), c.KvDim, accumulate: true, parallel: false);
                for (int i = 0; i < t; i++)
                {
                    var row = dp.AsSpan(i * t, t);
                    Kernels.SoftmaxBackwardRow(p.AsSpan(i * t, t), row, i + 1);
                    for (int j = 0; j <= i; j++) row[j] *= _attnScale;
                }
                Gemm.Multiply(false, false, t, hd, t, dp, t, lt.K.AsSpan(g * hd), c.KvDim, dq.AsSpan(h * hd), c.QDim, parallel: false);
                Gemm.Multiply(true, false, t, hd, t, dp, t, lt.Q.AsSpan(h * hd), c.QDim, dk.AsSpan(g * hd), c.KvDim, accumulate: true, parallel: false);
            }
        });
    }
}
