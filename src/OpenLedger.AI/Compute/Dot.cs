using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace OpenLedger.AI.Compute;

/// <summary>
/// Dot products with one fixed reduction order: 32 lanes (four 8-wide accumulators) of fused multiply-adds over
/// k ≡ lane (mod 32), then lanes summed in a fixed tree, then the tail in order. The portable path performs the
/// same operations one lane at a time, so AVX2, AVX-512 and portable machines agree bit for bit.
/// </summary>
public static unsafe class Dot
{
    public static float Fixed(ReadOnlySpan<float> x, ReadOnlySpan<float> y)
    {
        if (x.Length != y.Length) throw new ArgumentException($"dot of lengths {x.Length} and {y.Length}");
        fixed (float* px = x) fixed (float* py = y) return Fixed(px, py, x.Length);
    }

    public static float Fixed(float* x, float* y, int n)
    {
        int blocks = n / 32;
        if (Avx2.IsSupported && Fma.IsSupported && !Gemm.ForcePortable)
        {
            var a0 = Vector256<float>.Zero; var a1 = a0; var a2 = a0; var a3 = a0;
            for (int b = 0; b < blocks; b++)
            {
                float* px = x + b * 32, py = y + b * 32;
                a0 = Fma.MultiplyAdd(Avx.LoadVector256(px), Avx.LoadVector256(py), a0);
                a1 = Fma.MultiplyAdd(Avx.LoadVector256(px + 8), Avx.LoadVector256(py + 8), a1);
                a2 = Fma.MultiplyAdd(Avx.LoadVector256(px + 16), Avx.LoadVector256(py + 16), a2);
                a3 = Fma.MultiplyAdd(Avx.LoadVector256(px + 24), Avx.LoadVector256(py + 24), a3);
            }
            // the fixed tree below, in registers: (a0+a2)+(a1+a3), halves, pairs, last pair
            var v = Avx.Add(Avx.Add(a0, a2), Avx.Add(a1, a3));
            var x4 = Sse.Add(v.GetLower(), v.GetUpper());
            var x2 = Sse.Add(x4, Sse.MoveHighToLow(x4, x4));
            float t = x2.ToScalar() + x2.GetElement(1);
            for (int i = blocks * 32; i < n; i++) t = MathF.FusedMultiplyAdd(x[i], y[i], t);
            return t;
        }
        float* lanes = stackalloc float[32]; // portable path only: the vector path above stays in registers
        for (int l = 0; l < 32; l++) lanes[l] = 0;
        for (int b = 0; b < blocks; b++)
            for (int l = 0; l < 32; l++) lanes[l] = MathF.FusedMultiplyAdd(x[b * 32 + l], y[b * 32 + l], lanes[l]);
        // fixed tree: 32 → 16 → 8 → 4 → 2 → 1
        for (int w = 16; w >= 1; w >>= 1)
            for (int l = 0; l < w; l++) lanes[l] += lanes[l + w];
        float s = lanes[0];
        for (int i = blocks * 32; i < n; i++) s = MathF.FusedMultiplyAdd(x[i], y[i], s);
        return s;
    }
}
