using OpenLedger.AI.Compute;

namespace OpenLedger.AI.Model;

public sealed partial class LlamaModel
{
    /// <summary>
    /// One decode step for several sequences at once: token b continues the sequence in caches[b]. The projections
    /// and the LM head run as one GEMM over all rows (weights read once per step); attention runs per sequence.
    /// Returns the logits, [B × vocab].
    /// </summary>
    public float[] DecodeBatch(ReadOnlySpan<int> tokens, KvCache[] caches)
    {
        var c = Config;
        int bsz = tokens.Length, d = c.HiddenSize, f = c.IntermediateSize;
        if (caches.Length != bsz) throw new ArgumentException($"{bsz} tokens but {caches.Length} caches");
        foreach (var kc in caches)
            if (kc.Length + 1 > kc.Capacity) throw new ArgumentException($"a sequence is at its cache's capacity {kc.Capacity}");
        if (Accelerator != null) return DecodeBatchOnAccelerator(tokens, caches);
        var x = new float[bsz * d];
        Kernels.Embedding(Weights.Embed.Data, d, tokens, x);
        for (int l = 0; l < c.NumLayers; l++)
        {
            var w = Weights.Layers[l];
            var a = new float[bsz * d]; var r = new float[bsz];
            Kernels.RmsNorm(x, w.AttnNorm.Data, c.RmsNormEps, a, r);
            var q = new float[bsz * c.QDim]; var k = new float[bsz * c.KvDim]; var v = new float[bsz * c.KvDim];
            Linear(a, bsz, l, "q_proj", q, null);
            Linear(a, bsz, l, "k_proj", k, null);
            Linear(a, bsz, l, "v_proj", v, null);
            var o = new float[bsz * c.QDim];
            for (int b = 0; b < bsz; b++)
            {
                int pos = caches[b].Length;
                var qb = q.AsSpan(b * c.QDim, c.QDim); var kb = k.AsSpan(b * c.KvDim, c.KvDim);
                Rope.Apply(qb, c.NumHeads, pos);
                Rope.Apply(kb, c.NumKvHeads, pos);
                kb.CopyTo(caches[b].K[l].AsSpan(pos * c.KvDim));
                v.AsSpan(b * c.KvDim, c.KvDim).CopyTo(caches[b].V[l].AsSpan(pos * c.KvDim));
            }
            long work = 0;
            foreach (var kc in caches) work += 2L * (kc.Length + 1) * c.HiddenSize;
            Par.For(bsz, work, b =>
            {
                var ob = new float[c.QDim];
                Attention(l, q.AsSpan(b * c.QDim, c.QDim).ToArray(), caches[b], caches[b].Length, 1, ob, null);
                ob.CopyTo(o, b * c.QDim);
            });
            var y = new float[bsz * d];
            Linear(o, bsz, l, "o_proj", y, null);
            for (int i = 0; i < x.Length; i++) x[i] += y[i];
            var bn = new float[bsz * d];
            Kernels.RmsNorm(x, w.MlpNorm.Data, c.RmsNormEps, bn, r);
            var gate = new float[bsz * f]; var up = new float[bsz * f]; var m = new float[bsz * f];
            Linear(bn, bsz, l, "gate_proj", gate, null);
            Linear(bn, bsz, l, "up_proj", up, null);
            Kernels.SwiGlu(gate, up, m);
            Linear(m, bsz, l, "down_proj", y, null);
            for (int i = 0; i < x.Length; i++) x[i] += y[i];
        }
        foreach (var kc in caches) kc.Length++;
        var h = new float[bsz * d]; var rf = new float[bsz];
        Kernels.RmsNorm(x, Weights.FinalNorm.Data, c.RmsNormEps, h, rf);
        var logits = new float[(long)bsz * c.VocabSize];
        Gemm.Multiply(false, true, bsz, c.VocabSize, d, h, d, Weights.LmHead.Data, d, logits, c.VocabSize);
        return logits;
    }
}
