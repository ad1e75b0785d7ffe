using ILGPU;

namespace OpenLedger.Attribution.Gpu;

/// <summary>
/// ILGPU kernels for batched sketch scoring. All arithmetic is integer and the candidate order is the total order
/// (key desc, id asc), so CUDA, ILGPU-CPU and the SIMD path agree exactly.
/// </summary>
internal static class ScoringKernels
{
    /// <summary>One thread per (query, row): key = scale_row · dot(query, row), or 0 for a zero-scale query.</summary>
    public static void Dot(Index1D index, ArrayView<sbyte> rows, ArrayView<int> rowScales, ArrayView<sbyte> queries,
        ArrayView<int> queryScales, ArrayView<long> keys, int rowCount, int dim)
    {
        int q = index / rowCount, r = index - q * rowCount;
        long rb = (long)r * dim, qb = (long)q * dim;
        int sum = 0;
        for (int j = 0; j < dim; j++) sum += rows[rb + j] * queries[qb + j];
        keys[index] = queryScales[q] == 0 ? 0L : (long)rowScales[r] * sum;
    }

    /// <summary>One thread per (query, segment of rows): the segment's top k by insertion into its slice of the output.</summary>
    public static void SegmentTopK(Index1D index, ArrayView<long> keys, ArrayView<ulong> ids, ArrayView<long> outKeys,
        ArrayView<ulong> outIds, ArrayView<int> outRows, ArrayView<int> outCounts, int rowCount, int segments, int segmentLength, int k)
    {
        int q = index / segments, s = index - q * segments;
        int from = s * segmentLength, to = Math.Min(from + segmentLength, rowCount);
        long ob = (long)(int)index * k;
        int count = 0;
        for (int r = from; r < to; r++)
            count = Insert(outKeys, outIds, outRows, ob, count, k, keys[(long)q * rowCount + r], ids[r], r);
        outCounts[index] = count;
    }

    /// <summary>One thread per query: merges its segments' candidates into the final top k.</summary>
    public static void MergeTopK(Index1D q, ArrayView<long> segKeys, ArrayView<ulong> segIds, ArrayView<int> segRows,
        ArrayView<int> segCounts, ArrayView<long> outKeys, ArrayView<ulong> outIds, ArrayView<int> outRows, ArrayView<int> outCounts, int segments, int k)
    {
        long ob = (long)(int)q * k;
        int count = 0;
        for (int s = 0; s < segments; s++)
        {
            int seg = q * segments + s;
            long sb = (long)seg * k;
            for (int t = 0; t < segCounts[seg]; t++)
                count = Insert(outKeys, outIds, outRows, ob, count, k, segKeys[sb + t], segIds[sb + t], segRows[sb + t]);
        }
        outCounts[q] = count;
    }

    private static int Insert(ArrayView<long> keys, ArrayView<ulong> ids, ArrayView<int> rows, long b, int count, int k, long key, ulong id, int row)
    {
        if (count == k && !Better(key, id, keys[b + k - 1], ids[b + k - 1])) return count;
        int pos = count < k ? count++ : k - 1;
        while (pos > 0 && Better(key, id, keys[b + pos - 1], ids[b + pos - 1]))
        {
            keys[b + pos] = keys[b + pos - 1]; ids[b + pos] = ids[b + pos - 1]; rows[b + pos] = rows[b + pos - 1];
            pos--;
        }
        keys[b + pos] = key; ids[b + pos] = id; rows[b + pos] = row;
        return count;
    }

    private static bool Better(long keyA, ulong idA, long keyB, ulong idB) => keyA > keyB || (keyA == keyB && idA < idB);
}
