using System.Buffers;

namespace OpenLedger.Evm.Execution;

/// <summary>A frame's byte-addressed memory: a pooled buffer that grows in 32-byte words and is zeroed as it grows.</summary>
public sealed class EvmMemory
{
    /// <summary>Beyond this the expansion gas could never be paid by a real transaction; treated as out of gas instead of allocating.</summary>
    public const ulong MaxSize = 0x7FFF_0000;

    private byte[] _buffer = [];

    /// <summary>Size in bytes, always a multiple of 32.</summary>
    public long Size { get; private set; }

    /// <summary>The backing buffer (at least <see cref="Size"/> bytes) for the interpreter's unchecked word loads and stores.</summary>
    internal byte[] Buffer => _buffer;

    public Span<byte> Span(long offset, long length) => _buffer.AsSpan((int)offset, (int)length);

    /// <summary>Quadratic memory cost of a size in words (Yellow Paper C_mem).</summary>
    public static long Cost(long words, GasSchedule gas)
    {
        long square = words * words;
        long d = gas.MemoryQuadDivisor;
        // The divisor is 512 in every fork: a shift instead of a 64-bit division on each expansion.
        return gas.MemoryWord * words + (d == 512 ? square >> 9 : square / d);
    }

    /// <summary>What the current size has cost (<see cref="Cost"/> of Size / 32 words), kept so an expansion computes only the new cost.</summary>
    internal long PaidCost;

    internal void Grow(long newSize)
    {
        if (newSize <= Size) return;
        if (newSize > _buffer.Length)
        {
            var next = ArrayPool<byte>.Shared.Rent((int)Math.Min((long)MaxSize, Math.Max(newSize, 2L * _buffer.Length)));
            _buffer.AsSpan(0, (int)Size).CopyTo(next);
            if (_buffer.Length > 0) ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = next;
        }
        _buffer.AsSpan((int)Size, (int)(newSize - Size)).Clear();
        Size = newSize;
    }

    internal void Reset()
    {
        if (_buffer.Length > 0) ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = [];
        Size = 0;
        PaidCost = 0;
    }
}
