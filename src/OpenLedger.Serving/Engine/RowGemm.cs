using OpenLedger.AI.Compute;

namespace OpenLedger.Serving.Engine;

/// <summary>
/// x·Wᵀ for decode batches, in chunks of at most <see cref="Chunk"/> rows. Gemm gives rows ≤ 8 to its fixed-order
/// dot products (<see cref="Dot.Fixed"/>) and larger M to the packed kernel, whose reduction order differs; chunking
/// keeps every row on the dot-product path, so a row's result does not depend on how many sequences share the step
/// and a batched greedy decode equals the single-sequence <c>Generator</c> bit for bit (tested).
/// </summary>
internal static class RowGemm
{
    public const int Chunk = 8;

    public static void MultiplyNT(int m, int n, int k, ReadOnlySpan<float> x, int ldx, ReadOnlySpan<float> w, int ldw,
        Span<float> y, int ldy, bool accumulate = false)
    {
        for (int r0 = 0; r0 < m; r0 += Chunk)
        {
            int rows = Math.Min(Chunk, m - r0);
            Gemm.Multiply(false, true, rows, n, k, x[(r0 * ldx)..], ldx, w, ldw, y[(r0 * ldy)..], ldy, accumulate);
        }
    }
}
