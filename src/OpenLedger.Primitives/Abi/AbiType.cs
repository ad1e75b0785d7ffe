namespace OpenLedger.Primitives.Abi;

/// <summary>A parsed Solidity ABI type. Immutable; <see cref="CanonicalName"/> is the form used in signatures.</summary>
public sealed class AbiType : IEquatable<AbiType>
{
    /// <summary>Bits for uint/int, bytes for bytes&lt;M&gt;, element count for T[k]; 0 otherwise.</summary>
    public int Size { get; }
    public AbiKind Kind { get; }
    /// <summary>Element type of T[k] and T[]; null otherwise.</summary>
    public AbiType? Element { get; }
    /// <summary>Component types of a tuple; empty otherwise.</summary>
    public IReadOnlyList<AbiType> Components { get; }
    /// <summary>Component names of a tuple read from JSON ("" where unnamed); same length as <see cref="Components"/>.</summary>
    public IReadOnlyList<string> ComponentNames { get; }
    public string CanonicalName { get; }
    /// <summary>True when the encoding goes in the tail behind an offset (bytes, string, T[], and anything containing them).</summary>
    public bool IsDynamic { get; }
    /// <summary>Bytes the value takes in the head: 32 for dynamic types, the full static size otherwise.</summary>
    public int HeadSize { get; }

    private AbiType(AbiKind kind, int size, AbiType? element, IReadOnlyList<AbiType>? components, IReadOnlyList<string>? names, string? canonicalName = null)
    {
        Kind = kind;
        Size = size;
        Element = element;
        Components = components ?? Array.Empty<AbiType>();
        ComponentNames = names ?? Components.Select(_ => "").ToArray();
        if (ComponentNames.Count != Components.Count) throw new AbiException("tuple component names and types differ in count");
        CanonicalName = canonicalName ?? kind switch
        {
            AbiKind.UInt => "uint" + size,
            AbiKind.Int => "int" + size,
            AbiKind.Address => "address",
            AbiKind.Bool => "bool",
            AbiKind.FixedBytes => "bytes" + size,
            AbiKind.Bytes => "bytes",
            AbiKind.String => "string",
            AbiKind.FixedArray => element!.CanonicalName + "[" + size + "]",
            AbiKind.Array => element!.CanonicalName + "[]",
            _ => "(" + string.Join(",", Components.Select(c => c.CanonicalName)) + ")",
        };
        IsDynamic = kind switch
        {
            AbiKind.Bytes or AbiKind.String or AbiKind.Array => true,
            AbiKind.FixedArray => element!.IsDynamic,
            AbiKind.Tuple => Components.Any(c => c.IsDynamic),
            _ => false,
        };
        if (IsDynamic) HeadSize = 32;
        else
        {
            long head = kind switch
            {
                AbiKind.FixedArray => (long)element!.HeadSize * size,
                AbiKind.Tuple => Components.Sum(c => (long)c.HeadSize),
                _ => 32,
            };
            // A static type larger than this cannot be sent to or returned from any contract; refusing it keeps offsets in int.
            if (head > 1 << 24) throw new AbiException($"static type {CanonicalName} is too large ({head} bytes)");
            HeadSize = (int)head;
        }
    }

    public static readonly AbiType UInt256 = new(AbiKind.UInt, 256, null, null, null);
    public static readonly AbiType Address = new(AbiKind.Address, 0, null, null, null);
    public static readonly AbiType Bool = new(AbiKind.Bool, 0, null, null, null);
    public static readonly AbiType Bytes = new(AbiKind.Bytes, 0, null, null, null);
    public static readonly AbiType String = new(AbiKind.String, 0, null, null, null);
    public static readonly AbiType Bytes32 = new(AbiKind.FixedBytes, 32, null, null, null);
    /// <summary>An external function reference: address || selector, encoded as bytes24 but named "function" in signatures.</summary>
    public static readonly AbiType Function = new(AbiKind.FixedBytes, 24, null, null, null, "function");

    public static AbiType UInt(int bits) => bits == 256 ? UInt256 : new(AbiKind.UInt, CheckBits(bits), null, null, null);
    public static AbiType Int(int bits) => new(AbiKind.Int, CheckBits(bits), null, null, null);
    public static AbiType FixedBytes(int length) =>
        length is >= 1 and <= 32 ? new(AbiKind.FixedBytes, length, null, null, null) : throw new AbiException($"bytes{length}: length must be 1..32");
    public static AbiType ArrayOf(AbiType element) => new(AbiKind.Array, 0, element, null, null);
    public static AbiType FixedArrayOf(AbiType element, int length) =>
        length >= 1 ? new(AbiKind.FixedArray, length, element, null, null) : throw new AbiException($"fixed array length {length} must be at least 1");
    public static AbiType Tuple(IReadOnlyList<AbiType> components, IReadOnlyList<string>? names = null) =>
        new(AbiKind.Tuple, 0, null, components.ToArray(), names?.ToArray());
    public static AbiType Tuple(params AbiType[] components) => Tuple((IReadOnlyList<AbiType>)components);

    private static int CheckBits(int bits) =>
        bits is >= 8 and <= 256 && bits % 8 == 0 ? bits : throw new AbiException($"integer width {bits} must be a multiple of 8 in 8..256");

    /// <summary>Parses a type string such as "uint256", "bytes10[2][]" or "(uint64,(bool,string)[])[3]".</summary>
    public static AbiType Parse(string type)
    {
        ArgumentNullException.ThrowIfNull(type);
        var pos = 0;
        var t = ParseAt(type, ref pos, 0);
        if (pos != type.Length) throw new AbiException($"unexpected '{type[pos]}' at {pos} in ABI type \"{type}\"");
        return t;
    }

    // Nesting is bounded so that a hostile type string cannot exhaust the stack.
    private const int MaxDepth = 64;

    private static AbiType ParseAt(string s, ref int pos, int depth)
    {
        if (depth > MaxDepth) throw new AbiException($"ABI type \"{s}\" nests deeper than {MaxDepth}");
        AbiType t;
        if (pos < s.Length && s[pos] == '(')
        {
            pos++;
            var parts = new List<AbiType>();
            if (pos < s.Length && s[pos] == ')') pos++;
            else
            {
                while (true)
                {
                    parts.Add(ParseAt(s, ref pos, depth + 1));
                    if (pos >= s.Length) throw new AbiException($"unterminated tuple in ABI type \"{s}\"");
                    if (s[pos] == ',') { pos++; continue; }
                    if (s[pos] == ')') { pos++; break; }
                    throw new AbiException($"unexpected '{s[pos]}' at {pos} in ABI type \"{s}\"");
                }
            }
            t = Tuple(parts);
        }
        else
        {
            var start = pos;
            while (pos < s.Length && char.IsAsciiLetterOrDigit(s[pos])) pos++;
            t = Elementary(s.Substring(start, pos - start), s);
        }
        while (pos < s.Length && s[pos] == '[')
        {
            // Each dimension is a level of recursion when encoding and decoding, so it counts against the same depth limit.
            if (++depth > MaxDepth) throw new AbiException($"ABI type \"{s}\" nests deeper than {MaxDepth}");
            var close = s.IndexOf(']', pos);
            if (close < 0) throw new AbiException($"unterminated array suffix in ABI type \"{s}\"");
            var inner = s.AsSpan(pos + 1, close - pos - 1);
            if (inner.Length == 0) t = ArrayOf(t);
            else if (inner.Length <= 9 && inner[0] != '0' && int.TryParse(inner, System.Globalization.NumberStyles.None, null, out var k))
                t = FixedArrayOf(t, k);
            else throw new AbiException($"bad array length \"{inner}\" in ABI type \"{s}\"");
            pos = close + 1;
        }
        return t;
    }

    private static AbiType Elementary(string name, string whole)
    {
        switch (name)
        {
            case "address": return Address;
            case "bool": return Bool;
            case "bytes": return Bytes;
            case "string": return String;
            case "uint": return UInt256; // aliases are canonicalised, as the spec requires for signatures
            case "int": return Int(256);
            case "function": return Function;
        }
        if (name.StartsWith("uint", StringComparison.Ordinal) && TryWidth(name.AsSpan(4), out var u)) return UInt(u);
        if (name.StartsWith("int", StringComparison.Ordinal) && TryWidth(name.AsSpan(3), out var i)) return Int(i);
        if (name.StartsWith("bytes", StringComparison.Ordinal) && TryWidth(name.AsSpan(5), out var b)) return FixedBytes(b);
        throw new AbiException(name.Length == 0 ? $"missing type name in ABI type \"{whole}\"" : $"unknown ABI type \"{name}\" in \"{whole}\"");
    }

    private static bool TryWidth(ReadOnlySpan<char> digits, out int width)
    {
        width = 0;
        if (digits.Length is 0 or > 3 || digits[0] == '0') return false;
        return int.TryParse(digits, System.Globalization.NumberStyles.None, null, out width);
    }

    public bool Equals(AbiType? other) => other is not null && other.CanonicalName == CanonicalName;
    public override bool Equals(object? obj) => obj is AbiType t && Equals(t);
    public override int GetHashCode() => CanonicalName.GetHashCode(StringComparison.Ordinal);
    public override string ToString() => CanonicalName;
}
