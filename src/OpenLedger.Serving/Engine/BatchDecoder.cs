using OpenLedger.AI.Compute;
using OpenLedger.AI.Lora;
using OpenLedger.AI.Model;

namespace OpenLedger.Serving.Engine;

/// <summary>
/// The Llama forward pass for serving: a prefill of one sequence's prompt, and one decode step for many sequences,
/// each with its own adapter (or none), against the paged KV cache. The arithmetic is <see cref="LlamaModel"/>'s, call
/// for call (same GEMM shapes per row, same attention order), so greedy outputs equal <c>Generator</c>'s; what differs
/// is where keys and values live (blocks of a <see cref="KvBlockPool"/>) and that the LoRA products of a decode step are
/// gathered per adapter segment (<see cref="LoraSegments"/>) on top of one base product for all rows. The LoRA products
/// run on the <see cref="ILoraKernels"/> given (managed CPU by default, or ILGPU).
/// </summary>
public sealed class BatchDecoder
{
    private readonly LlamaWeights _w;
    private readonly LlamaConfig _c;
    private readonly RopeTable _rope;
    private readonly float _attnScale;
    private readonly ILoraKernels _lora;
    public KvBlockPool Pool { get; }

    public BatchDecoder(LlamaWeights weights, KvBlockPool pool, ILoraKernels? lora = null)
    {
        _w = weights; _c = weights.Config; Pool = pool; _lora = lora ?? CpuLoraKernels.Instance;
        _rope = new RopeTable(_c.HeadDim, _c.MaxPositions, _c.RopeTheta, _c.RopeScaling);
        _attnScale = 1f / MathF.Sqrt(_c.HeadDim);
    }

    public LlamaConfig Config => _c;
    public string LoraKernels => _lora.Name;

    /// <summary>
    /// Runs prompt tokens through the model after what <paramref name="kv"/> holds (a whole prompt, or one chunk of it
    /// after the earlier chunks); returns the last position's logits, or null when <paramref name="logits"/> is false
    /// (a chunk before the last, or a recomputed prompt whose next token is already known).
    /// </summary>
    public float[]? Prefill(ReadOnlySpan<int> tokens, PagedKv kv, LoraAdapter? adapter, bool logits = true)
    {
        var c = _c;
        int t = tokens.Length, d = c.HiddenSize, f = c.IntermediateSize, pos0 = kv.Length;
        if (t == 0) throw new ArgumentException("no tokens to run");
        if (pos0 + t > kv.Capacity) throw new ArgumentException($"{pos0 + t} positions exceed the sequence's {kv.Capacity} reserved");
        var x = new float[t * d];
        Kernels.Embedding(_w.Embed.Data, d, tokens, x);
        for (int l = 0; l < c.NumLayers; l++)
        {
            var w = _w.Layers[l];
            var a = new float[t * d]; var r1 = new float[t];
            Kernels.RmsNorm(x, w.AttnNorm.Data, c.RmsNormEps, a, r1);
            var q = new float[t * c.QDim]; var k = new float[t * c.KvDim]; var v = new float[t * c.KvDim];
            PrefillLinear(a, t, l, "q_proj", q, adapter);
            PrefillLinear(a, t, l, "k_proj", k, adapter);
            PrefillLinear(a, t, l, "v_proj", v, adapter);
            _rope.Apply(q, c.NumHeads, pos0);
            _rope.Apply(k, c.NumKvHeads, pos0);
            for (int i = 0; i < t; i++) StoreKv(l, kv, pos0 + i, k.AsSpan(i * c.KvDim, c.KvDim), v.AsSpan(i * c.KvDim, c.KvDim));
            var o = new float[t * c.QDim];
            Parallel.For(0, c.NumHeads, h => AttendHead(l, h, q, kv, pos0, t, o));
            var y = new float[t * d];
            PrefillLinear(o, t, l, "o_proj", y, adapter);
            for (int i = 0; i < x.Length; i++) x[i] += y[i];
            var b = new float[t * d]; var r2 = new float[t];
            Kernels.RmsNorm(x, w.MlpNorm.Data, c.RmsNormEps, b, r2);
            var gate = new float[t * f]; var up = new float[t * f]; var m = new float[t * f];
            PrefillLinear(b, t, l, "gate_proj", gate, adapter);
            PrefillLinear(b, t, l, "up_proj", up, adapter);
            Kernels.SwiGlu(gate, up, m);
            PrefillLinear(m, t, l, "down_proj", y, adapter);
            for (int i = 0; i < x.Length; i++) x[i] += y[i];
        }
        kv.Length = pos0 + t;
        if (!logits) return null;
        var last = new float[d];
        Kernels.RmsNormRow(x.AsSpan((t - 1) * d, d), _w.FinalNorm.Data, c.RmsNormEps, last);
        var output = new float[c.VocabSize];
        Gemm.Multiply(false, true, 1, c.VocabSize, d, last, d, _w.LmHead.Data, d, output, c.VocabSize);
        return output;
    }

    /// <summary>
    /// One decode step: row b feeds tokens[b] to the sequence in kvs[b] at its next position. A sequence may have several
    /// consecutive rows (a preempted sequence replaying the tokens it had generated): its rows take positions
    /// kv.Length, kv.Length + 1, …, and each row's arithmetic is that of a one-row step, so replayed positions get the
    /// keys and values they had. <paramref name="segments"/> say which rows run which adapter. Returns the logits of
    /// the rows whose <paramref name="wantLogits"/> is set (all rows when null), in row order, [rows × vocab].
    /// </summary>
    public float[] Decode(ReadOnlySpan<int> tokens, PagedKv[] kvs, ReadOnlySpan<LoraSegment> segments, ReadOnlySpan<bool> wantLogits = default)
    {
        var c = _c;
        int bsz = tokens.Length, d = c.HiddenSize, f = c.IntermediateSize;
        if (kvs.Length != bsz) throw new ArgumentException($"{bsz} tokens but {kvs.Length} caches");
        if (!wantLogits.IsEmpty && wantLogits.Length != bsz) throw new ArgumentException($"{bsz} tokens but {wantLogits.Length} logit flags");
        var pos = new int[bsz];
        for (int b = 0; b < bsz; b++)
        {
            bool continues = b > 0 && ReferenceEquals(kvs[b], kvs[b - 1]);
            if (!continues && Array.IndexOf(kvs, kvs[b], 0, b) >= 0) throw new ArgumentException($"row {b}: a sequence's rows must be consecutive");
            pos[b] = continues ? pos[b - 1] + 1 : kvs[b].Length;
            if (pos[b] + 1 > kvs[b].Capacity) throw new ArgumentException($"row {b}: position {pos[b]} is past the sequence's {kvs[b].Capacity} reserved positions");
        }
        var x = new float[bsz * d];
        Kernels.Embedding(_w.Embed.Data, d, tokens, x);
        var segs = segments.ToArray();
        for (int l = 0; l < c.NumLayers; l++)
        {
            var w = _w.Layers[l];
            var a = new float[bsz * d]; var r = new float[bsz];
            Kernels.RmsNorm(x, w.AttnNorm.Data, c.RmsNormEps, a, r);
            var q = new float[bsz * c.QDim]; var k = new float[bsz * c.KvDim]; var v = new float[bsz * c.KvDim];
            DecodeLinear(a, bsz, l, "q_proj", q, segs);
            DecodeLinear(a, bsz, l, "k_proj", k, segs);
            DecodeLinear(a, bsz, l, "v_proj", v, segs);
            for (int b = 0; b < bsz; b++)
            {
                var qb = q.AsSpan(b * c.QDim, c.QDim); var kb = k.AsSpan(b * c.KvDim, c.KvDim);
                _rope.Apply(qb, c.NumHeads, pos[b]);
                _rope.Apply(kb, c.NumKvHeads, pos[b]);
                StoreKv(l, kvs[b], pos[b], kb, v.AsSpan(b * c.KvDim, c.KvDim));
            }
            var o = new float[bsz * c.QDim];
            Parallel.For(0, bsz * c.NumHeads, bh =>
            {
                int b = bh / c.NumHeads, h = bh % c.NumHeads;
                AttendHead(l, h, q.AsSpan(b * c.QDim, c.QDim), kvs[b], pos[b], 1, o.AsSpan(b * c.QDim, c.QDim));
            });
            var y = new float[bsz * d];
            DecodeLinear(o, bsz, l, "o_proj", y, segs);
            for (int i = 0; i < x.Length; i++) x[i] += y[i];
            var bn = new float[bsz * d];
            Kernels.RmsNorm(x, w.MlpNorm.Data, c.RmsNormEps, bn, r);
            var gate = new float[bsz * f]; var up = new float[bsz * f]; var m = new float[bsz * f];
            DecodeLinear(bn, bsz, l, "gate_proj", gate, segs);
            DecodeLinear(bn, bsz, l, "up_proj", up, segs);
            Kernels.SwiGlu(gate, up, m);
            DecodeLinear(m, bsz, l, "down_proj", y, segs);
            for (int i = 0; i < x.Length; i++) x[i] += y[i];
        }
        for (int b = 0; b < bsz; b++) kvs[b].Length = pos[b] + 1;
        // the LM head only for rows that sample (replayed rows' next tokens are known)
        int rows = 0;
        for (int b = 0; b < bsz; b++) if (wantLogits.IsEmpty || wantLogits[b]) rows++;
        var sel = new float[rows * d];
        for (int b = 0, i = 0; b < bsz; b++)
            if (wantLogits.IsEmpty || wantLogits[b]) x.AsSpan(b * d, d).CopyTo(sel.AsSpan(i++ * d, d));
        var hdn = new float[rows * d]; var rf = new float[rows];
        Kernels.RmsNorm(sel, _w.FinalNorm.Data, c.RmsNormEps, hdn, rf);
        var logits = new float[(long)rows * c.VocabSize];
        RowGemm.MultiplyNT(rows, c.VocabSize, d, hdn, d, _w.LmHead.Data, d, logits, c.VocabSize);
        return logits;
    }

    private void StoreKv(int layer, PagedKv kv, int pos, ReadOnlySpan<float> k, ReadOnlySpan<float> v)
    {
        long off = kv.Offset(pos);
        k.CopyTo(Pool.K[layer].AsSpan((int)off, _c.KvDim));
        v.CopyTo(Pool.V[layer].AsSpan((int)off, _c.KvDim));
    }

    /// <summary>
    /// One head's attention for t query rows at positions pos0.. over the sequence's blocks: scores block by block
    /// (each score one fixed-order dot product, as the contiguous cache computes it), scale + causal softmax per row,
    /// then the value sum accumulated block after block, which continues the same fma chain over positions.
    /// </summary>
    private void AttendHead(int layer, int h, ReadOnlySpan<float> q, PagedKv kv, int pos0, int t, Span<float> o)
    {
        var c = _c;
        int hd = c.HeadDim, len = pos0 + t, g = h / (c.NumHeads / c.NumKvHeads), bs = Pool.BlockSize;
        var keys = Pool.K[layer]; var values = Pool.V[layer];
        var s = new float[t * len];
        for (int j0 = 0; j0 < len; j0 += bs)
        {
            int bl = Math.Min(bs, len - j0);
            int off = (int)kv.Offset(j0);
            Gemm.Multiply(false, true, t, bl, hd, q[(h * hd)..], c.QDim, keys.AsSpan(off + g * hd), c.KvDim, s.AsSpan(j0), len, parallel: false);
        }
        for (int i = 0; i < t; i++)
        {
            var row = s.AsSpan(i * len, len);
            int valid = pos0 + i + 1;
            for (int j = 0; j < valid; j++) row[j] *= _attnScale;
            Kernels.SoftmaxRow(row, valid);
        }
        for (int j0 = 0; j0 < len; j0 += bs)
        {
            int bl = Math.Min(bs, len - j0);
            int off = (int)kv.Offset(j0);
            Gemm.Multiply(false, false, t, hd, bl, s.AsSpan(j0), len, values.AsSpan(off + g * hd), c.KvDim, o[(h * hd)..], c.QDim,
                accumulate: j0 > 0, parallel: false);
        }
    }

    /// <summary>The single-sequence projection, exactly as <see cref="LlamaModel"/> runs it (one GEMM of M = t rows).</summary>
    private void PrefillLinear(float[] x, int t, int layer, string module, float[] y, LoraAdapter? adapter)
    {
        var w = _w.Layers[layer].Linear(module);
        int inDim = w.Cols, outDim = w.Rows;
        Gemm.Multiply(false, true, t, outDim, inDim, x, inDim, w.Data, inDim, y, outDim);
        if (adapter != null) _lora.ApplyPrefill(adapter, t, layer, module, x, inDim, y, outDim);
    }

    /// <summary>Base product for every row at once, then the gathered LoRA products per adapter segment.</summary>
    private void DecodeLinear(float[] x, int bsz, int layer, string module, float[] y, LoraSegment[] segments)
    {
        var w = _w.Layers[layer].Linear(module);
        int inDim = w.Cols, outDim = w.Rows;
        RowGemm.MultiplyNT(bsz, outDim, inDim, x, inDim, w.Data, inDim, y, outDim);
        if (segments.Length > 0) _lora.Apply(segments, layer, module, x, inDim, y, outDim);
    }
}
