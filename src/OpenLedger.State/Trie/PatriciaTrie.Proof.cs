using OpenLedger.Primitives;

namespace OpenLedger.State.Trie;

public sealed partial class PatriciaTrie
{
    /// <summary>
    /// The Merkle proof for <paramref name="key"/>: the RLP of every hashed node on the path from the
    /// root towards the key, root first (the shape of EIP-1186's accountProof and storageProof).
    /// Nodes embedded in their parent are not listed separately. Proves presence or absence; the
    /// proof of anything in the empty trie is the empty list.
    /// </summary>
    public List<byte[]> GetProof(ReadOnlySpan<byte> key)
    {
        var proof = new List<byte[]>();
        if (_root is null) return proof;
        if (_root is HashNode rh) _root = Resolve(rh);
        Hash();

        Span<byte> nibs = key.Length <= StackKeyBytes ? stackalloc byte[2 * StackKeyBytes] : new byte[2 * key.Length];
        nibs = nibs[..(2 * key.Length)];
        HexPrefix.ToNibbles(key, nibs);

        TrieNode? node = _root;
        bool isRoot = true;
        while (node is not null)
        {
            if (isRoot || node.Inline is null) proof.Add(NodeEncoder.Encode(node).ToArray());
            isRoot = false;
            switch (node)
            {
                case ExtensionNode ext when nibs.StartsWith(ext.Path):
                    nibs = nibs[ext.Path.Length..];
                    if (ext.Child is HashNode eh) ext.Child = Resolve(eh);
                    node = ext.Child;
                    break;
                case BranchNode branch when !nibs.IsEmpty:
                    ref var slot = ref branch.Children[nibs[0]];
                    if (slot is HashNode bh) slot = Resolve(bh);
                    node = slot;
                    nibs = nibs[1..];
                    break;
                default:
                    node = null; // a leaf, a diverging extension or the branch where the key ends
                    break;
            }
        }
        return proof;
    }

    /// <summary>
    /// Checks <paramref name="proof"/> against <paramref name="root"/> and returns the value it proves
    /// for <paramref name="key"/>, or null when it proves the key absent.
    /// </summary>
    /// <exception cref="InvalidProofException">The proof is incomplete, tampered with, or malformed.</exception>
    public static byte[]? VerifyProof(Hash256 root, ReadOnlySpan<byte> key, IReadOnlyList<byte[]> proof)
    {
        ArgumentNullException.ThrowIfNull(proof);
        if (root == EmptyRoot) return null; // nothing is in the empty trie, whatever the proof says

        var byHash = new Dictionary<Hash256, byte[]>(proof.Count);
        foreach (var item in proof)
        {
            if (item is null) throw new InvalidProofException("proof contains a null node");
            byHash[Keccak256.Compute(item)] = item;
        }

        Span<byte> nibs = key.Length <= StackKeyBytes ? stackalloc byte[2 * StackKeyBytes] : new byte[2 * key.Length];
        nibs = nibs[..(2 * key.Length)];
        HexPrefix.ToNibbles(key, nibs);

        int depth = 0;
        TrieNode? node = Load(byHash, root, depth);
        while (true)
        {
            if (node is HashNode h) node = Load(byHash, h.Hash, depth);
            switch (node)
            {
                case null:
                    return null;
                case LeafNode leaf:
                    return nibs.SequenceEqual(leaf.Path) ? leaf.Value : null;
                case ExtensionNode ext:
                    if (!nibs.StartsWith(ext.Path)) return null;
                    nibs = nibs[ext.Path.Length..];
                    depth += ext.Path.Length;
                    node = ext.Child;
                    break;
                case BranchNode branch:
                    if (nibs.IsEmpty) return branch.Value;
                    node = branch.Children[nibs[0]];
                    nibs = nibs[1..];
                    depth++;
                    break;
                default:
                    throw new InvalidOperationException($"unknown trie node type {node.GetType().Name}");
            }
        }
    }

    /// <summary>Like <see cref="VerifyProof"/>, but reports an invalid proof by returning false.</summary>
    public static bool TryVerifyProof(Hash256 root, ReadOnlySpan<byte> key, IReadOnlyList<byte[]> proof, out byte[]? value)
    {
        try
        {
            value = VerifyProof(root, key, proof);
            return true;
        }
        catch (InvalidProofException)
        {
            value = null;
            return false;
        }
    }

    private static TrieNode Load(Dictionary<Hash256, byte[]> byHash, Hash256 hash, int depth)
    {
        if (!byHash.TryGetValue(hash, out var rlp))
            throw new InvalidProofException($"proof lacks the node with hash {hash} at nibble depth {depth}");
        try
        {
            return NodeDecoder.Decode(rlp)
                ?? throw new InvalidProofException($"proof node {hash} at nibble depth {depth} is the empty trie");
        }
        catch (InvalidTrieNodeException e)
        {
            throw new InvalidProofException($"proof node {hash} at nibble depth {depth} is malformed: {e.Message}", e);
        }
    }
}
