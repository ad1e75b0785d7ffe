using ILGPU;
using ILGPU.Runtime;
using OpenLedger.Attribution.Spans;

namespace OpenLedger.Attribution.Gpu;

/// <summary>
/// Longest-match search for many output positions at once on an ILGPU accelerator. The index is unpacked to two
/// int arrays on the device once (8 bytes per token there; the 6-byte packing is for disk and host memory).
/// </summary>
public sealed class IlgpuSpanMatcher : IDisposable
{
    private readonly SuffixIndex _index;
    private readonly int _maxLength;
    private readonly MemoryBuffer1D<int, Stride1D.Dense> _sa;
    private readonly MemoryBuffer1D<int, Stride1D.Dense> _text;
    private readonly Accelerator _acc;
    private readonly Action<Index1D, ArrayView<int>, ArrayView<int>, ArrayView<int>, ArrayView<int>, ArrayView<int>, ArrayView<int>, int, int, int> _kernel;

    public IlgpuSpanMatcher(IlgpuDevice device, SuffixIndex index, int maxLength = 256)
    {
        ArgumentNullException.ThrowIfNull(device);
        ArgumentNullException.ThrowIfNull(index);
        if (maxLength <= 0) throw new ArgumentOutOfRangeException(nameof(maxLength));
        _index = index; _maxLength = maxLength; _acc = device.Accelerator;
        var (sa, text) = index.Unpack();
        _sa = _acc.Allocate1D(sa);
        _text = _acc.Allocate1D(text);
        _kernel = _acc.LoadAutoGroupedStreamKernel<Index1D, ArrayView<int>, ArrayView<int>, ArrayView<int>, ArrayView<int>, ArrayView<int>, ArrayView<int>, int, int, int>(SpanSearchKernels.LongestMatch);
    }

    public SpanMatch[] MatchAll(ReadOnlySpan<int> output)
    {
        for (int i = 0; i < output.Length; i++)
            if ((uint)output[i] >= (uint)_index.VocabularySize)
                throw new ArgumentException($"token {output[i]} at {i} is outside the vocabulary [0, {_index.VocabularySize})", nameof(output));
        if (output.Length == 0) return [];
        using var outBuf = _acc.Allocate1D(output.ToArray());
        using var len = _acc.Allocate1D<int>(output.Length);
        using var lo = _acc.Allocate1D<int>(output.Length);
        using var hi = _acc.Allocate1D<int>(output.Length);
        _kernel(output.Length, _sa.View, _text.View, outBuf.View, len.View, lo.View, hi.View, (int)_index.Length, output.Length, _maxLength);
        _acc.Synchronize();
        var l = len.GetAsArray1D(); var a = lo.GetAsArray1D(); var b = hi.GetAsArray1D();
        var result = new SpanMatch[output.Length];
        for (int p = 0; p < result.Length; p++) result[p] = new SpanMatch(p, l[p], a[p], b[p]);
        return result;
    }

    public void Dispose()
    {
        _sa.Dispose();
        _text.Dispose();
    }
}
