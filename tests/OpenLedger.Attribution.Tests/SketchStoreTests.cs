using OpenLedger.Attribution.Sketching;

namespace OpenLedger.Attribution.Tests;

public class SketchStoreTests
{
    [Fact]
    public void Store_round_trips_rows_scales_ids_and_header()
    {
        var rng = new Random(1);
        var sketches = Enumerable.Range(0, 50).Select(_ => TestData.RandomSketch(rng, 64)).ToArray();
        var path = TestData.TempPath("rt.olsk");
        try
        {
            using (var w = new SketchStoreWriter(path, 64, 77, TestData.ModelId(9), scaleShift: 30))
            {
                for (int i = 0; i < sketches.Length; i++) w.Append((ulong)(i * 3 + 1), sketches[i]);
                w.Complete();
            }
            Assert.Equal(SketchStoreHeader.Size + 50L * (64 + 4 + 8), new FileInfo(path).Length);
            using var s = SketchStore.Open(path);
            Assert.Equal((64, 77UL, 30, 50L, TestData.ModelId(9)), (s.K, s.Header.Seed, s.Header.ScaleShift, s.Count, s.ModelId));
            for (int i = 0; i < sketches.Length; i++)
            {
                Assert.Equal(sketches[i].Values, s.Row(i).ToArray());
                Assert.Equal(sketches[i].Scale, s.Scale(i));
                Assert.Equal((ulong)(i * 3 + 1), s.ContributionId(i));
            }
            Assert.Throws<ArgumentOutOfRangeException>(() => s.Row(50));
        }
        finally { File.Delete(path); }
    }

    [Theory]
    [InlineData(20)]    // header: k
    [InlineData(45)]    // header: model id
    [InlineData(200)]   // a row byte
    [InlineData(-10)]   // an id byte (from the end)
    public void A_flipped_bit_anywhere_is_caught_by_the_checksum(int offset)
    {
        var path = TestData.RandomStore(2, 30, 64);
        try
        {
            var bytes = File.ReadAllBytes(path);
            int at = offset >= 0 ? offset : bytes.Length + offset;
            bytes[at] ^= 0x04;
            File.WriteAllBytes(path, bytes);
            Assert.Throws<InvalidDataException>(() => SketchStore.Open(path).Dispose());
        }
        finally { File.Delete(path); }
    }

    [Fact]
    public void Truncated_or_foreign_files_are_rejected_with_a_clear_error()
    {
        var path = TestData.RandomStore(3, 10, 32);
        try
        {
            var bytes = File.ReadAllBytes(path);
            File.WriteAllBytes(path, bytes[..^1]);
            Assert.Contains("truncated", Assert.Throws<InvalidDataException>(() => SketchStore.Open(path)).Message);
            bytes[0] = (byte)'X';
            File.WriteAllBytes(path, bytes);
            Assert.Contains("magic", Assert.Throws<InvalidDataException>(() => SketchStore.Open(path)).Message);
        }
        finally { File.Delete(path); }
    }

    [Fact]
    public void Writer_rejects_bad_input()
    {
        var path = TestData.TempPath("bad.olsk");
        try
        {
            Assert.Throws<ArgumentOutOfRangeException>(() => new SketchStoreWriter(path, 48, 1, TestData.ModelId(1)));
            using var w = new SketchStoreWriter(path, 32, 1, TestData.ModelId(1));
            w.Append(5, new Sketch(new sbyte[32], 1));
            Assert.Throws<ArgumentException>(() => w.Append(5, new Sketch(new sbyte[32], 1)));
            Assert.Throws<ArgumentException>(() => w.Append(6, new Sketch(new sbyte[64], 1)));
        }
        finally { File.Delete(path); }
    }

    [Fact]
    public void Quantizer_bounds_error_and_rejects_nan_and_inf()
    {
        var rng = new Random(4);
        var v = Enumerable.Range(0, 256).Select(_ => (rng.NextDouble() - 0.5) * 3).ToArray();
        var s = SketchQuantizer.Quantize(v);
        double step = s.Scale * Math.ScaleB(1.0, -SketchQuantizer.DefaultScaleShift);
        Assert.Contains(s.Values, x => Math.Abs((int)x) == 127);
        for (int i = 0; i < v.Length; i++) Assert.True(Math.Abs(v[i] - s.Values[i] * step) <= step / 2 + 1e-12);

        Assert.Contains("NaN", Assert.Throws<ArgumentException>(() => SketchQuantizer.Quantize([1.0, double.NaN])).Message);
        Assert.Throws<ArgumentException>(() => SketchQuantizer.Quantize([double.PositiveInfinity]));
        Assert.Throws<ArgumentException>(() => SketchQuantizer.Quantize([1e12])); // beyond shift 32's range
        Assert.Equal(0, SketchQuantizer.Quantize(new double[8]).Scale);
        var proj = new RademacherProjection(4, 32, 1);
        Assert.Throws<ArgumentException>(() => proj.Project(new float[] { 1, float.NaN, 0, 0 }));
    }

    [Fact]
    public void Projection_is_a_pure_function_of_seed_and_preserves_norms_roughly()
    {
        var a = new RademacherProjection(300, 1024, 42);
        var b = new RademacherProjection(300, 1024, 42);
        var c = new RademacherProjection(300, 1024, 43);
        var rng = new Random(5);
        var g = Enumerable.Range(0, 300).Select(_ => (float)(rng.NextDouble() - 0.5)).ToArray();
        Assert.Equal(a.Project(g), b.Project(g));
        Assert.NotEqual(a.Project(g), c.Project(g));
        // Entry (j, i) is recomputable on its own: project a basis vector.
        var e = new float[300]; e[17] = 1;
        var col = a.Project(e);
        for (int j = 0; j < 1024; j += 97) Assert.Equal(RademacherProjection.Sign(42, 1024, j, 17) / 32.0, col[j], 12);
        double n0 = g.Sum(x => (double)x * x), n1 = a.Project(g).Sum(x => x * x);
        Assert.InRange(n1 / n0, 0.8, 1.2); // Johnson–Lindenstrauss: k = 1024 keeps norms within a few percent
    }
}
