namespace OpenLedger.Attribution.Sketching;

/// <summary>
/// A quantized gradient sketch: value_j ≈ Values[j] * Scale * 2^-ScaleShift. The scale is an integer so that
/// scores computed from sketches are exact integers on every machine.
/// </summary>
public sealed class Sketch
{
    public Sketch(sbyte[] values, int scale)
    {
        ArgumentNullException.ThrowIfNull(values);
        if (scale < 0) throw new ArgumentOutOfRangeException(nameof(scale), "a sketch scale is never negative");
        foreach (var v in values)
            if (v == sbyte.MinValue) throw new ArgumentException("sketch entries lie in [-127, 127]; -128 is reserved so that negation is exact", nameof(values));
        Values = values;
        Scale = scale;
    }

    public sbyte[] Values { get; }
    public int Scale { get; }
    public int Dimension => Values.Length;
}
