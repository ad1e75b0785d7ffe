namespace OpenLedger.AI.Compute;

/// <summary>
/// Rotary position embedding as Hugging Face's Llama applies it (rotate_half: dimension i pairs with i + d/2),
/// with inverse frequencies θ^(−2i/d) and the rope_scaling variants "linear" and "llama3" from config.json.
/// </summary>
public sealed class RopeTable
{
    private readonly float[] _cos, _sin; // [position × half]
    public int HeadDim { get; }
    /// <summary>The tables, [position × head_dim/2], for other backends (ILGPU).</summary>
    public float[] Cos => _cos;
    public float[] Sin => _sin;
    public int MaxPositions { get; }

    public RopeTable(int headDim, int maxPositions, double theta, RopeScaling? scaling)
    {
        if (headDim <= 0 || headDim % 2 != 0) throw new ArgumentException($"head_dim {headDim} must be positive and even for rotary embeddings");
        HeadDim = headDim; MaxPositions = maxPositions;
        int half = headDim / 2;
        var inv = new double[half];
        for (int i = 0; i < half; i++) inv[i] = 1.0 / Math.Pow(theta, 2.0 * i / headDim);
        double posScale = 1;
        if (scaling is { } s)
        {
            switch (s.Type)
            {
                case "linear": posScale = 1.0 / s.Factor; break;
                case "llama3":
                    // Llama 3.1: long wavelengths slowed by the factor, short kept, smooth in between
                    double lowWl = s.OriginalMaxPositions / s.LowFreqFactor, highWl = s.OriginalMaxPositions / s.HighFreqFactor;
                    for (int i = 0; i < half; i++)
                    {
                        double wl = 2 * Math.PI / inv[i];
                        if (wl > lowWl) inv[i] /= s.Factor;
                        else if (wl >= highWl)
                        {
                            double smooth = (s.OriginalMaxPositions / wl - s.LowFreqFactor) / (s.HighFreqFactor - s.LowFreqFactor);
                            inv[i] = (1 - smooth) * inv[i] / s.Factor + smooth * inv[i];
                        }
                    }
                    break;
                default: throw new NotSupportedException($"rope_scaling type '{s.Type}' is not supported (linear, llama3 are)");
            }
        }
        _cos = new float[maxPositions * half]; _sin = new float[maxPositions * half];
        for (int p = 0; p < maxPositions; p++)
            for (int i = 0; i < half; i++)
            {
                double ang = p * posScale * inv[i];
                _cos[p * half + i] = (float)Math.Cos(ang);
                _sin[p * half + i] = (float)Math.Sin(ang);
            }
    }

    /// <summary>Rotates each head vector of a [T × heads·headDim] block in place; positions start at <paramref name="pos0"/>.</summary>
    public void Apply(Span<float> x, int heads, int pos0, bool inverse = false)
    {
        int half = HeadDim / 2, stride = heads * HeadDim, t = x.Length / stride;
        if (pos0 + t > MaxPositions) throw new ArgumentException($"position {pos0 + t - 1} exceeds max_position_embeddings {MaxPositions}");
        for (int r = 0; r < t; r++)
        {
            int p = pos0 + r;
            var cos = _cos.AsSpan(p * half, half); var sin = _sin.AsSpan(p * half, half);
            for (int h = 0; h < heads; h++)
            {
                var v = x.Slice(r * stride + h * HeadDim, HeadDim);
                for (int i = 0; i < half; i++)
                {
                    float a = v[i], b = v[i + half], c = cos[i], s = inverse ? -sin[i] : sin[i];
                    v[i] = a * c - b * s;
                    v[i + half] = b * c + a * s;
                }
            }
        }
    }
}

public sealed record RopeScaling(string Type, double Factor, double LowFreqFactor, double HighFreqFactor, int OriginalMaxPositions);
