namespace OpenLedger.AI.Compute;

/// <summary>
/// The element-wise and row kernels of a Llama decoder, forward and backward. Reductions run sequentially in
/// double and exponentials go through <see cref="DetMath"/>, so these are bit-reproducible like <see cref="Gemm"/>.
/// Rows are independent, so callers may run rows on different threads without changing any result.
/// </summary>
public static class Kernels
{
    /// <summary>y = x · rsqrt(mean(x²) + eps) · g per row of length d; returns the row's rsqrt factor.</summary>
    public static float RmsNormRow(ReadOnlySpan<float> x, ReadOnlySpan<float> g, float eps, Span<float> y)
    {
        int d = g.Length;
        double ss = 0;
        for (int i = 0; i < d; i++) ss += (double)x[i] * x[i];
        float r = (float)(1.0 / Math.Sqrt(ss / d + eps));
        for (int i = 0; i < d; i++) y[i] = x[i] * r * g[i];
        return r;
    }

    /// <summary>RMSNorm over T rows; rInv (length T) receives each row's factor for the backward pass.</summary>
    public static void RmsNorm(ReadOnlySpan<float> x, ReadOnlySpan<float> g, float eps, Span<float> y, Span<float> rInv)
    {
        int d = g.Length, t = x.Length / d;
        for (int r = 0; r < t; r++) rInv[r] = RmsNormRow(x.Slice(r * d, d), g, eps, y.Slice(r * d, d));
    }

    /// <summary>dx += ∂/∂x; dg += ∂/∂g (dg may be empty when g is frozen).</summary>
    public static void RmsNormBackward(ReadOnlySpan<float> x, ReadOnlySpan<float> g, ReadOnlySpan<float> rInv, ReadOnlySpan<float> dy, Span<float> dx, Span<float> dg)
    {
        int d = g.Length, t = x.Length / d;
        for (int row = 0; row < t; row++)
        {
            var xr = x.Slice(row * d, d); var dyr = dy.Slice(row * d, d); var dxr = dx.Slice(row * d, d);
            float r = rInv[row];
            double dot = 0;
            for (int i = 0; i < d; i++) dot += (double)(g[i] * dyr[i]) * xr[i];
            float coef = (float)(dot / d) * r * r * r;
            for (int i = 0; i < d; i++) dxr[i] += r * g[i] * dyr[i] - xr[i] * coef;
            if (!dg.IsEmpty) for (int i = 0; i < d; i++) dg[i] += dyr[i] * xr[i] * r;
        }
    }

    /// <summary>In-place softmax of a row; entries at and after <paramref name="valid"/> are set to 0 (causal mask).</summary>
    public static void SoftmaxRow(Span<float> row, int valid)
    {
        float max = float.NegativeInfinity;
        for (int i = 0; i < valid; i++) if (row[i] > max) max = row[i];
        double sum = 0;
        for (int i = 0; i < valid; i++) { float e = DetMath.Exp(row[i] - max); row[i] = e; sum += e; }
        float inv = (float)(1.0 / sum);
        for (int i = 0; i < valid; i++) row[i] *= inv;
        row[valid..].Clear();
    }

    /// <summary>Given P = softmax(S) and dP, dS = P ⊙ (dP − Σ P·dP), in place into dP.</summary>
    public static void SoftmaxBackwardRow(ReadOnlySpan<float> p, Span<float> dp, int valid)
    {
        double s = 0;
        for (int i = 0; i < valid; i++) s += (double)p[i] * dp[i];
        float sf = (float)s;
        for (int i = 0; i < valid; i++) dp[i] = p[i] * (dp[i] - sf);
        dp[valid..].Clear();
    }

    public static float Silu(float x) => x * DetMath.Sigmoid(x);

    /// <summary>SwiGLU: m = silu(gate) ⊙ up.</summary>
    public static void SwiGlu(ReadOnlySpan<float> gate, ReadOnlySpan<float> up, Span<float> m)
    {
        for (int i = 0; i < m.Length; i++) m[i] = Silu(gate[i]) * up[i];
    }

    /// <summary>Backward of SwiGLU: dgate = dm·up·silu'(gate), dup = dm·silu(gate).</summary>
    public static void SwiGluBackward(ReadOnlySpan<float> gate, ReadOnlySpan<float> up, ReadOnlySpan<float> dm, Span<float> dgate, Span<float> dup)
    {
        for (int i = 0; i < dm.Length; i++)
        {
            float s = DetMath.Sigmoid(gate[i]);
            float silu = gate[i] * s;
            dup[i] = dm[i] * silu;
            dgate[i] = dm[i] * up[i] * (s * (1f + gate[i] * (1f - s)));
        }
    }

    /// <summary>Rows of an embedding table [vocab × d] for the given token ids.</summary>
    public static void Embedding(ReadOnlySpan<float> table, int d, ReadOnlySpan<int> tokens, Span<float> output)
    {
        int vocab = table.Length / d;
        for (int t = 0; t < tokens.Length; t++)
        {
            int id = tokens[t];
            if ((uint)id >= (uint)vocab) throw new ArgumentOutOfRangeException(nameof(tokens), $"token id {id} at position {t} is outside the vocabulary [0, {vocab})");
            table.Slice(id * d, d).CopyTo(output.Slice(t * d, d));
        }
    }

    /// <summary>Cross-entropy of one logits row against a target; writes softmax − onehot scaled by <paramref name="scale"/> into grad.</summary>
    public static double CrossEntropyRow(ReadOnlySpan<float> logits, int target, Span<float> grad, float scale)
    {
        float max = float.NegativeInfinity;
        for (int i = 0; i < logits.Length; i++) if (logits[i] > max) max = logits[i];
        double sum = 0;
        bool g = !grad.IsEmpty;
        for (int i = 0; i < logits.Length; i++) { float e = DetMath.Exp(logits[i] - max); if (g) grad[i] = e; sum += e; }
        double loss = DetMath.Log(sum) + max - logits[target];
        float inv = (float)(1.0 / sum);
        if (g)
        {
            for (int i = 0; i < grad.Length; i++) grad[i] *= inv * scale;
            grad[target] -= scale;
        }
        return loss;
    }
}
