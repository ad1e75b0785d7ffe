using System.Text;

namespace OpenLedger.Primitives.Abi;

/// <summary>
/// An event. Indexed elementary values (uint, int, address, bool, bytes&lt;M&gt;) are stored in topics directly;
/// indexed bytes, strings, arrays and tuples are stored as their keccak256 hash, which is all a log keeps of them, so they decode to <see cref="Hash256"/>.
/// </summary>
public sealed class AbiEvent : AbiMember
{
    public bool Anonymous { get; }
    /// <summary>keccak256(signature): the first topic of a non-anonymous event.</summary>
    public Hash256 Topic0 { get; }
    private readonly AbiType[] _dataTypes;

    public AbiEvent(string name, IReadOnlyList<AbiParameter> inputs, bool anonymous = false) : base(name, inputs)
    {
        Anonymous = anonymous;
        Topic0 = Keccak256.Compute(Encoding.UTF8.GetBytes(Signature));
        var indexed = inputs.Count(p => p.Indexed);
        if (indexed > (anonymous ? 4 : 3)) throw new AbiException($"event {Signature} has {indexed} indexed parameters; at most {(anonymous ? 4 : 3)} fit in topics");
        _dataTypes = inputs.Where(p => !p.Indexed).Select(p => p.Type).ToArray();
    }

    /// <summary>True when an indexed parameter of this type is stored as a hash rather than its value.</summary>
    public static bool IsHashedWhenIndexed(AbiType t) => t.Kind is AbiKind.Bytes or AbiKind.String or AbiKind.Array or AbiKind.FixedArray or AbiKind.Tuple;

    /// <summary>True when the log's first topic is this event's (always false for anonymous events).</summary>
    public bool Matches(IReadOnlyList<Hash256> topics) => !Anonymous && topics.Count > 0 && topics[0] == Topic0;

    /// <summary>Decodes a log into the values of all inputs in declaration order.</summary>
    public DecodedEvent Decode(IReadOnlyList<Hash256> topics, ReadOnlySpan<byte> data)
    {
        var first = Anonymous ? 0 : 1;
        if (!Anonymous && (topics.Count == 0 || topics[0] != Topic0))
            throw new AbiDecodingException($"log's first topic is not the topic of {Signature}");
        var indexedCount = Inputs.Count(p => p.Indexed);
        if (topics.Count - first != indexedCount)
            throw new AbiDecodingException($"{Signature} has {indexedCount} indexed parameters but the log has {topics.Count - first} topics for them");
        var dataValues = AbiDecoder.Decode(_dataTypes, data);
        var values = new object?[Inputs.Count];
        int t = first, d = 0;
        for (var i = 0; i < Inputs.Count; i++)
        {
            var p = Inputs[i];
            if (!p.Indexed) { values[i] = dataValues[d++]; continue; }
            var topic = topics[t++];
            values[i] = IsHashedWhenIndexed(p.Type) ? topic : AbiDecoder.Decode(p.Type, topic.Bytes);
        }
        return new DecodedEvent(this, values);
    }

    /// <summary>The topic that filters on an indexed parameter holding <paramref name="value"/> (value types directly, bytes and string hashed).</summary>
    public static Hash256 EncodeTopic(AbiType type, object? value)
    {
        switch (type.Kind)
        {
            case AbiKind.String when value is string s: return Keccak256.Compute(Encoding.UTF8.GetBytes(s));
            case AbiKind.Bytes when value is byte[] b: return Keccak256.Compute(b);
            case AbiKind.Bytes or AbiKind.String: throw new AbiException($"cannot encode {value?.GetType().Name ?? "null"} as a {type} topic");
            case AbiKind.Array or AbiKind.FixedArray or AbiKind.Tuple:
                throw new AbiException($"topics of indexed {type} values are not supported; pass the hash instead");
            default: return new Hash256(AbiEncoder.Encode(type, value));
        }
    }
}
