using OpenLedger.AI.Lora;

namespace OpenLedger.Serving.Engine;

/// <summary>Rows [Start, Start + Count) of a decode batch that run the same adapter.</summary>
public readonly record struct LoraSegment(int Start, int Count, LoraAdapter Adapter);

/// <summary>
/// The gathered LoRA product on the CPU (SGMV, as Punica and S-LoRA batch it): the batch's rows are grouped into
/// segments by adapter (the scheduler orders rows by adapter, so each adapter is one contiguous segment), and for each
/// segment y[rows] += scale · (x[rows]·Aᵀ)·Bᵀ is added to the base product computed once for all rows.
/// Rows without an adapter (the base model) belong to no segment.
/// </summary>
public static class LoraSegments
{
    /// <summary>Segments of consecutive rows with the same adapter (null = base model, no segment).</summary>
    public static LoraSegment[] Build(IReadOnlyList<LoraAdapter?> rowAdapters)
    {
        var list = new List<LoraSegment>();
        int i = 0;
        while (i < rowAdapters.Count)
        {
            var a = rowAdapters[i];
            int j = i + 1;
            while (j < rowAdapters.Count && ReferenceEquals(rowAdapters[j], a)) j++;
            if (a != null) list.Add(new LoraSegment(i, j - i, a));
            i = j;
        }
        return list.ToArray();
    }

    /// <summary>y [B × outDim] += the LoRA product of every segment whose adapter adapts (layer, module).</summary>
    public static void Apply(ReadOnlySpan<LoraSegment> segments, int layer, string module, ReadOnlySpan<float> x, int inDim, Span<float> y, int outDim)
    {
        foreach (var seg in segments)
        {
            var pair = seg.Adapter.Get(layer, module);
            if (pair == null) continue;
            int r = seg.Adapter.Config.Rank;
            float s = seg.Adapter.Config.Scale;
            var xa = new float[seg.Count * r];
            RowGemm.MultiplyNT(seg.Count, r, inDim, x[(seg.Start * inDim)..], inDim, pair.A.Data, inDim, xa, r);
            for (int i = 0; i < xa.Length; i++) xa[i] *= s;
            RowGemm.MultiplyNT(seg.Count, outDim, r, xa, r, pair.B.Data, r, y[(seg.Start * outDim)..], outDim, accumulate: true);
        }
    }
}
