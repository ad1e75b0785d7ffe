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

/// <summary>
/// The kernels <see cref="IlgpuDecoder"/> runs a whole forward pass with: products with offsets and leading
/// dimensions (projections, LoRA, attention), residual adds, and softmax over the rows of several heads.
/// Products sum k ascending in one thread per output, like the CPU's chain; the CPU path fuses each multiply-add
/// and these kernels do not (ILGPU 1.5 has no fma intrinsic), so results agree within rounding, not bit for bit.
/// </summary>
internal static class ForwardKernels
{
    /// <summary>C[i·ldc + j] = (acc ? C : 0) + scale·Σ_p A[aOff + i·lda + p]·B[bOff + j·ldb + p].</summary>
    public static void MatMulNT(Index2D ij, ArrayView<float> a, int aOff, int lda, ArrayView<float> b, int bOff, int ldb,
        ArrayView<float> c, int ldc, int k, float scale, int accumulate)
    {
        int i = ij.X, j = ij.Y;
        float s = 0;
        for (int p = 0; p < k; p++) s += a[aOff + i * lda + p] * b[bOff + j * ldb + p];
        s *= scale;
        int idx = i * ldc + j;
        c[idx] = accumulate != 0 ? c[idx] + s : s;
    }

    /// <summary>Scores of head h, query row i, key j (index (h·t + i, j)): scale·q·k for j within the cache, else 0.</summary>
    public static void AttnScores(Index2D hij, ArrayView<float> q, ArrayView<float> keys, ArrayView<float> scores,
        int t, int len, int headDim, int qDim, int kvDim, int group, float scale)
    {
        int hi = hij.X, j = hij.Y, h = hi / t, i = hi % t, g = h / group;
        float s = 0;
        for (int d = 0; d < headDim; d++) s += q[i * qDim + h * headDim + d] * keys[j * kvDim + g * headDim + d];
        scores[hi * len + j] = s * scale;
    }

    /// <summary>One thread per (head, row): causal softmax over the first pos0 + row + 1 of len scores.</summary>
    public static void SoftmaxRows(Index1D hi, ArrayView<float> s, int t, int len, int pos0)
    {
        int valid = pos0 + hi % t + 1, o = hi * len;
        float max = float.NegativeInfinity;
        for (int j = 0; j < valid; j++) max = XMath.Max(max, s[o + j]);
        double sum = 0;
        for (int j = 0; j < valid; j++) { float e = XMath.Exp(s[o + j] - max); s[o + j] = e; sum += e; }
        float inv = (float)(1.0 / sum);
        for (int j = 0; j < len; j++) s[o + j] = j < valid ? s[o + j] * inv : 0f;
    }

    /// <summary>Output of head h, row i, dimension d (index (h·t + i, d)): Σ_p P[h, i, p]·V[p, g·hd + d].</summary>
    public static void AttnValues(Index2D hid, ArrayView<float> probs, ArrayView<float> values, ArrayView<float> o,
        int t, int len, int headDim, int qDim, int kvDim, int group)
    {
        int hi = hid.X, d = hid.Y, h = hi / t, i = hi % t, g = h / group;
        float s = 0;
        for (int p = 0; p < len; p++) s += probs[hi * len + p] * values[p * kvDim + g * headDim + d];
        o[i * qDim + h * headDim + d] = s;
    }

    /// <summary>One thread per row: RMSNorm with the sum of squares in double, as the CPU path.</summary>
    public static void RmsNorm(Index1D row, ArrayView<float> x, int xOff, ArrayView<float> g, ArrayView<float> y, int d, float eps)
    {
        double ss = 0;
        for (int i = 0; i < d; i++) { double v = x[xOff + row * d + i]; ss += v * v; }
        float r = (float)(1.0 / XMath.Sqrt(ss / d + eps));
        for (int i = 0; i < d; i++) y[row * d + i] = x[xOff + row * d + i] * r * g[i];
    }

    public static void Add(Index1D i, ArrayView<float> x, ArrayView<float> y) => x[i] += y[i];

    public static void Copy(Index1D i, ArrayView<float> src, ArrayView<float> dst, int dstOff) => dst[dstOff + i] = src[i];
}

/// <summary>The query sketch's projection on a device, with <see cref="Attribution.DeterministicProjection"/>'s arithmetic.</summary>
internal static class SketchKernels
{
    /// <summary>
    /// result[j] = (Σ_i sign[j, i]·g[i], i ascending, in double)·inv. Each product with ±1 is exact, so a fused
    /// multiply-add a compiler may form gives the same double as the CPU's separate multiply and add: bit-identical.
    /// </summary>
    public static void ProjectRows(Index1D j, ArrayView<sbyte> signs, ArrayView<float> g, ArrayView<double> result, int d, double inv)
    {
        double s = 0;
        long row = (long)(int)j * d;
        for (int i = 0; i < d; i++) s += signs[row + i] * (double)g[i];
        result[j] = s * inv;
    }
}
