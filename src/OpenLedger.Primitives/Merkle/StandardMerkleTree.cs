namespace OpenLedger.Primitives.Merkle;

/// <summary>One (account, amount) entry of a reward tree, with where its leaf sits in the tree array.</summary>
public readonly record struct MerkleEntry(Address Account, UInt256 Amount, Hash256 Leaf, int TreeIndex);

/// <summary>
/// OpenZeppelin's StandardMerkleTree for <c>(address, uint256)</c> values, node for node, so that
/// <c>MerkleProof.verify(proof, root, keccak256(bytes.concat(keccak256(abi.encode(account, amount)))))</c>
/// accepts every proof this class produces.
/// Layout: <see cref="StandardMerkleLayout"/>.
/// </summary>
public sealed class StandardMerkleTree
{
    private readonly Hash256[] _tree;
    private readonly MerkleEntry[] _entries; // in the caller's order

    private StandardMerkleTree(Hash256[] tree, MerkleEntry[] entries)
    {
        _tree = tree;
        _entries = entries;
    }

    public Hash256 Root => _tree[0];

    /// <summary>The entries in the order they were given, each with its leaf hash and tree index.</summary>
    public IReadOnlyList<MerkleEntry> Entries => _entries;

    /// <summary>The whole node array (root first), for callers that publish the tree.</summary>
    public IReadOnlyList<Hash256> Nodes => _tree;

    /// <summary>keccak256(bytes.concat(keccak256(abi.encode(account, amount)))): the double hash guards against second-preimage attacks with 64-byte internal nodes.</summary>
    public static Hash256 LeafHash(in Address account, in UInt256 amount)
    {
        Span<byte> encoded = stackalloc byte[64];
        encoded[..12].Clear();
        account.WriteTo(encoded[12..32]);
        amount.WriteBigEndian(encoded[32..]);
        Span<byte> inner = stackalloc byte[32];
        Keccak256.Hash(encoded, inner);
        return Keccak256.Compute(inner);
    }

    /// <summary>Builds the tree. At least one entry is required; duplicate accounts are rejected because a claim contract keys on the account.</summary>
    public static StandardMerkleTree Of(IReadOnlyList<(Address Account, UInt256 Amount)> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        if (values.Count == 0) throw new ArgumentException("a Merkle tree needs at least one entry", nameof(values));
        var seen = new HashSet<Address>();
        foreach (var (account, _) in values)
            if (!seen.Add(account)) throw new ArgumentException($"account {account} appears twice", nameof(values));

        int n = values.Count;
        var leaves = new Hash256[n];
        for (int i = 0; i < n; i++) leaves[i] = LeafHash(values[i].Account, values[i].Amount);
        var tree = StandardMerkleLayout.Build(leaves, out var treeIndex);
        var entries = new MerkleEntry[n];
        for (int v = 0; v < n; v++) entries[v] = new MerkleEntry(values[v].Account, values[v].Amount, leaves[v], treeIndex[v]);
        return new StandardMerkleTree(tree, entries);
    }

    /// <summary>Sibling hashes from the leaf of entry <paramref name="entryIndex"/> (caller's order) up to the root.</summary>
    public Hash256[] GetProof(int entryIndex)
    {
        if ((uint)entryIndex >= (uint)_entries.Length)
            throw new ArgumentOutOfRangeException(nameof(entryIndex), $"entry {entryIndex} does not exist; the tree has {_entries.Length}");
        return StandardMerkleLayout.Proof(_tree, _entries[entryIndex].TreeIndex);
    }

    /// <summary>Proof for an account; throws when the account is not in the tree.</summary>
    public Hash256[] GetProof(in Address account)
    {
        for (int i = 0; i < _entries.Length; i++)
            if (_entries[i].Account == account) return GetProof(i);
        throw new KeyNotFoundException($"account {account} is not in the tree");
    }
}
