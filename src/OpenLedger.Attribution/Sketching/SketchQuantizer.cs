namespace OpenLedger.Attribution.Sketching;

/// <summary>
/// Quantizes a projected gradient to int8 with one integer scale per sketch: scale = ceil(max|v| / 127 · 2^shift),
/// q_j = round(v_j · 2^shift / scale) ∈ [-127, 127]. The shift (a store-wide constant in the header) sets the
/// dynamic range: with the default 32, max|v| may be up to ~63 and keeps 7-bit precision down to ~4e-6.
/// </summary>
public static class SketchQuantizer
{
    public const int DefaultScaleShift = 32;

    public static Sketch Quantize(ReadOnlySpan<double> values, int scaleShift = DefaultScaleShift)
    {
        if (scaleShift is < 0 or > 62) throw new ArgumentOutOfRangeException(nameof(scaleShift), "the scale shift must lie in [0, 62]");
        double max = 0;
        for (int i = 0; i < values.Length; i++)
        {
            double v = values[i];
            if (!double.IsFinite(v)) throw new ArgumentException($"sketch entry {i} is {v}: NaN/Inf gradients cannot be sketched", nameof(values));
            max = Math.Max(max, Math.Abs(v));
        }
        var q = new sbyte[values.Length];
        if (max == 0) return new Sketch(q, 0);

        double pow = Math.ScaleB(1.0, scaleShift);
        double scaleReal = Math.Ceiling(max / 127.0 * pow);
        if (scaleReal > int.MaxValue)
            throw new ArgumentException($"gradient magnitude {max:G4} exceeds what scale shift {scaleShift} can hold; use a smaller shift", nameof(values));
        int scale = (int)Math.Max(1, scaleReal);
        for (int i = 0; i < values.Length; i++)
            q[i] = (sbyte)Math.Clamp(Math.Round(values[i] * pow / scale, MidpointRounding.ToEven), -127, 127);
        return new Sketch(q, scale);
    }
}
