using ILGPU;
using ILGPU.Runtime;
using OpenLedger.Attribution.Scoring;
using OpenLedger.Attribution.Sketching;

namespace OpenLedger.Attribution.Gpu;

/// <summary>
/// Sketch scoring with ILGPU kernels (CUDA, or the CPU accelerator in tests). Rows are streamed to the device in
/// chunks; each chunk is scored and reduced to a per-query top k on the device, and the chunk results are merged
/// on the host under the same total order.
/// </summary>
public sealed unsafe class IlgpuScorer : IAttributionScorer
{
    private readonly IlgpuDevice _device;
    private readonly bool _ownsDevice;
    private readonly long _chunkBytes;
    private readonly Action<Index1D, ArrayView<sbyte>, ArrayView<int>, ArrayView<sbyte>, ArrayView<int>, ArrayView<long>, int, int> _dot;
    private readonly Action<Index1D, ArrayView<long>, ArrayView<ulong>, ArrayView<long>, ArrayView<ulong>, ArrayView<int>, ArrayView<int>, int, int, int, int> _segment;
    private readonly Action<Index1D, ArrayView<long>, ArrayView<ulong>, ArrayView<int>, ArrayView<int>, ArrayView<long>, ArrayView<ulong>, ArrayView<int>, ArrayView<int>, int, int> _merge;

    public IlgpuScorer(IlgpuDevice device, bool ownsDevice = false, long chunkBytes = 256L << 20)
    {
        ArgumentNullException.ThrowIfNull(device);
        if (chunkBytes <= 0) throw new ArgumentOutOfRangeException(nameof(chunkBytes));
        _device = device; _ownsDevice = ownsDevice; _chunkBytes = chunkBytes;
        var acc = device.Accelerator;
        _dot = acc.LoadAutoGroupedStreamKernel<Index1D, ArrayView<sbyte>, ArrayView<int>, ArrayView<sbyte>, ArrayView<int>, ArrayView<long>, int, int>(ScoringKernels.Dot);
        _segment = acc.LoadAutoGroupedStreamKernel<Index1D, ArrayView<long>, ArrayView<ulong>, ArrayView<long>, ArrayView<ulong>, ArrayView<int>, ArrayView<int>, int, int, int, int>(ScoringKernels.SegmentTopK);
        _merge = acc.LoadAutoGroupedStreamKernel<Index1D, ArrayView<long>, ArrayView<ulong>, ArrayView<int>, ArrayView<int>, ArrayView<long>, ArrayView<ulong>, ArrayView<int>, ArrayView<int>, int, int>(ScoringKernels.MergeTopK);
    }

    public string Name => _device.Target == IlgpuTarget.Cuda ? "ilgpu-cuda" : "ilgpu-cpu";

    public IReadOnlyList<ScoredContribution[]> Score(SketchStore store, IReadOnlyList<Sketch> queries, int k)
    {
        ScorerChecks.Validate(store, queries, k);
        var acc = _device.Accelerator;
        int qn = queries.Count, dim = store.K;
        var final = new TopK[qn];
        for (int j = 0; j < qn; j++) final[j] = new TopK(k);
        if (qn == 0 || store.Count == 0) return final.Select((t, j) => ScorerChecks.Finish(t, store, queries[j])).ToArray();

        var qFlat = new sbyte[(long)qn * dim];
        for (int j = 0; j < qn; j++) queries[j].Values.CopyTo(qFlat, (long)j * dim);
        using var qBuf = acc.Allocate1D(qFlat);
        using var qScaleBuf = acc.Allocate1D(queries.Select(q => q.Scale).ToArray());

        // Chunk so that rows and the (query × row) key matrix both stay within the budget and int indexing.
        long perRow = dim + 12 + 8L * qn;
        int chunkRows = (int)Math.Clamp(_chunkBytes / perRow, 1, int.MaxValue / Math.Max(qn, 1) / 2);
        var scales = store.Scales;
        var ids = store.ContributionIds;
        for (long start = 0; start < store.Count; start += chunkRows)
        {
            int rows = (int)Math.Min(chunkRows, store.Count - start);
            int segmentLength = Math.Max(64, k * 4);
            int segments = (rows + segmentLength - 1) / segmentLength;

            using var rowBuf = acc.Allocate1D<sbyte>((long)rows * dim);
            rowBuf.View.CopyFromCPU(ref *(store.RowsPointer + start * dim), (long)rows * dim);
            using var scaleBuf = acc.Allocate1D(scales.Slice((int)start, rows).ToArray());
            using var idBuf = acc.Allocate1D(ids.Slice((int)start, rows).ToArray());
            using var keyBuf = acc.Allocate1D<long>((long)qn * rows);
            using var segKeys = acc.Allocate1D<long>((long)qn * segments * k);
            using var segIds = acc.Allocate1D<ulong>((long)qn * segments * k);
            using var segRows = acc.Allocate1D<int>((long)qn * segments * k);
            using var segCounts = acc.Allocate1D<int>((long)qn * segments);
            using var outKeys = acc.Allocate1D<long>((long)qn * k);
            using var outIds = acc.Allocate1D<ulong>((long)qn * k);
            using var outRows = acc.Allocate1D<int>((long)qn * k);
            using var outCounts = acc.Allocate1D<int>(qn);

            _dot(qn * rows, rowBuf.View, scaleBuf.View, qBuf.View, qScaleBuf.View, keyBuf.View, rows, dim);
            _segment(qn * segments, keyBuf.View, idBuf.View, segKeys.View, segIds.View, segRows.View, segCounts.View, rows, segments, segmentLength, k);
            _merge(qn, segKeys.View, segIds.View, segRows.View, segCounts.View, outKeys.View, outIds.View, outRows.View, outCounts.View, segments, k);
            acc.Synchronize();

            var hk = outKeys.GetAsArray1D();
            var hi = outIds.GetAsArray1D();
            var hr = outRows.GetAsArray1D();
            var hc = outCounts.GetAsArray1D();
            for (int j = 0; j < qn; j++)
                for (int t = 0; t < hc[j]; t++)
                    final[j].Offer(hk[(long)j * k + t], hi[(long)j * k + t], start + hr[(long)j * k + t]);
        }
        return final.Select((t, j) => ScorerChecks.Finish(t, store, queries[j])).ToArray();
    }

    public void Dispose()
    {
        if (_ownsDevice) _device.Dispose();
    }
}
