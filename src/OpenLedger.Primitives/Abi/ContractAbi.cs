using System.Text.Json;

namespace OpenLedger.Primitives.Abi;

/// <summary>A contract's ABI (functions with overloads, events, errors, constructor), read from the JSON ABI or a forge artifact.</summary>
public sealed class ContractAbi
{
    public IReadOnlyList<AbiFunction> Functions { get; }
    public IReadOnlyList<AbiEvent> Events { get; }
    public IReadOnlyList<AbiError> Errors { get; }
    public AbiConstructor Constructor { get; }
    public bool HasReceive { get; }
    public bool HasFallback { get; }

    public ContractAbi(IReadOnlyList<AbiFunction> functions, IReadOnlyList<AbiEvent> events, IReadOnlyList<AbiError> errors,
        AbiConstructor? constructor = null, bool hasReceive = false, bool hasFallback = false)
    {
        Functions = functions;
        Events = events;
        Errors = errors;
        Constructor = constructor ?? new AbiConstructor(Array.Empty<AbiParameter>());
        HasReceive = hasReceive;
        HasFallback = hasFallback;
    }

    /// <summary>The only function called <paramref name="name"/>, or the one whose signature is <paramref name="name"/> (e.g. "sum(uint256,uint256)").</summary>
    public AbiFunction Function(string name)
    {
        if (name.Contains('('))
        {
            var sig = AbiFunction.SplitSignature(name);
            var canonical = sig.Name + "(" + string.Join(",", sig.Types.Select(t => t.CanonicalName)) + ")";
            return Functions.FirstOrDefault(f => f.Signature == canonical) ?? throw new AbiException($"no function {canonical} in the ABI");
        }
        var matches = Functions.Where(f => f.Name == name).ToArray();
        return matches.Length switch
        {
            1 => matches[0],
            0 => throw new AbiException($"no function named {name} in the ABI"),
            _ => throw new AbiException($"{name} is overloaded ({string.Join(", ", matches.Select(f => f.Signature))}); give the signature"),
        };
    }

    /// <summary>The overload of <paramref name="name"/> taking <paramref name="argumentCount"/> arguments, when that picks exactly one.</summary>
    public AbiFunction Function(string name, int argumentCount)
    {
        var matches = Functions.Where(f => f.Name == name && f.Inputs.Count == argumentCount).ToArray();
        return matches.Length == 1 ? matches[0]
            : throw new AbiException(matches.Length == 0 ? $"no function {name} with {argumentCount} arguments" : $"{name} with {argumentCount} arguments is ambiguous; give the signature");
    }

    public AbiFunction? FunctionBySelector(ReadOnlySpan<byte> selector)
    {
        foreach (var f in Functions) if (selector.Length >= 4 && selector[..4].SequenceEqual(f.Selector)) return f;
        return null;
    }

    /// <summary>The event called <paramref name="name"/>, or with that signature when the name is overloaded.</summary>
    public AbiEvent Event(string name) => Single(Events, name, "event");

    public AbiEvent? EventByTopic(Hash256 topic0) => Events.FirstOrDefault(e => !e.Anonymous && e.Topic0 == topic0);

    public AbiError Error(string name) => Single(Errors, name, "error");

    private static T Single<T>(IReadOnlyList<T> members, string name, string what) where T : AbiMember
    {
        var matches = members.Where(m => m.Name == name || m.Signature == name).ToArray();
        return matches.Length switch
        {
            1 => matches[0],
            0 => throw new AbiException($"no {what} named {name} in the ABI"),
            _ => throw new AbiException($"{what} {name} is overloaded ({string.Join(", ", matches.Select(m => m.Signature))}); give the signature"),
        };
    }

    /// <summary>Decodes a log whose first topic matches one of this ABI's events; null when none matches.</summary>
    public DecodedEvent? TryDecodeLog(IReadOnlyList<Hash256> topics, ReadOnlySpan<byte> data) =>
        topics.Count > 0 && EventByTopic(topics[0]) is { } ev ? ev.Decode(topics, data) : null;

    /// <summary>Decodes revert data against Error(string), Panic(uint256) and this ABI's custom errors.</summary>
    public RevertReason DecodeRevert(ReadOnlySpan<byte> data) => RevertReason.Decode(data, Errors);

    /// <summary>Parses a JSON ABI (the array solc and forge emit).</summary>
    public static ContractAbi Parse(string json)
    {
        try
        {
            using var doc = JsonDocument.Parse(json);
            return FromJson(doc.RootElement);
        }
        catch (JsonException e) { throw new AbiException("ABI is not valid JSON: " + e.Message, e); }
    }

    public static ContractAbi FromJson(JsonElement abi)
    {
        if (abi.ValueKind != JsonValueKind.Array) throw new AbiException($"ABI JSON must be an array, not {abi.ValueKind}");
        var functions = new List<AbiFunction>();
        var events = new List<AbiEvent>();
        var errors = new List<AbiError>();
        AbiConstructor? ctor = null;
        bool receive = false, fallback = false;
        var index = 0;
        foreach (var item in abi.EnumerateArray())
        {
            var where = $"ABI entry {index++}";
            if (item.ValueKind != JsonValueKind.Object) throw new AbiException($"{where} is not an object");
            var kind = item.TryGetProperty("type", out var k) ? k.GetString() ?? "function" : "function";
            var mutability = item.TryGetProperty("stateMutability", out var m) && m.ValueKind == JsonValueKind.String ? m.GetString()! : "nonpayable";
            switch (kind)
            {
                case "function":
                    functions.Add(new AbiFunction(Name(item, where), Params(item, "inputs", where), Params(item, "outputs", where), mutability));
                    break;
                case "event":
                    events.Add(new AbiEvent(Name(item, where), Params(item, "inputs", where),
                        item.TryGetProperty("anonymous", out var a) && a.ValueKind == JsonValueKind.True));
                    break;
                case "error":
                    errors.Add(new AbiError(Name(item, where), Params(item, "inputs", where)));
                    break;
                case "constructor":
                    ctor = new AbiConstructor(Params(item, "inputs", where), mutability);
                    break;
                case "receive": receive = true; break;
                case "fallback": fallback = true; break;
                default: throw new AbiException($"{where} has unknown type \"{kind}\"");
            }
        }
        return new ContractAbi(functions, events, errors, ctor, receive, fallback);
    }

    private static string Name(JsonElement item, string where) =>
        item.TryGetProperty("name", out var n) && n.ValueKind == JsonValueKind.String && n.GetString() is { Length: > 0 } s
            ? s : throw new AbiException($"{where} has no name");

    private static AbiParameter[] Params(JsonElement item, string property, string where)
    {
        if (!item.TryGetProperty(property, out var list) || list.ValueKind == JsonValueKind.Null) return [];
        if (list.ValueKind != JsonValueKind.Array) throw new AbiException($"{where}: \"{property}\" is not an array");
        return list.EnumerateArray().Select((p, i) => Param(p, $"{where} {property}[{i}]", 0)).ToArray();
    }

    private static AbiParameter Param(JsonElement p, string where, int depth)
    {
        if (depth > 64) throw new AbiException($"{where}: tuple components nest too deep");
        if (p.ValueKind != JsonValueKind.Object) throw new AbiException($"{where} is not an object");
        var name = p.TryGetProperty("name", out var n) && n.ValueKind == JsonValueKind.String ? n.GetString()! : "";
        var typeText = p.TryGetProperty("type", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString()! : throw new AbiException($"{where} has no type");
        var indexed = p.TryGetProperty("indexed", out var ix) && ix.ValueKind == JsonValueKind.True;
        var internalType = p.TryGetProperty("internalType", out var it) && it.ValueKind == JsonValueKind.String ? it.GetString() : null;
        AbiType type;
        if (typeText.StartsWith("tuple", StringComparison.Ordinal))
        {
            // "tuple", "tuple[]", "tuple[2][]": components give the tuple, the suffix the arrays around it.
            if (!p.TryGetProperty("components", out var comps) || comps.ValueKind != JsonValueKind.Array)
                throw new AbiException($"{where}: tuple without components");
            var parts = comps.EnumerateArray().Select((c, i) => Param(c, $"{where}.components[{i}]", depth + 1)).ToArray();
            var tuple = AbiType.Tuple(parts.Select(x => x.Type).ToArray(), parts.Select(x => x.Name).ToArray());
            type = ApplySuffix(tuple, typeText[5..], where);
        }
        else type = AbiType.Parse(typeText);
        return new AbiParameter(name, type, indexed, internalType);
    }

    private static AbiType ApplySuffix(AbiType inner, string suffix, string where)
    {
        // Parse the suffix against a placeholder element, then rebuild the arrays around the tuple.
        if (suffix.Length == 0) return inner;
        var dims = new List<int>();
        var probe = AbiType.Parse("bool" + suffix);
        for (var t = probe; t.Kind is AbiKind.Array or AbiKind.FixedArray; t = t.Element!)
            dims.Add(t.Kind == AbiKind.Array ? -1 : t.Size);
        if (dims.Count == 0) throw new AbiException($"{where}: bad tuple type suffix \"{suffix}\"");
        var result = inner;
        for (var i = dims.Count - 1; i >= 0; i--)
            result = dims[i] < 0 ? AbiType.ArrayOf(result) : AbiType.FixedArrayOf(result, dims[i]);
        return result;
    }
}
