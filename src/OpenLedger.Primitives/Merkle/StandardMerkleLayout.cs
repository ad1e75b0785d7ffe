namespace OpenLedger.Primitives.Merkle;

/// <summary>
/// The node layout of OpenZeppelin's StandardMerkleTree for any leaf type: leaf hashes sorted ascending fill a
/// 2n-1 node array from its end backwards (leaf j at 2n-2-j), root at 0, children of i at 2i+1 and 2i+2, internal nodes
/// hashing their children as a sorted pair. <see cref="StandardMerkleTree"/> (address, uint256) and the Datanets
/// version trees (uint256, bytes32) both build on it.
/// </summary>
public static class StandardMerkleLayout
{
    /// <summary>The node array for <paramref name="leaves"/> (caller's order) and where each leaf landed.</summary>
    public static Hash256[] Build(IReadOnlyList<Hash256> leaves, out int[] treeIndex)
    {
        ArgumentNullException.ThrowIfNull(leaves);
        int n = leaves.Count;
        if (n == 0) throw new ArgumentException("a Merkle tree needs at least one leaf", nameof(leaves));
        var order = new int[n];
        for (int i = 0; i < n; i++) order[i] = i;
        Array.Sort(order, (x, y) => { int c = leaves[x].CompareTo(leaves[y]); return c != 0 ? c : x.CompareTo(y); });
        var tree = new Hash256[2 * n - 1];
        treeIndex = new int[n];
        for (int j = 0; j < n; j++)
        {
            int at = tree.Length - 1 - j;
            tree[at] = leaves[order[j]];
            treeIndex[order[j]] = at;
        }
        for (int i = tree.Length - 1 - n; i >= 0; i--)
            tree[i] = MerkleProof.HashPair(tree[2 * i + 1], tree[2 * i + 2]);
        return tree;
    }

    /// <summary>Sibling hashes from the node at <paramref name="treeIndex"/> up to the root.</summary>
    public static Hash256[] Proof(IReadOnlyList<Hash256> tree, int treeIndex)
    {
        var proof = new List<Hash256>();
        for (int i = treeIndex; i > 0; i = (i - 1) / 2)
            proof.Add(tree[i % 2 == 0 ? i - 1 : i + 1]);
        return proof.ToArray();
    }
}
