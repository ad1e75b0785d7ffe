namespace OpenLedger.Primitives.Rlp;

/// <summary>A decoded RLP tree: a byte string or a list of items. For generic data and tests; typed code uses RlpReader directly.</summary>
public sealed class RlpItem
{
    /// <summary>Deeper nesting is rejected so hostile input (e.g. 0xc1c1c1...) cannot exhaust the stack.</summary>
    public const int MaxDepth = 128;

    private readonly byte[]? _bytes;
    private readonly RlpItem[]? _items;
    private int _encodedLength = -1;

    private RlpItem(byte[]? bytes, RlpItem[]? items)
    {
        _bytes = bytes;
        _items = items;
    }

    public static RlpItem FromBytes(ReadOnlySpan<byte> bytes) => new(bytes.ToArray(), null);

    public static RlpItem FromUInt256(in UInt256 value) => new(value.ToBigEndianMinimal(), null);

    public static RlpItem List(params IEnumerable<RlpItem> items) => new(null, items.ToArray());

    public bool IsList => _items != null;

    /// <summary>The byte string; throws for a list.</summary>
    public ReadOnlySpan<byte> Bytes => _bytes ?? throw new InvalidOperationException("RLP item is a list, not a byte string");

    /// <summary>The items; throws for a byte string.</summary>
    public IReadOnlyList<RlpItem> Items => _items ?? throw new InvalidOperationException("RLP item is a byte string, not a list");

    public int EncodedLength
    {
        get
        {
            if (_encodedLength < 0)
            {
                if (_bytes != null) _encodedLength = Rlp.LengthOf(_bytes);
                else
                {
                    int payload = 0;
                    foreach (var item in _items!) payload = checked(payload + item.EncodedLength);
                    _encodedLength = Rlp.LengthOfList(payload);
                }
            }
            return _encodedLength;
        }
    }

    internal void WriteTo(ref RlpWriter writer)
    {
        if (_bytes != null)
        {
            writer.WriteBytes(_bytes);
            return;
        }
        int payload = 0;
        foreach (var item in _items!) payload += item.EncodedLength;
        writer.WriteListHeader(payload);
        foreach (var item in _items) item.WriteTo(ref writer);
    }

    internal static RlpItem Read(ref RlpReader reader, int depth)
    {
        if (reader.PeekKind() == RlpKind.Bytes) return new RlpItem(reader.ReadByteArray(), null);
        if (depth >= MaxDepth) throw new RlpException($"RLP: lists nested deeper than {MaxDepth} (offset {reader.Position})");
        var inner = reader.EnterList();
        var items = new List<RlpItem>();
        while (inner.HasMore) items.Add(Read(ref inner, depth + 1));
        return new RlpItem(null, items.ToArray());
    }
}
