using ILGPU;

namespace OpenLedger.Serving.Gpu;

/// <summary>
/// The gathered LoRA product as two ILGPU kernels (Punica's SGMV "shrink" and "expand"): every row of the batch names an
/// adapter slot (or −1), the adapters' A and B of one (layer, module) are packed one after another in two buffers, and
/// one launch serves every adapter in the batch.
/// </summary>
internal static class SgmvKernels
{
    /// <summary>xa[b, j] = scale[s] · Σ_i x[b, i]·A_s[j, i] for j &lt; rank[s] (0 past it); one thread per (row, j).</summary>
    public static void Shrink(Index2D bj, ArrayView<float> x, ArrayView<int> rowSlot, ArrayView<float> a, ArrayView<int> aOffset,
        ArrayView<int> rank, ArrayView<float> scale, ArrayView<float> xa, int inDim, int rMax)
    {
        int b = bj.X, j = bj.Y;
        int s = rowSlot[b];
        float acc = 0;
        if (s >= 0 && j < rank[s])
        {
            int aRow = aOffset[s] + j * inDim;
            for (int i = 0; i < inDim; i++) acc += x[b * inDim + i] * a[aRow + i];
            acc *= scale[s];
        }
        xa[b * rMax + j] = acc;
    }

    /// <summary>y[b, o] += Σ_j xa[b, j]·B_s[o, j]; one thread per (row, output).</summary>
    public static void Expand(Index2D bo, ArrayView<float> xa, ArrayView<int> rowSlot, ArrayView<float> bw, ArrayView<int> bOffset,
        ArrayView<int> rank, ArrayView<float> y, int outDim, int rMax)
    {
        int b = bo.X, o = bo.Y;
        int s = rowSlot[b];
        if (s < 0) return;
        int r = rank[s];
        int bRow = bOffset[s] + o * r;
        float acc = 0;
        for (int j = 0; j < r; j++) acc += xa[b * rMax + j] * bw[bRow + j];
        y[b * outDim + o] += acc;
    }
}
