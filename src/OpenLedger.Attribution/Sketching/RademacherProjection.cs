using System.Numerics.Tensors;

namespace OpenLedger.Attribution.Sketching;

/// <summary>
/// A seeded k×d random projection with entries ±1/sqrt(k). Entry (j, i) is bit (j mod 64) of
/// SplitMix64(seed ⊕ (i·ceil(k/64) + j/64)·golden), a counter-based generator: any machine regenerates any entry
/// from (seed, i, j) alone, with no state to ship.
/// </summary>
public sealed class RademacherProjection
{
    private readonly float[] _signs; // row-major k×d of ±1, expanded once so projection is a dense mat-vec
    public int InputDimension { get; }
    public int K { get; }
    public ulong Seed { get; }

    public RademacherProjection(int inputDimension, int k, ulong seed)
    {
        if (inputDimension <= 0) throw new ArgumentOutOfRangeException(nameof(inputDimension), "the projected vector needs at least one entry");
        if (k <= 0) throw new ArgumentOutOfRangeException(nameof(k), "a sketch needs at least one dimension");
        if ((long)inputDimension * k > int.MaxValue) throw new ArgumentException($"a {k}×{inputDimension} projection is too large to expand in memory");
        InputDimension = inputDimension;
        K = k;
        Seed = seed;
        _signs = new float[(long)k * inputDimension];
        int blocks = (k + 63) / 64;
        for (int i = 0; i < inputDimension; i++)
            for (int b = 0; b < blocks; b++)
            {
                ulong bits = Bits(seed, i, b, blocks);
                for (int t = 0; t < 64; t++)
                {
                    int j = b * 64 + t;
                    if (j >= k) break;
                    _signs[(long)j * inputDimension + i] = ((bits >> t) & 1) != 0 ? -1f : 1f;
                }
            }
    }

    /// <summary>The sign of entry (j, i): +1 or -1 (the entry itself is that over sqrt(k)).</summary>
    public static int Sign(ulong seed, int k, int j, int i)
    {
        int blocks = (k + 63) / 64;
        return ((Bits(seed, i, j / 64, blocks) >> (j % 64)) & 1) != 0 ? -1 : 1;
    }

    private static ulong Bits(ulong seed, int i, int block, int blocks)
    {
        ulong z = seed ^ (((ulong)i * (ulong)blocks + (ulong)block + 1) * 0x9E3779B97F4A7C15UL);
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    /// <summary>Projects a gradient. NaN or infinite entries are rejected: they would poison every score.</summary>
    public double[] Project(ReadOnlySpan<float> gradient)
    {
        if (gradient.Length != InputDimension)
            throw new ArgumentException($"the projection takes {InputDimension} entries, got {gradient.Length}", nameof(gradient));
        for (int i = 0; i < gradient.Length; i++)
            if (!float.IsFinite(gradient[i])) throw new ArgumentException($"gradient entry {i} is {gradient[i]}: NaN/Inf gradients cannot be sketched", nameof(gradient));
        var result = new double[K];
        double inv = 1.0 / Math.Sqrt(K);
        for (int j = 0; j < K; j++)
            result[j] = TensorPrimitives.Dot(new ReadOnlySpan<float>(_signs, j * InputDimension, InputDimension), gradient) * inv;
        return result;
    }

    public double[] Project(ReadOnlySpan<double> gradient)
    {
        var f = new float[gradient.Length];
        for (int i = 0; i < f.Length; i++)
        {
            if (!double.IsFinite(gradient[i])) throw new ArgumentException($"gradient entry {i} is {gradient[i]}: NaN/Inf gradients cannot be sketched", nameof(gradient));
            f[i] = (float)gradient[i];
        }
        return Project(f);
    }
}
