using System.Runtime.InteropServices;

namespace OpenLedger.Tools.ModelBench;

/// <summary>OpenBLAS's cblas_sgemm (Debian's libopenblas0), the peer of our GEMM in `bench model`. Benchmark only.</summary>
internal static unsafe partial class OpenBlas
{
    private const string Lib = "libopenblas.so.0";
    public const int RowMajor = 101, NoTrans = 111, Trans = 112;

    [LibraryImport(Lib, EntryPoint = "cblas_sgemm")]
    private static partial void Sgemm(int order, int transA, int transB, int m, int n, int k, float alpha, float* a, int lda, float* b, int ldb, float beta, float* c, int ldc);

    [LibraryImport(Lib, EntryPoint = "openblas_get_num_threads")]
    public static partial int Threads();

    [LibraryImport(Lib, EntryPoint = "openblas_set_num_threads")]
    public static partial void SetThreads(int threads);

    public static bool Available()
    {
        try { return NativeLibrary.TryLoad(Lib, out _); } catch (DllNotFoundException) { return false; }
    }

    /// <summary>C = A · Bᵀ for A [m × k], B [n × k], row-major.</summary>
    public static void MultiplyNT(float[] a, float[] b, float[] c, int m, int n, int k)
    {
        fixed (float* pa = a) fixed (float* pb = b) fixed (float* pc = c)
            Sgemm(RowMajor, NoTrans, Trans, m, n, k, 1f, pa, k, pb, k, 0f, pc, n);
    }
}
