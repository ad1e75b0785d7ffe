using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace OpenLedger.AI.Compute;

/// <summary>
/// Single-precision matrix product C (+)= op(A)·op(B), row-major, with op = identity or transpose.
/// Goto-style: panels of A (MR rows) and B (NR columns) are packed k-major, a register-blocked micro-kernel runs
/// on AVX-512, AVX2+FMA or portable code, and threads split the output tiles, never the k dimension.
/// Every output element is one chain c = fma(a[k], b[k], c) over k in ascending order on every path and vector
/// width, so results are bit-identical across machines and thread counts (the attribution path relies on it).
/// </summary>
public static unsafe class Gemm
{
    private const int MR = 6;
    private const int KC = 256;
    private const int MC = 96;
    private const int NC = 2048; // most columns one work item packs

    /// <summary>The micro-kernel in use: "avx512", "avx2-fma" or "portable".</summary>
    public static string Backend => ForcePortable ? "portable" : Avx512F.IsSupported ? "avx512" : (Avx2.IsSupported && Fma.IsSupported) ? "avx2-fma" : "portable";

    /// <summary>Test seam: runs the portable kernel even where intrinsics exist.</summary>
    internal static bool ForcePortable { get; set; }

    private static int NR => Backend switch { "avx512" => 32, "avx2-fma" => 16, _ => 16 };

    /// <summary>C[M×N] = (accumulate ? C : 0) + op(A)[M×K] · op(B)[K×N].</summary>
    /// <param name="transA">A is stored K×M (lda ≥ M) instead of M×K (lda ≥ K).</param>
    /// <param name="transB">B is stored N×K (ldb ≥ K), i.e. x·Wᵀ for a [out, in] weight, instead of K×N.</param>
    public static void Multiply(bool transA, bool transB, int m, int n, int k,
        ReadOnlySpan<float> a, int lda, ReadOnlySpan<float> b, int ldb, Span<float> c, int ldc,
        bool accumulate = false, bool parallel = true)
    {
        if (m < 0 || n < 0 || k < 0) throw new ArgumentOutOfRangeException(nameof(m), "matrix dimensions must be non-negative");
        if (m == 0 || n == 0) return;
        CheckExtent(a.Length, transA ? k : m, transA ? m : k, lda, "A");
        CheckExtent(b.Length, transB ? n : k, transB ? k : n, ldb, "B");
        CheckExtent(c.Length, m, n, ldc, "C");
        fixed (float* pa = a) fixed (float* pb = b) fixed (float* pc = c)
        {
            if (k == 0)
            {
                if (!accumulate) for (int i = 0; i < m; i++) new Span<float>(pc + (long)i * ldc, n).Clear();
                return;
            }
            if (m <= GemvRows && transB && !transA)
            {
                Gemv(m, n, k, pa, lda, pb, ldb, pc, ldc, accumulate, parallel);
                return;
            }
            if (m <= GemvRows && !transB && !transA)
            {
                RowsTimesMatrix(m, n, k, pa, lda, pb, ldb, pc, ldc, accumulate);
                return;
            }
            Packed(transA, transB, m, n, k, pa, lda, pb, ldb, pc, ldc, accumulate, parallel);
        }
    }

    private static void CheckExtent(int length, int rows, int cols, int ld, string name)
    {
        if (ld < cols) throw new ArgumentException($"{name}: leading dimension {ld} is below the row length {cols}");
        if (rows > 0 && (long)(rows - 1) * ld + cols > length)
            throw new ArgumentException($"{name}: a {rows}×{cols} matrix with leading dimension {ld} does not fit in {length} elements");
    }

    // ---- small M with a transposed (weight) B: one fixed-order dot product per output ----

    /// <summary>Up to this many rows (decode steps of a small batch) skip packing: each weight row is read once and
    /// dotted with every input row while it sits in L1.</summary>
    private const int GemvRows = 8;

    private static void Gemv(int m, int n, int k, float* a, int lda, float* b, int ldb, float* c, int ldc, bool accumulate, bool parallel)
    {
        nint pa = (nint)a, pb = (nint)b, pc = (nint)c;
        int chunks = Math.Max(1, Math.Min(Environment.ProcessorCount * 4, n / 64));
        // a fork/join costs more than these products on a loaded machine (measured: 384×384 for one row took ~50×
        // longer in parallel than alone under load 45), so only products of several MFLOP go parallel
        parallel &= (long)m * n * k >= GemvParallelWork;
        void Run(int chunk)
        {
            int j0 = (int)((long)n * chunk / chunks), j1 = (int)((long)n * (chunk + 1) / chunks);
            for (int j = j0; j < j1; j++)
            {
                float* wRow = (float*)pb + (long)j * ldb;
                for (int i = 0; i < m; i++)
                {
                    float d = Dot.Fixed((float*)pa + (long)i * lda, wRow, k);
                    float* y = (float*)pc + (long)i * ldc + j;
                    *y = accumulate ? *y + d : d;
                }
            }
        }
        if (parallel && chunks > 1) Parallel.For(0, chunks, Run);
        else for (int ch = 0; ch < chunks; ch++) Run(ch);
    }

    /// <summary>Multiply-adds of a small-M product below which <see cref="Gemv"/> stays on the calling thread (the
    /// decode step's per-layer projections; the LM head goes parallel).</summary>
    private const long GemvParallelWork = 1 << 22;

    /// <summary>
    /// Few rows of A times a row-major B (attention's P·V in a decode step): each output is the same chain
    /// c = fma(a[p], B[p, j], c) over p ascending, from 0 or the old C, as the packed path computes, without packing.
    /// </summary>
    private static void RowsTimesMatrix(int m, int n, int k, float* a, int lda, float* b, int ldb, float* c, int ldc, bool accumulate)
    {
        for (int i = 0; i < m; i++)
        {
            float* ci = c + (long)i * ldc, ai = a + (long)i * lda;
            if (!accumulate) new Span<float>(ci, n).Clear();
            int j = 0;
            if (Avx512F.IsSupported && !ForcePortable)
                for (; j + 16 <= n; j += 16)
                {
                    var acc = Vector512.Load(ci + j);
                    for (int p = 0; p < k; p++) acc = Avx512F.FusedMultiplyAdd(Vector512.Create(ai[p]), Vector512.Load(b + (long)p * ldb + j), acc);
                    acc.Store(ci + j);
                }
            if (Avx2.IsSupported && Fma.IsSupported && !ForcePortable)
                for (; j + 8 <= n; j += 8)
                {
                    var acc = Avx.LoadVector256(ci + j);
                    for (int p = 0; p < k; p++) acc = Fma.MultiplyAdd(Vector256.Create(ai[p]), Avx.LoadVector256(b + (long)p * ldb + j), acc);
                    Avx.Store(ci + j, acc);
                }
            for (; j < n; j++)
            {
                float acc = ci[j];
                for (int p = 0; p < k; p++) acc = MathF.FusedMultiplyAdd(ai[p], b[(long)p * ldb + j], acc);
                ci[j] = acc;
            }
        }
    }

    // ---- packed, blocked product ----

    /// <summary>
    /// A is packed once for all of k (KC blocks of MR-row strips, k-major); then one parallel loop runs over work items,
    /// each a range of output columns (and, where the columns are few, a range of MC row blocks): the item packs its own
    /// B columns per KC block and runs the micro-kernel over its tiles. One fork/join per call, so a loaded machine
    /// that descheduled a thread stalls the others once, not at every block. Each output element's k order is unchanged.
    /// </summary>
    private static void Packed(bool transA, bool transB, int m, int n, int k, float* a, int lda, float* b, int ldb, float* c, int ldc, bool accumulate, bool parallel)
    {
        int nr = NR;
        string backend = Backend;
        int workers = parallel && (long)m * n * k >= 1 << 18 ? Environment.ProcessorCount : 1;
        int mStrips = (m + MR - 1) / MR;
        float[] packA = System.Buffers.ArrayPool<float>.Shared.Rent(mStrips * MR * k);
        try
        {
            fixed (float* pA = packA)
            {
                nint hA = (nint)pA, ha = (nint)a, hb = (nint)b, hc = (nint)c;
                // A, block pc at offset pc·mStrips·MR, strip s of it at s·MR·kc
                void PackAStrip(int s)
                {
                    int i0 = s * MR, h = Math.Min(MR, m - i0);
                    for (int pc = 0; pc < k; pc += KC)
                    {
                        int kc = Math.Min(KC, k - pc);
                        float* dst = (float*)hA + (long)pc * mStrips * MR + (long)s * MR * kc;
                        for (int kk = 0; kk < kc; kk++)
                        {
                            float* col = dst + kk * MR;
                            int kr = pc + kk;
                            if (!transA) for (int r = 0; r < h; r++) col[r] = ((float*)ha)[(long)(i0 + r) * lda + kr];
                            else { float* src = (float*)ha + (long)kr * lda + i0; for (int r = 0; r < h; r++) col[r] = src[r]; }
                            for (int r = h; r < MR; r++) col[r] = 0;
                        }
                    }
                }
                if (workers > 1 && mStrips >= 4 * workers) Parallel.For(0, mStrips, PackAStrip);
                else for (int s = 0; s < mStrips; s++) PackAStrip(s);

                // work items: column chunks of whole NR strips, split further by MC row blocks when there are few chunks
                int nStripsAll = (n + nr - 1) / nr;
                int stripsPerChunk = Math.Clamp((nStripsAll + 4 * workers - 1) / (4 * workers), 1, NC / nr);
                int nChunks = (nStripsAll + stripsPerChunk - 1) / stripsPerChunk;
                int mBlocks = (m + MC - 1) / MC;
                int mGroups = Math.Min(mBlocks, Math.Max(1, 2 * workers / nChunks)); // split rows only while the column chunks do not feed every worker twice: each row group packs the B strips again
                int blocksPerGroup = (mBlocks + mGroups - 1) / mGroups;
                mGroups = (mBlocks + blocksPerGroup - 1) / blocksPerGroup;
                int kcMax = Math.Min(KC, k);

                void Item(int item)
                {
                    int chunk = item / mGroups, grp = item % mGroups;
                    int sB0 = chunk * stripsPerChunk, sB1 = Math.Min(nStripsAll, sB0 + stripsPerChunk);
                    int ib0 = grp * blocksPerGroup, ib1 = Math.Min(mBlocks, ib0 + blocksPerGroup);
                    float[] packB = System.Buffers.ArrayPool<float>.Shared.Rent((sB1 - sB0) * nr * kcMax);
                    float* tile = stackalloc float[MR * 32];
                    try
                    {
                        fixed (float* pB = packB)
                            for (int pc = 0; pc < k; pc += KC)
                            {
                                int kc = Math.Min(KC, k - pc);
                                bool first = pc == 0 && !accumulate;
                                // B[pc..pc+kc, strips] into NR-wide strips, k-major, zero-padded
                                for (int sb = sB0; sb < sB1; sb++)
                                {
                                    float* dst = pB + (long)(sb - sB0) * nr * kc;
                                    int j0 = sb * nr, w = Math.Min(nr, n - j0);
                                    if (transB) PackTransposedStrip((float*)hb + (long)j0 * ldb + pc, ldb, w, kc, dst, nr);
                                    else
                                        for (int kk = 0; kk < kc; kk++)
                                        {
                                            float* row = dst + kk * nr, src = (float*)hb + (long)(pc + kk) * ldb + j0;
                                            for (int t = 0; t < w; t++) row[t] = src[t];
                                            for (int t = w; t < nr; t++) row[t] = 0;
                                        }
                                }
                                float* aBlock = (float*)hA + (long)pc * mStrips * MR;
                                for (int ib = ib0; ib < ib1; ib++)
                                {
                                    int sA0 = ib * (MC / MR), sA1 = Math.Min(mStrips, sA0 + MC / MR);
                                    for (int sb = sB0; sb < sB1; sb++)
                                    {
                                        float* bp = pB + (long)(sb - sB0) * nr * kc;
                                        int j0 = sb * nr, w = Math.Min(nr, n - j0);
                                        for (int sa = sA0; sa < sA1; sa++)
                                        {
                                            float* ap = aBlock + (long)sa * MR * kc;
                                            int i0 = sa * MR, h = Math.Min(MR, m - i0);
                                            float* cp = (float*)hc + (long)i0 * ldc + j0;
                                            bool full = h == MR && w == nr;
                                            float* dst = full ? cp : tile;
                                            int ldd = full ? ldc : nr;
                                            if (!full)
                                                for (int r = 0; r < MR; r++)
                                                    for (int q = 0; q < nr; q++)
                                                        tile[r * nr + q] = (!first && r < h && q < w) ? cp[(long)r * ldc + q] : 0f;
                                            switch (backend)
                                            {
                                                case "avx512": Kernel512(kc, ap, bp, dst, ldd, first && full); break;
                                                case "avx2-fma": Kernel256(kc, ap, bp, dst, ldd, first && full); break;
                                                default: KernelPortable(kc, ap, bp, dst, ldd, first && full, nr); break;
                                            }
                                            if (!full)
                                                for (int r = 0; r < h; r++)
                                                    for (int q = 0; q < w; q++) cp[(long)r * ldc + q] = tile[r * nr + q];
                                        }
                                    }
                                }
                            }
                    }
                    finally { System.Buffers.ArrayPool<float>.Shared.Return(packB); }
                }
                int items = nChunks * mGroups;
                if (workers > 1 && items > 1) Parallel.For(0, items, new ParallelOptions { MaxDegreeOfParallelism = workers }, Item);
                else for (int t = 0; t < items; t++) Item(t);
            }
        }
        finally { System.Buffers.ArrayPool<float>.Shared.Return(packA); }
    }

    /// <summary>
    /// Columns j0..j0+w of a transposed B (w rows of a [N × K] weight, kc long) into one k-major strip nr wide,
    /// zero-padded: 8×8 blocks transposed in AVX registers where the strip is full, element by element otherwise.
    /// Only copies, so the product's bits do not depend on which way a strip was packed.
    /// </summary>
    private static void PackTransposedStrip(float* src, int ldb, int w, int kc, float* dst, int nr)
    {
        int kk0 = 0;
        if (w == nr && Avx.IsSupported && !ForcePortable)
        {
            for (; kk0 + 8 <= kc; kk0 += 8)
                for (int t = 0; t < nr; t += 8)
                {
                    float* s0 = src + (long)t * ldb + kk0;
                    Transpose8x8(s0, ldb, dst + (long)kk0 * nr + t, nr);
                }
        }
        for (int kk = kk0; kk < kc; kk++)
        {
            float* row = dst + (long)kk * nr;
            for (int t = 0; t < w; t++) row[t] = src[(long)t * ldb + kk];
            for (int t = w; t < nr; t++) row[t] = 0;
        }
    }

    /// <summary>dst[r·ldd + c] = src[c·lds + r] for an 8×8 block.</summary>
    private static void Transpose8x8(float* src, int lds, float* dst, int ldd)
    {
        var r0 = Avx.LoadVector256(src); var r1 = Avx.LoadVector256(src + lds);
        var r2 = Avx.LoadVector256(src + 2 * lds); var r3 = Avx.LoadVector256(src + 3 * lds);
        var r4 = Avx.LoadVector256(src + 4 * lds); var r5 = Avx.LoadVector256(src + 5 * lds);
        var r6 = Avx.LoadVector256(src + 6 * lds); var r7 = Avx.LoadVector256(src + 7 * lds);
        var t0 = Avx.UnpackLow(r0, r1); var t1 = Avx.UnpackHigh(r0, r1);
        var t2 = Avx.UnpackLow(r2, r3); var t3 = Avx.UnpackHigh(r2, r3);
        var t4 = Avx.UnpackLow(r4, r5); var t5 = Avx.UnpackHigh(r4, r5);
        var t6 = Avx.UnpackLow(r6, r7); var t7 = Avx.UnpackHigh(r6, r7);
        var u0 = Avx.Shuffle(t0, t2, 0x44); var u1 = Avx.Shuffle(t0, t2, 0xEE);
        var u2 = Avx.Shuffle(t1, t3, 0x44); var u3 = Avx.Shuffle(t1, t3, 0xEE);
        var u4 = Avx.Shuffle(t4, t6, 0x44); var u5 = Avx.Shuffle(t4, t6, 0xEE);
        var u6 = Avx.Shuffle(t5, t7, 0x44); var u7 = Avx.Shuffle(t5, t7, 0xEE);
        Avx.Store(dst, Avx.Permute2x128(u0, u4, 0x20));
        Avx.Store(dst + ldd, Avx.Permute2x128(u1, u5, 0x20));
        Avx.Store(dst + 2 * ldd, Avx.Permute2x128(u2, u6, 0x20));
        Avx.Store(dst + 3 * ldd, Avx.Permute2x128(u3, u7, 0x20));
        Avx.Store(dst + 4 * ldd, Avx.Permute2x128(u0, u4, 0x31));
        Avx.Store(dst + 5 * ldd, Avx.Permute2x128(u1, u5, 0x31));
        Avx.Store(dst + 6 * ldd, Avx.Permute2x128(u2, u6, 0x31));
        Avx.Store(dst + 7 * ldd, Avx.Permute2x128(u3, u7, 0x31));
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Kernel256(int kc, float* a, float* b, float* c, int ldc, bool zero)
    {
        Vector256<float> c00, c01, c10, c11, c20, c21, c30, c31, c40, c41, c50, c51;
        if (zero) { c00 = c01 = c10 = c11 = c20 = c21 = c30 = c31 = c40 = c41 = c50 = c51 = Vector256<float>.Zero; }
        else
        {
            c00 = Avx.LoadVector256(c); c01 = Avx.LoadVector256(c + 8);
            c10 = Avx.LoadVector256(c + ldc); c11 = Avx.LoadVector256(c + ldc + 8);
            c20 = Avx.LoadVector256(c + 2 * ldc); c21 = Avx.LoadVector256(c + 2 * ldc + 8);
            c30 = Avx.LoadVector256(c + 3 * ldc); c31 = Avx.LoadVector256(c + 3 * ldc + 8);
            c40 = Avx.LoadVector256(c + 4 * ldc); c41 = Avx.LoadVector256(c + 4 * ldc + 8);
            c50 = Avx.LoadVector256(c + 5 * ldc); c51 = Avx.LoadVector256(c + 5 * ldc + 8);
        }
        for (int p = 0; p < kc; p++)
        {
            var b0 = Avx.LoadVector256(b); var b1 = Avx.LoadVector256(b + 8);
            Vector256<float> x;
            x = Vector256.Create(a[0]); c00 = Fma.MultiplyAdd(x, b0, c00); c01 = Fma.MultiplyAdd(x, b1, c01);
            x = Vector256.Create(a[1]); c10 = Fma.MultiplyAdd(x, b0, c10); c11 = Fma.MultiplyAdd(x, b1, c11);
            x = Vector256.Create(a[2]); c20 = Fma.MultiplyAdd(x, b0, c20); c21 = Fma.MultiplyAdd(x, b1, c21);
            x = Vector256.Create(a[3]); c30 = Fma.MultiplyAdd(x, b0, c30); c31 = Fma.MultiplyAdd(x, b1, c31);
            x = Vector256.Create(a[4]); c40 = Fma.MultiplyAdd(x, b0, c40); c41 = Fma.MultiplyAdd(x, b1, c41);
            x = Vector256.Create(a[5]); c50 = Fma.MultiplyAdd(x, b0, c50); c51 = Fma.MultiplyAdd(x, b1, c51);
            a += MR; b += 16;
        }
        Avx.Store(c, c00); Avx.Store(c + 8, c01);
        Avx.Store(c + ldc, c10); Avx.Store(c + ldc + 8, c11);
        Avx.Store(c + 2 * ldc, c20); Avx.Store(c + 2 * ldc + 8, c21);
        Avx.Store(c + 3 * ldc, c30); Avx.Store(c + 3 * ldc + 8, c31);
        Avx.Store(c + 4 * ldc, c40); Avx.Store(c + 4 * ldc + 8, c41);
        Avx.Store(c + 5 * ldc, c50); Avx.Store(c + 5 * ldc + 8, c51);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Kernel512(int kc, float* a, float* b, float* c, int ldc, bool zero)
    {
        Vector512<float> c00, c01, c10, c11, c20, c21, c30, c31, c40, c41, c50, c51;
        if (zero) { c00 = c01 = c10 = c11 = c20 = c21 = c30 = c31 = c40 = c41 = c50 = c51 = Vector512<float>.Zero; }
        else
        {
            c00 = Vector512.Load(c); c01 = Vector512.Load(c + 16);
            c10 = Vector512.Load(c + ldc); c11 = Vector512.Load(c + ldc + 16);
            c20 = Vector512.Load(c + 2 * ldc); c21 = Vector512.Load(c + 2 * ldc + 16);
            c30 = Vector512.Load(c + 3 * ldc); c31 = Vector512.Load(c + 3 * ldc + 16);
            c40 = Vector512.Load(c + 4 * ldc); c41 = Vector512.Load(c + 4 * ldc + 16);
            c50 = Vector512.Load(c + 5 * ldc); c51 = Vector512.Load(c + 5 * ldc + 16);
        }
        for (int p = 0; p < kc; p++)
        {
            var b0 = Vector512.Load(b); var b1 = Vector512.Load(b + 16);
            Vector512<float> x;
            x = Vector512.Create(a[0]); c00 = Avx512F.FusedMultiplyAdd(x, b0, c00); c01 = Avx512F.FusedMultiplyAdd(x, b1, c01);
            x = Vector512.Create(a[1]); c10 = Avx512F.FusedMultiplyAdd(x, b0, c10); c11 = Avx512F.FusedMultiplyAdd(x, b1, c11);
            x = Vector512.Create(a[2]); c20 = Avx512F.FusedMultiplyAdd(x, b0, c20); c21 = Avx512F.FusedMultiplyAdd(x, b1, c21);
            x = Vector512.Create(a[3]); c30 = Avx512F.FusedMultiplyAdd(x, b0, c30); c31 = Avx512F.FusedMultiplyAdd(x, b1, c31);
            x = Vector512.Create(a[4]); c40 = Avx512F.FusedMultiplyAdd(x, b0, c40); c41 = Avx512F.FusedMultiplyAdd(x, b1, c41);
            x = Vector512.Create(a[5]); c50 = Avx512F.FusedMultiplyAdd(x, b0, c50); c51 = Avx512F.FusedMultiplyAdd(x, b1, c51);
            a += MR; b += 32;
        }
        c00.Store(c); c01.Store(c + 16);
        c10.Store(c + ldc); c11.Store(c + ldc + 16);
        c20.Store(c + 2 * ldc); c21.Store(c + 2 * ldc + 16);
        c30.Store(c + 3 * ldc); c31.Store(c + 3 * ldc + 16);
        c40.Store(c + 4 * ldc); c41.Store(c + 4 * ldc + 16);
        c50.Store(c + 5 * ldc); c51.Store(c + 5 * ldc + 16);
    }

    private static void KernelPortable(int kc, float* a, float* b, float* c, int ldc, bool zero, int nr)
    {
        float* acc = stackalloc float[MR * 32];
        for (int r = 0; r < MR; r++)
            for (int q = 0; q < nr; q++) acc[r * nr + q] = zero ? 0f : c[(long)r * ldc + q];
        for (int p = 0; p < kc; p++)
        {
            for (int r = 0; r < MR; r++)
            {
                float x = a[r];
                float* row = acc + r * nr;
                for (int q = 0; q < nr; q++) row[q] = MathF.FusedMultiplyAdd(x, b[q], row[q]);
            }
            a += MR; b += nr;
        }
        for (int r = 0; r < MR; r++)
            for (int q = 0; q < nr; q++) c[(long)r * ldc + q] = acc[r * nr + q];
    }
}
