using OpenLedger.Attribution.Model;
using OpenLedger.Attribution.Sketching;
using OpenLedger.Primitives;

namespace OpenLedger.Attribution.Tests;

/// <summary>Shared fixtures: temp files, a seeded store, Spearman correlation.</summary>
internal static class TestData
{
    public static string TempPath(string name) =>
        Path.Combine(Path.GetTempPath(), $"ol-attr-{Environment.ProcessId}-{Guid.NewGuid():N}-{name}");

    public static Hash256 ModelId(byte b)
    {
        var bytes = new byte[32];
        bytes[0] = b; bytes[31] = 0x42;
        return new Hash256(bytes);
    }

    public static Sketch RandomSketch(Random rng, int k)
    {
        var v = new sbyte[k];
        for (int i = 0; i < k; i++) v[i] = (sbyte)rng.Next(-127, 128);
        return new Sketch(v, rng.Next(1, 1 << 20));
    }

    /// <summary>Writes <paramref name="count"/> random sketches (ids 1000+i·7) and returns the path.</summary>
    public static string RandomStore(int seed, int count, int k, Func<int, Sketch>? custom = null)
    {
        var path = TempPath("store.olsk");
        var rng = new Random(seed);
        using var w = new SketchStoreWriter(path, k, (ulong)seed, ModelId(1));
        for (int i = 0; i < count; i++) w.Append(1000UL + (ulong)i * 7, custom?.Invoke(i) ?? RandomSketch(rng, k));
        w.Complete();
        return path;
    }

    public static double Spearman(IReadOnlyList<double> a, IReadOnlyList<double> b)
    {
        var ra = Ranks(a); var rb = Ranks(b);
        double ma = ra.Average(), mb = rb.Average(), num = 0, da = 0, db = 0;
        for (int i = 0; i < ra.Length; i++)
        {
            num += (ra[i] - ma) * (rb[i] - mb);
            da += (ra[i] - ma) * (ra[i] - ma);
            db += (rb[i] - mb) * (rb[i] - mb);
        }
        return da == 0 || db == 0 ? 0 : num / Math.Sqrt(da * db);
    }

    private static double[] Ranks(IReadOnlyList<double> v)
    {
        var idx = Enumerable.Range(0, v.Count).OrderBy(i => v[i]).ToArray();
        var r = new double[v.Count];
        for (int i = 0; i < idx.Length;)
        {
            int j = i;
            while (j + 1 < idx.Length && v[idx[j + 1]] == v[idx[i]]) j++;
            for (int t = i; t <= j; t++) r[idx[t]] = (i + j) / 2.0; // average rank for ties
            i = j + 1;
        }
        return r;
    }
}
