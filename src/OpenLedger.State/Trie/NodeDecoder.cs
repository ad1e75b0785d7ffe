using OpenLedger.Primitives;

namespace OpenLedger.State.Trie;

/// <summary>
/// Decodes a trie node from its RLP (as stored, or as carried in a proof). Strict: non-canonical
/// RLP, trailing bytes and malformed node shapes throw <see cref="InvalidTrieNodeException"/>.
/// </summary>
internal static class NodeDecoder
{
    private readonly ref struct Item(ReadOnlySpan<byte> whole, ReadOnlySpan<byte> content, bool isList)
    {
        public readonly ReadOnlySpan<byte> Whole = whole;
        public readonly ReadOnlySpan<byte> Content = content;
        public readonly bool IsList = isList;
    }

    /// <summary>
    /// The node encoded by <paramref name="rlp"/>, or null for the empty trie (0x80). Embedded children
    /// come back clean and holding their bytes; hashed children come back as unresolved hash nodes.
    /// The returned node itself is left dirty-free only by the caller, who knows its hash.
    /// </summary>
    internal static TrieNode? Decode(ReadOnlySpan<byte> rlp)
    {
        if (rlp.Length == 1 && rlp[0] == 0x80) return null;
        var item = ReadItem(rlp, out int used);
        if (used != rlp.Length) throw new InvalidTrieNodeException($"{rlp.Length - used} trailing bytes after the node");
        if (!item.IsList) throw new InvalidTrieNodeException("a trie node must be an RLP list");
        return DecodeList(item.Content);
    }

    private static TrieNode DecodeList(ReadOnlySpan<byte> payload)
    {
        var first = ReadItem(payload, out int used);
        var rest = payload[used..];
        if (rest.IsEmpty) throw new InvalidTrieNodeException("a trie node list has 1 item; expected 2 or 17");
        var second = ReadItem(rest, out used);
        rest = rest[used..];
        if (rest.IsEmpty) return DecodeShort(first, second);

        var branch = new BranchNode();
        branch.Children[0] = DecodeRef(first, 0);
        branch.Children[1] = DecodeRef(second, 1);
        for (int i = 2; i < 16; i++)
        {
            if (rest.IsEmpty) throw new InvalidTrieNodeException($"a trie node list has {i} items; expected 2 or 17");
            var child = ReadItem(rest, out used);
            rest = rest[used..];
            branch.Children[i] = DecodeRef(child, i);
        }
        if (rest.IsEmpty) throw new InvalidTrieNodeException("a branch node has 16 items; expected 17");
        var value = ReadItem(rest, out used);
        rest = rest[used..];
        if (!rest.IsEmpty) throw new InvalidTrieNodeException("a trie node list has more than 17 items");
        if (value.IsList) throw new InvalidTrieNodeException("a branch node's value must be a string");
        branch.Value = value.Content.IsEmpty ? null : value.Content.ToArray();
        return branch;
    }

    private static TrieNode DecodeShort(Item pathItem, Item second)
    {
        if (pathItem.IsList) throw new InvalidTrieNodeException("a leaf or extension path must be a string");
        var path = HexPrefix.Decode(pathItem.Content, out bool leaf);
        if (leaf)
        {
            if (second.IsList) throw new InvalidTrieNodeException("a leaf value must be a string");
            if (second.Content.IsEmpty) throw new InvalidTrieNodeException("a leaf holds an empty value");
            return new LeafNode(path, second.Content.ToArray());
        }
        if (path.Length == 0) throw new InvalidTrieNodeException("an extension has an empty path");
        var child = DecodeRef(second, -1) ?? throw new InvalidTrieNodeException("an extension has no child");
        return new ExtensionNode(path, child);
    }

    // slot: branch index for messages, -1 for an extension's child.
    private static TrieNode? DecodeRef(Item item, int slot)
    {
        if (item.IsList)
        {
            if (item.Whole.Length >= 32)
                throw new InvalidTrieNodeException($"child {slot} is embedded but {item.Whole.Length} bytes long; must be hashed");
            var node = DecodeList(item.Content);
            node.MarkClean(default, item.Whole.ToArray());
            return node;
        }
        return item.Content.Length switch
        {
            0 => null,
            32 => new HashNode(new Hash256(item.Content)),
            _ => throw new InvalidTrieNodeException($"child {slot} reference is {item.Content.Length} bytes; expected 0, 32 or an embedded node"),
        };
    }

    private static Item ReadItem(ReadOnlySpan<byte> data, out int used)
    {
        if (data.IsEmpty) throw new InvalidTrieNodeException("RLP item truncated: no bytes left");
        byte b = data[0];
        if (b < 0x80)
        {
            used = 1;
            return new Item(data[..1], data[..1], false);
        }
        bool isList = b >= 0xc0;
        int shortBase = isList ? 0xc0 : 0x80;
        int header, length;
        if (b <= shortBase + 55)
        {
            header = 1;
            length = b - shortBase;
            if (!isList && length == 1 && data.Length > 1 && data[1] < 0x80)
                throw new InvalidTrieNodeException("non-canonical RLP: a single byte below 0x80 must encode itself");
        }
        else
        {
            int lenOfLen = b - shortBase - 55;
            if (lenOfLen > 4) throw new InvalidTrieNodeException($"RLP length of {lenOfLen} bytes is too large");
            if (data.Length < 1 + lenOfLen) throw new InvalidTrieNodeException("RLP length truncated");
            if (data[1] == 0) throw new InvalidTrieNodeException("non-canonical RLP: length has a leading zero");
            long l = 0;
            for (int i = 1; i <= lenOfLen; i++) l = (l << 8) | data[i];
            if (l < 56) throw new InvalidTrieNodeException("non-canonical RLP: long form used for a length below 56");
            if (l > int.MaxValue) throw new InvalidTrieNodeException("RLP length too large");
            header = 1 + lenOfLen;
            length = (int)l;
        }
        if ((long)header + length > data.Length)
            throw new InvalidTrieNodeException($"RLP item of {length} bytes overruns the {data.Length - header} bytes available");
        used = header + length;
        return new Item(data[..used], data.Slice(header, length), isList);
    }
}
