namespace OpenLedger.Attribution.Model;

/// <summary>A labelled data set: row i is example i (one contribution in the end-to-end setting).</summary>
public sealed class Dataset
{
    public Dataset(double[][] features, int[] labels, int classes)
    {
        ArgumentNullException.ThrowIfNull(features);
        ArgumentNullException.ThrowIfNull(labels);
        if (features.Length != labels.Length) throw new ArgumentException("one label per example is required");
        if (classes < 2) throw new ArgumentOutOfRangeException(nameof(classes), "a classifier needs at least two classes");
        int d = features.Length > 0 ? features[0].Length : 0;
        for (int i = 0; i < features.Length; i++)
        {
            if (features[i].Length != d) throw new ArgumentException($"example {i} has {features[i].Length} features, expected {d}");
            if ((uint)labels[i] >= (uint)classes) throw new ArgumentException($"example {i} has label {labels[i]}, outside [0, {classes})");
        }
        Features = features; Labels = labels; Classes = classes;
    }

    public double[][] Features { get; }
    public int[] Labels { get; }
    public int Classes { get; }
    public int Count => Labels.Length;
    public int Dimension => Features.Length > 0 ? Features[0].Length : 0;

    public Dataset Subset(IReadOnlyList<int> indices) =>
        new(indices.Select(i => Features[i]).ToArray(), indices.Select(i => Labels[i]).ToArray(), Classes);
}

/// <summary>Gaussian clusters: one centre per class, isotropic noise. Overlap is controlled by the noise level.</summary>
public static class GaussianClusters
{
    public static Dataset Generate(int seed, int perClass, int classes, int dimension, double centreSpread, double noise)
    {
        var rng = new Random(seed);
        var centres = new double[classes][];
        for (int c = 0; c < classes; c++)
        {
            centres[c] = new double[dimension];
            for (int j = 0; j < dimension; j++) centres[c][j] = Normal(rng) * centreSpread;
        }
        var x = new double[perClass * classes][];
        var y = new int[perClass * classes];
        for (int i = 0; i < x.Length; i++)
        {
            int c = i % classes;
            x[i] = new double[dimension];
            for (int j = 0; j < dimension; j++) x[i][j] = centres[c][j] + Normal(rng) * noise;
            y[i] = c;
        }
        return new Dataset(x, y, classes);
    }

    /// <summary>Box-Muller from a seeded System.Random (its seeded sequence is stable across .NET versions).</summary>
    public static double Normal(Random rng)
    {
        double u1 = 1.0 - rng.NextDouble(), u2 = rng.NextDouble();
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
    }
}
