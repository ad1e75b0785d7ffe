using System.Globalization;
using System.Text;
using System.Text.Json;
using OpenLedger.Primitives.Crypto;

namespace OpenLedger.Primitives.Signing;

/// <summary>
/// An EIP-712 typed-data document as eth_signTypedData_v4 takes it ({types, primaryType, domain, message}) and its
/// hashes: encodeType (primary type, then referenced struct types sorted by name), hashStruct, the domain separator
/// and the signing digest keccak256(0x19 0x01 || domainSeparator || hashStruct(message)). Arrays (dynamic and
/// fixed), nested structs, dynamic bytes/string (hashed) and all atomic types are supported.
/// </summary>
public sealed partial class TypedData
{
    public const string DomainType = "EIP712Domain";

    /// <summary>
    /// Caps on struct types and members per type. Real documents have a handful; encodeType lists every dependency
    /// of every hashed type, so unbounded counts would let a document demand quadratic work.
    /// </summary>
    public const int MaxTypes = 1024, MaxFieldsPerType = 1024;

    // The domain fields EIP-712 defines, in the order a missing EIP712Domain type is inferred with.
    private static readonly (string Name, string Type)[] DomainFields =
        [("name", "string"), ("version", "string"), ("chainId", "uint256"), ("verifyingContract", "address"), ("salt", "bytes32")];

    private readonly Dictionary<string, IReadOnlyList<TypedDataField>> _types;
    private readonly Dictionary<string, Hash256> _typeHashes = new(StringComparer.Ordinal);
    private readonly JsonElement _domain;
    private readonly JsonElement _message;

    public IReadOnlyDictionary<string, IReadOnlyList<TypedDataField>> Types => _types;
    public string PrimaryType { get; }

    private TypedData(Dictionary<string, IReadOnlyList<TypedDataField>> types, string primaryType, JsonElement domain, JsonElement message)
    {
        _types = types;
        PrimaryType = primaryType;
        _domain = domain;
        _message = message;
    }

    /// <summary>Parses and checks the document: every referenced type must exist, names must be unique.</summary>
    public static TypedData Parse(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(json);
        }
        catch (JsonException e)
        {
            throw new Eip712Exception("typed data is not valid JSON: " + e.Message);
        }
        using (doc)
        {
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object) throw new Eip712Exception("typed data must be a JSON object");
            var typesElement = Member(root, "types", JsonValueKind.Object);
            var primary = Member(root, "primaryType", JsonValueKind.String).GetString()!;
            var domain = Member(root, "domain", JsonValueKind.Object).Clone();
            var message = root.TryGetProperty("message", out var m) ? m.Clone() : default;

            var types = new Dictionary<string, IReadOnlyList<TypedDataField>>(StringComparer.Ordinal);
            foreach (var type in typesElement.EnumerateObject())
            {
                if (types.Count >= MaxTypes) throw new Eip712Exception($"more than {MaxTypes} struct types");
                if (types.ContainsKey(type.Name)) throw new Eip712Exception($"types.{type.Name} is declared twice");
                if (IsAtomic(type.Name) || type.Name.Contains('[') || type.Name.Length == 0)
                    throw new Eip712Exception($"\"{type.Name}\" cannot be a struct type name");
                if (type.Value.ValueKind != JsonValueKind.Array) throw new Eip712Exception($"types.{type.Name} must be an array of {{name, type}}");
                var fields = new List<TypedDataField>();
                if (type.Value.GetArrayLength() > MaxFieldsPerType) throw new Eip712Exception($"types.{type.Name} has more than {MaxFieldsPerType} members");
                foreach (var f in type.Value.EnumerateArray())
                {
                    if (f.ValueKind != JsonValueKind.Object) throw new Eip712Exception($"types.{type.Name} has a member that is not an object");
                    var field = new TypedDataField(Member(f, "name", JsonValueKind.String).GetString()!, Member(f, "type", JsonValueKind.String).GetString()!);
                    if (fields.Any(x => x.Name == field.Name)) throw new Eip712Exception($"types.{type.Name} declares \"{field.Name}\" twice");
                    fields.Add(field);
                }
                types[type.Name] = fields;
            }
            if (!types.ContainsKey(DomainType)) types[DomainType] = InferDomainType(domain);

            var data = new TypedData(types, primary, domain, message);
            foreach (var (name, fields) in types)
            foreach (var f in fields)
                data.CheckType(f.Type, $"types.{name}.{f.Name}");
            if (!types.ContainsKey(primary)) throw new Eip712Exception($"primaryType \"{primary}\" is not defined in types");
            if (primary != DomainType && message.ValueKind != JsonValueKind.Object) throw new Eip712Exception("\"message\" must be an object");
            return data;
        }
    }

    /// <summary>hashStruct(EIP712Domain, domain).</summary>
    public Hash256 DomainSeparator => HashStruct(DomainType, _domain);

    /// <summary>hashStruct(primaryType, message).</summary>
    public Hash256 MessageHash => HashStruct(PrimaryType, _message);

    /// <summary>The digest wallets sign: keccak256(0x19 0x01 || domainSeparator || hashStruct(message)); the message part is omitted when the primary type is the domain.</summary>
    public Hash256 SigningHash()
    {
        Span<byte> buffer = stackalloc byte[66];
        buffer[0] = 0x19;
        buffer[1] = 0x01;
        DomainSeparator.WriteTo(buffer[2..34]);
        if (PrimaryType == DomainType) return Keccak256.Compute(buffer[..34]);
        MessageHash.WriteTo(buffer[34..]);
        return Keccak256.Compute(buffer);
    }

    public Signature Sign(EthKey key) => key.Sign(SigningHash());

    /// <summary>"Name(type member,...)" for the type followed by every struct type it references, sorted by name.</summary>
    public string EncodeType(string type)
    {
        if (!_types.ContainsKey(type)) throw new Eip712Exception($"unknown struct type \"{type}\"");
        var deps = new SortedSet<string>(StringComparer.Ordinal);
        CollectDependencies(type, deps);
        deps.Remove(type);
        var sb = new StringBuilder();
        foreach (var name in deps.Prepend(type))
        {
            sb.Append(name).Append('(');
            sb.AppendJoin(',', _types[name].Select(f => f.Type + " " + f.Name));
            sb.Append(')');
        }
        return sb.ToString();
    }

    public Hash256 TypeHash(string type)
    {
        if (!_typeHashes.TryGetValue(type, out var hash))
            _typeHashes[type] = hash = Keccak256.Compute(Encoding.UTF8.GetBytes(EncodeType(type)));
        return hash;
    }

    /// <summary>keccak256(typeHash || encodeData(data)).</summary>
    public Hash256 HashStruct(string type, JsonElement data) => Keccak256.Compute(EncodeData(type, data));

    /// <summary>typeHash || the 32-byte encoding of each member in declaration order.</summary>
    public byte[] EncodeData(string type, JsonElement data)
    {
        if (!_types.TryGetValue(type, out var fields)) throw new Eip712Exception($"unknown struct type \"{type}\"");
        if (data.ValueKind != JsonValueKind.Object) throw new Eip712Exception($"a {type} value must be a JSON object");
        var output = new byte[32 * (1 + fields.Count)];
        TypeHash(type).WriteTo(output);
        for (int i = 0; i < fields.Count; i++)
        {
            var f = fields[i];
            if (!data.TryGetProperty(f.Name, out var value)) throw new Eip712Exception($"{type} value is missing \"{f.Name}\"");
            EncodeValue(f.Type, value, output.AsSpan(32 * (i + 1), 32), $"{type}.{f.Name}");
        }
        return output;
    }

    // A worklist rather than recursion: a hostile document may chain thousands of types.
    private void CollectDependencies(string type, SortedSet<string> found)
    {
        var pending = new Stack<string>();
        pending.Push(type);
        while (pending.TryPop(out var next))
        {
            while (TrySplitArray(next, out var element, out _)) next = element;
            if (!_types.TryGetValue(next, out var fields) || !found.Add(next)) continue;
            foreach (var f in fields) pending.Push(f.Type);
        }
    }

    private void CheckType(string type, string where)
    {
        while (TrySplitArray(type, out var element, out _)) type = element;
        if (!IsAtomic(type) && !_types.ContainsKey(type)) throw new Eip712Exception($"{where}: unknown type \"{type}\"");
    }

    /// <summary>"T[]" (length -1) or "T[k]"; false for a non-array type. Throws on a malformed suffix.</summary>
    private static bool TrySplitArray(string type, out string element, out int fixedLength)
    {
        element = type;
        fixedLength = -1;
        if (!type.EndsWith(']')) return false;
        int open = type.LastIndexOf('[');
        if (open <= 0) throw new Eip712Exception($"malformed array type \"{type}\"");
        var inner = type.AsSpan(open + 1, type.Length - open - 2);
        if (inner.Length > 0 && (!int.TryParse(inner, NumberStyles.None, CultureInfo.InvariantCulture, out fixedLength)))
            throw new Eip712Exception($"malformed array length in \"{type}\"");
        element = type[..open];
        return true;
    }

    private static bool IsAtomic(string type)
    {
        switch (type)
        {
            case "address" or "bool" or "string" or "bytes":
                return true;
        }
        if (type.StartsWith("bytes", StringComparison.Ordinal))
            return int.TryParse(type.AsSpan(5), NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n is >= 1 and <= 32 && type[5] != '0';
        var bitsText = type.StartsWith("uint", StringComparison.Ordinal) ? type.AsSpan(4) : type.StartsWith("int", StringComparison.Ordinal) ? type.AsSpan(3) : default;
        return bitsText.Length > 0 && bitsText[0] != '0'
            && int.TryParse(bitsText, NumberStyles.None, CultureInfo.InvariantCulture, out var bits) && bits is >= 8 and <= 256 && bits % 8 == 0;
    }

    private static List<TypedDataField> InferDomainType(JsonElement domain)
    {
        foreach (var p in domain.EnumerateObject())
            if (!DomainFields.Any(f => f.Name == p.Name))
                throw new Eip712Exception($"domain field \"{p.Name}\" is not a standard one; declare types.EIP712Domain");
        return DomainFields.Where(f => domain.TryGetProperty(f.Name, out _)).Select(f => new TypedDataField(f.Name, f.Type)).ToList();
    }

    private static JsonElement Member(JsonElement obj, string name, JsonValueKind kind)
    {
        if (!obj.TryGetProperty(name, out var v)) throw new Eip712Exception($"missing \"{name}\"");
        if (v.ValueKind != kind) throw new Eip712Exception($"\"{name}\" must be a JSON {kind.ToString().ToLowerInvariant()}");
        return v;
    }
}
