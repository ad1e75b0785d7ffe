using OpenLedger.AI.Compute;

namespace OpenLedger.AI.Tests;

public class KernelTests
{
    [Fact]
    public void Deterministic_exp_is_within_one_ulp_of_the_runtime()
    {
        for (float x = -30; x < 30; x += 0.0137f)
        {
            float a = DetMath.Exp(x), b = MathF.Exp(x);
            Assert.True(Math.Abs(a - b) <= 1.5 * Math.Abs(MathF.BitIncrement(b) - b), $"exp({x}): {a} vs {b}");
        }
        Assert.Equal(1f, DetMath.Exp(0));
        Assert.Equal(0f, DetMath.Exp(-200));
        Assert.True(Math.Abs(DetMath.Log(10) - Math.Log(10)) < 1e-14);
    }

    [Fact]
    public void Rms_norm_matches_its_definition()
    {
        float[] x = [1, -2, 3, 4], g = [1, 0.5f, 2, 1], y = new float[4], r = new float[1];
        Kernels.RmsNorm(x, g, 1e-6f, y, r);
        double rms = Math.Sqrt((1 + 4 + 9 + 16) / 4.0 + 1e-6);
        for (int i = 0; i < 4; i++) Assert.Equal(x[i] / rms * g[i], y[i], 5);
    }

    [Fact]
    public void Rope_rotation_preserves_norm_and_its_inverse_restores_the_input()
    {
        var rope = new RopeTable(8, 64, 10000, null);
        var v = new float[2 * 8];
        for (int i = 0; i < v.Length; i++) v[i] = i * 0.1f - 0.5f;
        var orig = (float[])v.Clone();
        rope.Apply(v, 2, pos0: 5);
        double n0 = orig.Sum(a => (double)a * a), n1 = v.Sum(a => (double)a * a);
        Assert.Equal(n0, n1, 4);
        rope.Apply(v, 2, pos0: 5, inverse: true);
        for (int i = 0; i < v.Length; i++) Assert.Equal(orig[i], v[i], 5);
        Assert.Throws<NotSupportedException>(() => new RopeTable(8, 16, 10000, new RopeScaling("yarn", 2, 1, 4, 8)));
    }

    [Fact]
    public void Softmax_masks_and_sums_to_one()
    {
        float[] row = [1, 2, 3, 100];
        Kernels.SoftmaxRow(row, 3);
        Assert.Equal(0f, row[3]);
        Assert.Equal(1.0, row.Sum(), 5);
        Assert.True(row[2] > row[1] && row[1] > row[0]);
    }
}
