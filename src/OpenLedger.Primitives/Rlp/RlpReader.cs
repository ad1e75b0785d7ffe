using System.Buffers.Binary;

namespace OpenLedger.Primitives.Rlp;

/// <summary>
/// Strict, allocation-free RLP decoder over a span. Rejects every non-canonical form: single bytes
/// wrapped in a string header, long headers for short payloads, leading zeros in lengths and in
/// integers, lengths that run past the input, and (via <see cref="End"/>) trailing bytes.
/// Lengths are only compared against the input still unread, never used to allocate.
/// </summary>
public ref struct RlpReader
{
    private readonly ReadOnlySpan<byte> _data;
    private readonly int _base; // offset of _data within the outermost input, for error messages
    private int _pos;

    public RlpReader(ReadOnlySpan<byte> data) : this(data, 0) { }

    private RlpReader(ReadOnlySpan<byte> data, int baseOffset)
    {
        _data = data;
        _base = baseOffset;
        _pos = 0;
    }

    /// <summary>Bytes consumed so far (relative to this reader's span).</summary>
    public readonly int Position => _pos;
    public readonly int Remaining => _data.Length - _pos;
    public readonly bool HasMore => _pos < _data.Length;

    /// <summary>Throws unless every byte has been consumed.</summary>
    public readonly void End()
    {
        if (_pos != _data.Length)
            throw new RlpException($"{_data.Length - _pos} unexpected trailing byte(s) at offset {_base + _pos}");
    }

    public readonly RlpKind PeekKind()
    {
        if (_pos >= _data.Length) throw Error("expected an item, found end of input");
        return _data[_pos] >= 0xC0 ? RlpKind.List : RlpKind.Bytes;
    }

    public readonly bool IsList => PeekKind() == RlpKind.List;

    /// <summary>Reads a byte string; the span views the input.</summary>
    public ReadOnlySpan<byte> ReadBytes()
    {
        var (kind, start, length) = ReadHeader();
        if (kind != RlpKind.Bytes) throw Error("expected a byte string, found a list", start);
        return _data.Slice(start, length);
    }

    /// <summary>Reads a byte string into a new array.</summary>
    public byte[] ReadByteArray() => ReadBytes().ToArray();

    /// <summary>Reads a list header and returns a reader over exactly its payload; this reader moves past the list.</summary>
    public RlpReader EnterList()
    {
        var (kind, start, length) = ReadHeader();
        if (kind != RlpKind.List) throw Error("expected a list, found a byte string", start);
        return new RlpReader(_data.Slice(start, length), _base + start);
    }

    /// <summary>Reads a list header and returns the payload length; the caller then reads the items in place.</summary>
    public int ReadListHeader()
    {
        var (kind, start, length) = ReadHeader();
        if (kind != RlpKind.List) throw Error("expected a list, found a byte string", start);
        _pos = start;
        return length;
    }

    /// <summary>The complete encoding (header and payload) of the next item, which is skipped.</summary>
    public ReadOnlySpan<byte> ReadRaw()
    {
        int begin = _pos;
        ReadHeader();
        return _data[begin.._pos];
    }

    public void Skip() => ReadHeader();

    /// <summary>A canonical unsigned integer of at most 8 bytes (no leading zeros; zero is the empty string).</summary>
    public ulong ReadUInt64()
    {
        var bytes = ReadIntegerBytes(8, "uint64");
        ulong v = 0;
        foreach (var b in bytes) v = (v << 8) | b;
        return v;
    }

    public uint ReadUInt32()
    {
        var bytes = ReadIntegerBytes(4, "uint32");
        uint v = 0;
        foreach (var b in bytes) v = (v << 8) | b;
        return v;
    }

    /// <summary>A canonical unsigned integer of at most 32 bytes.</summary>
    public UInt256 ReadUInt256() => UInt256.FromBigEndian(ReadIntegerBytes(32, "uint256"));

    /// <summary>Exactly 20 bytes.</summary>
    public Address ReadAddress()
    {
        int at = _pos;
        var bytes = ReadBytes();
        if (bytes.Length != Address.Length) throw Error($"address must be 20 bytes, found {bytes.Length}", at);
        return new Address(bytes);
    }

    /// <summary>Exactly 20 bytes, or the empty string for "no address" (contract creation's To).</summary>
    public Address? ReadOptionalAddress()
    {
        int at = _pos;
        var bytes = ReadBytes();
        if (bytes.IsEmpty) return null;
        if (bytes.Length != Address.Length) throw Error($"address must be 20 bytes or empty, found {bytes.Length}", at);
        return new Address(bytes);
    }

    /// <summary>Exactly 32 bytes.</summary>
    public Hash256 ReadHash()
    {
        int at = _pos;
        var bytes = ReadBytes();
        if (bytes.Length != Hash256.Length) throw Error($"hash must be 32 bytes, found {bytes.Length}", at);
        return new Hash256(bytes);
    }

    private ReadOnlySpan<byte> ReadIntegerBytes(int maxBytes, string what)
    {
        int at = _pos;
        var bytes = ReadBytes();
        if (bytes.Length > maxBytes) throw Error($"{what} too long: {bytes.Length} bytes", at);
        if (bytes.Length > 0 && bytes[0] == 0) throw Error($"{what} has a leading zero byte", at);
        return bytes;
    }

    /// <summary>Parses and validates the next header; advances past the whole item and returns its payload location.</summary>
    private (RlpKind Kind, int Start, int Length) ReadHeader()
    {
        int at = _pos;
        int remaining = _data.Length - at;
        if (remaining <= 0) throw Error("expected an item, found end of input", at);
        byte prefix = _data[at];
        if (prefix < 0x80)
        {
            _pos = at + 1;
            return (RlpKind.Bytes, at, 1);
        }
        RlpKind kind;
        int length, headerLength;
        if (prefix <= 0xB7 || (prefix >= 0xC0 && prefix <= 0xF7))
        {
            kind = prefix <= 0xB7 ? RlpKind.Bytes : RlpKind.List;
            length = prefix - (kind == RlpKind.Bytes ? 0x80 : 0xC0);
            headerLength = 1;
            if (length > remaining - 1)
                throw Error($"{KindName(kind)} of {length} bytes runs past the end of input ({remaining - 1} left)", at);
            if (kind == RlpKind.Bytes && length == 1 && _data[at + 1] < 0x80)
                throw Error($"single byte 0x{_data[at + 1]:x2} must be encoded as itself, not with a 0x81 prefix", at);
        }
        else
        {
            kind = prefix <= 0xBF ? RlpKind.Bytes : RlpKind.List;
            int lengthOfLength = prefix - (kind == RlpKind.Bytes ? 0xB7 : 0xF7);
            headerLength = 1 + lengthOfLength;
            if (lengthOfLength > remaining - 1)
                throw Error($"{KindName(kind)} length of {lengthOfLength} bytes runs past the end of input", at);
            var lenBytes = _data.Slice(at + 1, lengthOfLength);
            if (lenBytes[0] == 0) throw Error($"{KindName(kind)} length has a leading zero byte", at);
            ulong declared = 0;
            foreach (var b in lenBytes) declared = (declared << 8) | b; // at most 8 bytes: fits a ulong
            if (declared < 56)
                throw Error($"{KindName(kind)} of {declared} bytes must use the short header form", at);
            if (declared > (ulong)(remaining - headerLength))
                throw Error($"{KindName(kind)} of {declared} bytes runs past the end of input ({remaining - headerLength} left)", at);
            length = (int)declared;
        }
        int start = at + headerLength;
        _pos = start + length;
        return (kind, start, length);
    }

    private static string KindName(RlpKind kind) => kind == RlpKind.List ? "list" : "string";

    private readonly RlpException Error(string message) => Error(message, _pos);
    private readonly RlpException Error(string message, int at) => new($"RLP: {message} (offset {_base + at})");
}
