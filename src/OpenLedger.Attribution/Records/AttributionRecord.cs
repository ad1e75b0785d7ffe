using System.Buffers.Binary;
using OpenLedger.Attribution.Shares;
using OpenLedger.Attribution.Sketching;
using OpenLedger.Attribution.Spans;
using OpenLedger.Primitives;

namespace OpenLedger.Attribution.Records;

public enum AttributionMethod : byte
{
    /// <summary>Gradient-sketch similarity (small or LoRA models): the record carries the query sketch.</summary>
    GradientSketch = 1,
    /// <summary>Suffix-array span matching (large models): the record carries the matched spans.</summary>
    Spans = 2,
}

/// <summary>
/// What the prover publishes for one inference: enough to recompute the shares (the query sketch or the spans), the
/// fee paid, and the resulting shares. Its canonical encoding (see <see cref="Encode"/>) and keccak hash are what
/// the chain commits to, so the encoding is fixed byte for byte and the constructor rejects anything that does not
/// have exactly one encoding (unsorted or duplicate shares, shares not summing to 10,000).
/// </summary>
public sealed class AttributionRecord
{
    public const byte Version = 1;

    public Hash256 ModelId { get; }
    public Hash256 InferenceId { get; }
    public AttributionMethod Method { get; }
    public Sketch? QuerySketch { get; }
    public IReadOnlyList<MatchedSpan> Spans { get; }
    public UInt256 Fee { get; }
    /// <summary>Ascending by contribution id, each 1..10,000 bps, summing to 10,000; or empty when nothing was attributed.</summary>
    public IReadOnlyList<ContributionShare> Shares { get; }

    private AttributionRecord(Hash256 modelId, Hash256 inferenceId, AttributionMethod method, Sketch? sketch, IReadOnlyList<MatchedSpan> spans, UInt256 fee, IReadOnlyList<ContributionShare> shares)
    {
        ArgumentNullException.ThrowIfNull(shares);
        ulong? prev = null;
        int sum = 0;
        foreach (var s in shares)
        {
            if (prev is { } p && s.ContributionId <= p) throw new ArgumentException("shares must be in strictly ascending contribution-id order");
            if (s.BasisPoints is < 1 or > LargestRemainder.BasisPoints) throw new ArgumentException($"share of contribution {s.ContributionId} is {s.BasisPoints} bps, outside [1, 10000]");
            prev = s.ContributionId;
            sum += s.BasisPoints;
        }
        if (shares.Count > 0 && sum != LargestRemainder.BasisPoints) throw new ArgumentException($"shares sum to {sum} bps, not 10000");
        ModelId = modelId; InferenceId = inferenceId; Method = method; QuerySketch = sketch; Spans = spans; Fee = fee; Shares = shares.ToArray();
    }

    public static AttributionRecord ForSketch(Hash256 modelId, Hash256 inferenceId, Sketch querySketch, UInt256 fee, IReadOnlyList<ContributionShare> shares)
    {
        ArgumentNullException.ThrowIfNull(querySketch);
        return new(modelId, inferenceId, AttributionMethod.GradientSketch, querySketch, [], fee, shares);
    }

    public static AttributionRecord ForSpans(Hash256 modelId, Hash256 inferenceId, IReadOnlyList<MatchedSpan> spans, UInt256 fee, IReadOnlyList<ContributionShare> shares)
    {
        ArgumentNullException.ThrowIfNull(spans);
        foreach (var s in spans)
            if (s.Position < 0 || s.Length < 1 || s.Count < 1) throw new ArgumentException($"span at {s.Position} (length {s.Length}, count {s.Count}) is malformed");
        return new(modelId, inferenceId, AttributionMethod.Spans, null, spans.ToArray(), fee, shares);
    }

    /// <summary>
    /// Canonical encoding, integers big-endian:
    /// version u8 · model id 32 · inference id 32 · method u8 ·
    /// (sketch: k u32 · scale u32 · k int8) | (spans: n u32 · n × (position u32 · length u32 · count u64)) ·
    /// fee 32 (uint256) · m u32 · m × (contribution id u64 · bps u16).
    /// </summary>
    public byte[] Encode()
    {
        int body = Method == AttributionMethod.GradientSketch ? 8 + QuerySketch!.Dimension : 4 + 16 * Spans.Count;
        var buf = new byte[1 + 32 + 32 + 1 + body + 32 + 4 + 10 * Shares.Count];
        int o = 0;
        buf[o++] = Version;
        ModelId.WriteTo(buf.AsSpan(o)); o += 32;
        InferenceId.WriteTo(buf.AsSpan(o)); o += 32;
        buf[o++] = (byte)Method;
        if (Method == AttributionMethod.GradientSketch)
        {
            BinaryPrimitives.WriteUInt32BigEndian(buf.AsSpan(o), (uint)QuerySketch!.Dimension); o += 4;
            BinaryPrimitives.WriteUInt32BigEndian(buf.AsSpan(o), (uint)QuerySketch.Scale); o += 4;
            foreach (var v in QuerySketch.Values) buf[o++] = (byte)v;
        }
        else
        {
            BinaryPrimitives.WriteUInt32BigEndian(buf.AsSpan(o), (uint)Spans.Count); o += 4;
            foreach (var s in Spans)
            {
                BinaryPrimitives.WriteUInt32BigEndian(buf.AsSpan(o), (uint)s.Position); o += 4;
                BinaryPrimitives.WriteUInt32BigEndian(buf.AsSpan(o), (uint)s.Length); o += 4;
                BinaryPrimitives.WriteUInt64BigEndian(buf.AsSpan(o), (ulong)s.Count); o += 8;
            }
        }
        Fee.WriteBigEndian(buf.AsSpan(o)); o += 32;
        BinaryPrimitives.WriteUInt32BigEndian(buf.AsSpan(o), (uint)Shares.Count); o += 4;
        foreach (var s in Shares)
        {
            BinaryPrimitives.WriteUInt64BigEndian(buf.AsSpan(o), s.ContributionId); o += 8;
            BinaryPrimitives.WriteUInt16BigEndian(buf.AsSpan(o), (ushort)s.BasisPoints); o += 2;
        }
        return buf;
    }

    public Hash256 Hash() => Keccak256.Compute(Encode());

    /// <summary>Parses a canonical encoding; anything else (bad version, truncation, trailing bytes) is an error.</summary>
    public static AttributionRecord Decode(ReadOnlySpan<byte> data)
    {
        var r = new Reader(data);
        byte version = r.U8();
        if (version != Version) throw new InvalidDataException($"attribution record version {version} is not supported");
        var model = r.Hash();
        var inference = r.Hash();
        var method = (AttributionMethod)r.U8();
        AttributionRecord record;
        if (method == AttributionMethod.GradientSketch)
        {
            int k = checked((int)r.U32());
            int scale = checked((int)r.U32());
            var values = new sbyte[k];
            var bytes = r.Bytes(k);
            for (int i = 0; i < k; i++) values[i] = (sbyte)bytes[i];
            var sketch = new Sketch(values, scale);
            record = ForSketch(model, inference, sketch, r.U256(), ReadShares(ref r));
        }
        else if (method == AttributionMethod.Spans)
        {
            int n = checked((int)r.U32());
            var spans = new MatchedSpan[n];
            for (int i = 0; i < n; i++) spans[i] = new MatchedSpan(checked((int)r.U32()), checked((int)r.U32()), checked((long)r.U64()));
            record = ForSpans(model, inference, spans, r.U256(), ReadShares(ref r));
        }
        else throw new InvalidDataException($"unknown attribution method {(byte)method}");
        if (!r.AtEnd) throw new InvalidDataException("trailing bytes after the attribution record");
        return record;
    }

    private static ContributionShare[] ReadShares(ref Reader r)
    {
        int m = checked((int)r.U32());
        if (m > LargestRemainder.BasisPoints) throw new InvalidDataException($"{m} shares cannot each hold at least 1 bp");
        var shares = new ContributionShare[m];
        for (int i = 0; i < m; i++) shares[i] = new ContributionShare(r.U64(), r.U16());
        return shares;
    }

    private ref struct Reader(ReadOnlySpan<byte> data)
    {
        private readonly ReadOnlySpan<byte> _data = data;
        private int _o;
        public readonly bool AtEnd => _o == _data.Length;

        public ReadOnlySpan<byte> Bytes(int n)
        {
            if (n < 0 || _o + n > _data.Length) throw new InvalidDataException("attribution record is truncated");
            var s = _data.Slice(_o, n);
            _o += n;
            return s;
        }
        public byte U8() => Bytes(1)[0];
        public ushort U16() => BinaryPrimitives.ReadUInt16BigEndian(Bytes(2));
        public uint U32() => BinaryPrimitives.ReadUInt32BigEndian(Bytes(4));
        public ulong U64() => BinaryPrimitives.ReadUInt64BigEndian(Bytes(8));
        public Hash256 Hash() => new(Bytes(32));
        public UInt256 U256() => UInt256.FromBigEndian(Bytes(32));
    }
}
