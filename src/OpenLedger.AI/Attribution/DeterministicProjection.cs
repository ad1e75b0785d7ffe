using OpenLedger.Attribution.Sketching;

namespace OpenLedger.AI.Attribution;

/// <summary>
/// The Attribution project's Rademacher matrix (the same ±1 entries, from <see cref="RademacherProjection.Sign"/>),
/// applied with a fixed sequential double-precision reduction instead of a SIMD dot whose order depends on the
/// vector width: the query-side sketch must be the same bytes on every x86-64 machine.
/// </summary>
public sealed class DeterministicProjection
{
    private readonly sbyte[] _signs; // k × d
    public int InputDimension { get; }
    public int K { get; }
    public ulong Seed { get; }

    public DeterministicProjection(int inputDimension, int k, ulong seed)
    {
        if ((long)inputDimension * k > 1L << 30) throw new ArgumentException($"a {k}×{inputDimension} projection is too large; lower k or the number of LoRA parameters");
        InputDimension = inputDimension; K = k; Seed = seed;
        _signs = new sbyte[(long)k * inputDimension];
        Parallel.For(0, k, j =>
        {
            for (int i = 0; i < inputDimension; i++) _signs[(long)j * inputDimension + i] = (sbyte)RademacherProjection.Sign(seed, k, j, i);
        });
    }

    /// <summary>The ±1 entries, k × d row-major (for the ILGPU projection, which must give the same sums).</summary>
    internal sbyte[] Signs => _signs;

    internal void CheckGradient(ReadOnlySpan<float> gradient)
    {
        if (gradient.Length != InputDimension) throw new ArgumentException($"the projection takes {InputDimension} entries, got {gradient.Length}");
        for (int i = 0; i < gradient.Length; i++)
            if (!float.IsFinite(gradient[i])) throw new ArgumentException($"gradient entry {i} is {gradient[i]}: NaN/Inf gradients cannot be sketched");
    }

    public double[] Project(ReadOnlySpan<float> gradient)
    {
        CheckGradient(gradient);
        var g = gradient.ToArray();
        var result = new double[K];
        double inv = 1.0 / Math.Sqrt(K);
        // rows are independent, each summed in index order: threads do not change the result
        Parallel.For(0, K, j =>
        {
            double s = 0;
            long row = (long)j * InputDimension;
            for (int i = 0; i < g.Length; i++) s += _signs[row + i] * (double)g[i];
            result[j] = s * inv;
        });
        return result;
    }
}
