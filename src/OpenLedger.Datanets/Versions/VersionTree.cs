using OpenLedger.Primitives;
using OpenLedger.Primitives.Merkle;

namespace OpenLedger.Datanets.Versions;

/// <summary>One contribution under a version root.</summary>
public sealed record VersionLeaf(long ContributionId, Hash256 ContentHash);

/// <summary>
/// A Datanet version's Merkle tree: OpenZeppelin StandardMerkleTree over <c>(uint256 contributionId, bytes32 contentHash)</c>
/// leaves, i.e. <c>StandardMerkleTree.of(values, ["uint256", "bytes32"])</c>, so
/// <c>MerkleProof.verify(proof, root, keccak256(bytes.concat(keccak256(abi.encode(id, contentHash)))))</c> holds on-chain.
/// Which contributions: the first <c>count</c> approved ones in approval order (block, log index); approvals are final,
/// so that set never changes once published.
/// </summary>
public sealed class VersionTree
{
    private readonly Hash256[] _nodes;
    private readonly int[] _treeIndex;

    public VersionTree(IReadOnlyList<VersionLeaf> leaves)
    {
        Leaves = leaves;
        var hashes = new Hash256[leaves.Count];
        for (int i = 0; i < leaves.Count; i++) hashes[i] = LeafHash(leaves[i]);
        _nodes = StandardMerkleLayout.Build(hashes, out _treeIndex);
    }

    public IReadOnlyList<VersionLeaf> Leaves { get; }

    public Hash256 Root => _nodes[0];

    public Hash256[] Proof(int index) => StandardMerkleLayout.Proof(_nodes, _treeIndex[index]);

    public static Hash256 LeafHash(VersionLeaf leaf)
    {
        Span<byte> encoded = stackalloc byte[64];
        new UInt256((ulong)leaf.ContributionId).WriteBigEndian(encoded[..32]);
        leaf.ContentHash.Bytes.CopyTo(encoded[32..]);
        var inner = Keccak256.Compute(encoded);
        return Keccak256.Compute(inner.Bytes);
    }
}
