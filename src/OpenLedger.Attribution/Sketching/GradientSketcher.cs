namespace OpenLedger.Attribution.Sketching;

/// <summary>
/// Training-side sketching: projects a per-example gradient with the seeded projection and quantizes it.
/// </summary>
public sealed class GradientSketcher
{
    public RademacherProjection Projection { get; }
    public int ScaleShift { get; }

    /// <summary>
    /// When true, each projected gradient is scaled to unit length before quantizing, so scores are cosine
    /// similarities: a high-loss outlier no longer outranks a near-duplicate of the query just by its gradient norm.
    /// </summary>
    public bool Normalize { get; }

    public GradientSketcher(int parameterCount, int k, ulong seed, bool normalize = true, int scaleShift = SketchQuantizer.DefaultScaleShift)
    {
        Projection = new RademacherProjection(parameterCount, k, seed);
        Normalize = normalize;
        ScaleShift = scaleShift;
    }

    public Sketch Sketch(ReadOnlySpan<double> gradient) => Quantize(Projection.Project(gradient));

    /// <summary>Quantizes an already projected (or checkpoint-accumulated) vector, normalizing first when configured.</summary>
    public Sketch Quantize(double[] projected)
    {
        if (Normalize)
        {
            double norm = 0;
            foreach (var v in projected) norm += v * v;
            norm = Math.Sqrt(norm);
            if (norm > 0 && double.IsFinite(norm))
                for (int j = 0; j < projected.Length; j++) projected[j] /= norm;
        }
        return SketchQuantizer.Quantize(projected, ScaleShift);
    }
}
