using ILGPU;
using ILGPU.Algorithms;
using ILGPU.Runtime;

namespace OpenLedger.AI.Gpu;

/// <summary>
/// The decoder's kernels for ILGPU (CUDA on a GPU, ILGPU's CPU accelerator in tests). Same layouts as
/// <see cref="Compute.Kernels"/> and <see cref="Compute.Gemm"/>: row-major, weights [out × in].
/// </summary>
internal static class DecoderKernels
{
    /// <summary>C[i, j] = Σ_k A[i, k]·B[j, k] (x·Wᵀ), one thread per output, k ascending.</summary>
    public static void MatMulNT(Index2D ij, ArrayView<float> a, ArrayView<float> b, ArrayView<float> c, int n, int k)
    {
        int i = ij.X, j = ij.Y;
        float s = 0;
        for (int p = 0; p < k; p++) s += a[i * k + p] * b[j * k + p];
        c[i * n + j] = s;
    }

    /// <summary>One thread per row: y = x · rsqrt(mean(x²) + eps) · g.</summary>
    public static void RmsNorm(Index1D row, ArrayView<float> x, ArrayView<float> g, ArrayView<float> y, int d, float eps)
    {
        float ss = 0;
        for (int i = 0; i < d; i++) { float v = x[row * d + i]; ss += v * v; }
        float r = XMath.Rsqrt(ss / d + eps);
        for (int i = 0; i < d; i++) y[row * d + i] = x[row * d + i] * r * g[i];
    }

    /// <summary>One thread per (row, head, pair): HF rotate_half rotation with precomputed cos/sin [position × half].</summary>
    public static void Rope(Index1D idx, ArrayView<float> x, ArrayView<float> cos, ArrayView<float> sin, int heads, int headDim, int pos0)
    {
        int half = headDim / 2;
        int i = idx % half, h = idx / half % heads, t = idx / half / heads;
        int baseIdx = t * heads * headDim + h * headDim;
        float c = cos[(pos0 + t) * half + i], s = sin[(pos0 + t) * half + i];
        float a = x[baseIdx + i], bb = x[baseIdx + i + half];
        x[baseIdx + i] = a * c - bb * s;
        x[baseIdx + i + half] = bb * c + a * s;
    }

    /// <summary>One thread per row of a [rows × len] score block: causal softmax over the first pos0 + row + 1 entries.</summary>
    public static void CausalSoftmax(Index1D row, ArrayView<float> s, int len, int pos0)
    {
        int valid = pos0 + row + 1;
        float max = float.NegativeInfinity;
        for (int j = 0; j < valid; j++) max = XMath.Max(max, s[row * len + j]);
        float sum = 0;
        for (int j = 0; j < valid; j++) { float e = XMath.Exp(s[row * len + j] - max); s[row * len + j] = e; sum += e; }
        float inv = 1f / sum;
        for (int j = 0; j < len; j++) s[row * len + j] = j < valid ? s[row * len + j] * inv : 0f;
    }

    public static void SwiGlu(Index1D i, ArrayView<float> gate, ArrayView<float> up, ArrayView<float> m)
    {
        float g = gate[i];
        m[i] = g / (1f + XMath.Exp(-g)) * up[i];
    }

    public static void Embedding(Index1D idx, ArrayView<float> table, ArrayView<int> tokens, ArrayView<float> output, int d)
    {
        int t = idx / d, j = idx % d;
        output[idx] = table[tokens[t] * d + j];
    }
}
