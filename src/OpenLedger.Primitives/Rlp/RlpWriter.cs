namespace OpenLedger.Primitives.Rlp;

/// <summary>
/// RLP encoder into a caller-provided buffer. Size the buffer with <see cref="Rlp"/>'s LengthOf methods
/// (lists need their payload length up front for the header, so compute it before writing).
/// </summary>
public ref struct RlpWriter
{
    private readonly Span<byte> _buffer;
    private int _pos;

    public RlpWriter(Span<byte> buffer)
    {
        _buffer = buffer;
        _pos = 0;
    }

    public readonly int Position => _pos;
    public readonly Span<byte> Written => _buffer[.._pos];

    public void WriteBytes(scoped ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length == 1 && bytes[0] < 0x80)
        {
            Ensure(1);
            _buffer[_pos++] = bytes[0];
            return;
        }
        WriteHeader(0x80, bytes.Length);
        Ensure(bytes.Length);
        bytes.CopyTo(_buffer[_pos..]);
        _pos += bytes.Length;
    }

    /// <summary>Minimal big-endian integer (zero is the empty string 0x80).</summary>
    public void WriteUInt64(ulong value)
    {
        if (value < 0x80)
        {
            Ensure(1);
            _buffer[_pos++] = value == 0 ? (byte)0x80 : (byte)value;
            return;
        }
        Span<byte> tmp = stackalloc byte[8];
        int n = WriteMinimal(value, tmp);
        WriteBytes(tmp[(8 - n)..]);
    }

    public void WriteUInt256(in UInt256 value)
    {
        if (value.IsUlong) { WriteUInt64(value.u0); return; }
        Span<byte> tmp = stackalloc byte[32];
        int n = value.WriteBigEndianMinimal(tmp);
        WriteBytes(tmp[..n]);
    }

    public void WriteAddress(in Address address) => WriteBytes(address.Bytes);

    /// <summary>An address, or the empty string when null (contract creation).</summary>
    public void WriteOptionalAddress(Address? address)
    {
        if (address is { } a) WriteBytes(a.Bytes);
        else WriteBytes([]);
    }

    public void WriteHash(in Hash256 hash) => WriteBytes(hash.Bytes);

    public void WriteListHeader(int payloadLength) => WriteHeader(0xC0, payloadLength);

    /// <summary>Copies an already-encoded item as is.</summary>
    public void WriteRaw(scoped ReadOnlySpan<byte> encoded)
    {
        Ensure(encoded.Length);
        encoded.CopyTo(_buffer[_pos..]);
        _pos += encoded.Length;
    }

    private void WriteHeader(byte offset, int length)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        if (length < 56)
        {
            Ensure(1);
            _buffer[_pos++] = (byte)(offset + length);
            return;
        }
        Span<byte> tmp = stackalloc byte[8];
        int n = WriteMinimal((ulong)length, tmp);
        Ensure(1 + n);
        _buffer[_pos++] = (byte)(offset + 55 + n);
        tmp[(8 - n)..].CopyTo(_buffer[_pos..]);
        _pos += n;
    }

    // Big-endian bytes of value right-aligned in tmp8; returns how many are significant.
    private static int WriteMinimal(ulong value, Span<byte> tmp8)
    {
        System.Buffers.Binary.BinaryPrimitives.WriteUInt64BigEndian(tmp8, value);
        return (64 - System.Numerics.BitOperations.LeadingZeroCount(value) + 7) >> 3;
    }

    private readonly void Ensure(int count)
    {
        if (count > _buffer.Length - _pos)
            throw new InvalidOperationException($"RLP buffer too small: need {count} more byte(s) at position {_pos} of {_buffer.Length}");
    }
}
