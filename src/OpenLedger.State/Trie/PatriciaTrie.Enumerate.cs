namespace OpenLedger.State.Trie;

public sealed partial class PatriciaTrie
{
    /// <summary>
    /// Every entry in ascending key order, loading stored nodes as needed (without caching them).
    /// Do not change the trie while enumerating.
    /// </summary>
    public IEnumerable<KeyValuePair<byte[], byte[]>> Enumerate()
    {
        if (_root is null) yield break;
        var stack = new Stack<(TrieNode Node, byte[] Prefix)>();
        stack.Push((_root, []));
        while (stack.Count > 0)
        {
            var (node, prefix) = stack.Pop();
            if (node is HashNode h) node = Resolve(h);
            switch (node)
            {
                case LeafNode leaf:
                    yield return new(ToKey([.. prefix, .. leaf.Path]), leaf.Value);
                    break;
                case ExtensionNode ext:
                    stack.Push((ext.Child, [.. prefix, .. ext.Path]));
                    break;
                case BranchNode branch:
                    // Push children in reverse so 0 pops first; the branch's own key sorts before all of them.
                    for (int i = 15; i >= 0; i--)
                        if (branch.Children[i] is { } c) stack.Push((c, [.. prefix, (byte)i]));
                    if (branch.Value is not null) yield return new(ToKey(prefix), branch.Value);
                    break;
            }
        }
    }

    private static byte[] ToKey(byte[] nibbles)
    {
        if ((nibbles.Length & 1) != 0)
            throw new InvalidTrieNodeException($"a value sits at an odd nibble depth {nibbles.Length}, which no byte key reaches");
        return HexPrefix.FromNibbles(nibbles);
    }
}
