using OpenLedger.AI.Compute;
using OpenLedger.AI.Gpu;

namespace OpenLedger.AI.Tests;

/// <summary>The ILGPU kernels on ILGPU's CPU accelerator against the CPU path (CUDA is not present here).</summary>
public class IlgpuKernelTests
{
    private static float[] Rand(int n, ulong seed)
    {
        var r = new SplitMix(seed);
        return Enumerable.Range(0, n).Select(_ => (float)(r.NextDouble() * 2 - 1)).ToArray();
    }

    private static void Close(float[] expect, float[] actual, float tol)
    {
        Assert.Equal(expect.Length, actual.Length);
        for (int i = 0; i < expect.Length; i++) Assert.True(Math.Abs(expect[i] - actual[i]) <= tol * (1 + Math.Abs(expect[i])), $"[{i}] {expect[i]} vs {actual[i]}");
    }

    [Fact]
    public void Ilgpu_kernels_match_the_cpu_kernels()
    {
        using var gpu = new IlgpuCompute(cuda: false);
        int m = 5, n = 37, k = 48;
        var x = Rand(m * k, 1); var w = Rand(n * k, 2);
        var cpu = new float[m * n];
        Gemm.Multiply(false, true, m, n, k, x, k, w, k, cpu, n);
        Close(cpu, gpu.MatMulNT(x, w, m, n, k), 1e-5f);

        var g = Rand(k, 3);
        var y = new float[m * k]; var r = new float[m];
        Kernels.RmsNorm(x, g, 1e-5f, y, r);
        Close(y, gpu.RmsNorm(x, g, 1e-5f), 1e-5f);

        var rope = new RopeTable(8, 32, 10000, null);
        var q = Rand(3 * 4 * 8, 4);
        var qCpu = (float[])q.Clone();
        rope.Apply(qCpu, 4, pos0: 2);
        Close(qCpu, gpu.Rope(q, rope.Cos, rope.Sin, 4, 8, 2), 1e-6f);

        int rows = 3, len = 7, pos0 = 4;
        var s = Rand(rows * len, 5);
        var sCpu = (float[])s.Clone();
        for (int i = 0; i < rows; i++) Kernels.SoftmaxRow(sCpu.AsSpan(i * len, len), pos0 + i + 1);
        Close(sCpu, gpu.CausalSoftmax(s, rows, len, pos0), 1e-6f);

        var gate = Rand(64, 6); var up = Rand(64, 7); var mm = new float[64];
        Kernels.SwiGlu(gate, up, mm);
        Close(mm, gpu.SwiGlu(gate, up), 1e-6f);

        var table = Rand(10 * 6, 8); int[] tokens = [3, 0, 9, 3];
        var e = new float[tokens.Length * 6];
        Kernels.Embedding(table, 6, tokens, e);
        Assert.Equal(e, gpu.Embedding(table, tokens, 6));
    }
}
