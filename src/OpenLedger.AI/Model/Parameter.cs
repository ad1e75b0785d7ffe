namespace OpenLedger.AI.Model;

/// <summary>A named weight with its Hugging Face shape and, when it is being trained, a gradient of the same size.</summary>
public sealed class Parameter
{
    public string Name { get; }
    public int[] Shape { get; }
    public float[] Data { get; }
    public float[]? Grad { get; set; }

    public Parameter(string name, int[] shape, float[]? data = null)
    {
        Name = name; Shape = shape;
        long n = shape.Aggregate(1L, (a, b) => a * b);
        if (n > Array.MaxLength) throw new ArgumentException($"tensor '{name}' of shape [{string.Join(", ", shape)}] is too large for one array");
        Data = data ?? new float[n];
        if (Data.Length != n) throw new ArgumentException($"tensor '{name}': {Data.Length} values for shape [{string.Join(", ", shape)}]");
    }

    public int Rows => Shape[0];
    public int Cols => Shape.Length > 1 ? Shape[1] : 1;
    public void EnsureGrad() => Grad ??= new float[Data.Length];
}
