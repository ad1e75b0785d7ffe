namespace OpenLedger.Primitives.Merkle;

/// <summary>
/// Proof checking exactly as OpenZeppelin's <c>MerkleProof.verify</c>: each step hashes the running node with the
/// proof element as a sorted pair, so a proof carries no left/right flags.
/// </summary>
public static class MerkleProof
{
    /// <summary>keccak256 of the two nodes concatenated in ascending byte order (OZ's <c>commutativeKeccak256</c>).</summary>
    public static Hash256 HashPair(in Hash256 a, in Hash256 b)
    {
        Span<byte> buf = stackalloc byte[64];
        bool aFirst = a.CompareTo(b) <= 0;
        (aFirst ? a : b).WriteTo(buf);
        (aFirst ? b : a).WriteTo(buf[32..]);
        return Keccak256.Compute(buf);
    }

    /// <summary>The root a proof leads to from a leaf (OZ's <c>processProof</c>).</summary>
    public static Hash256 ProcessProof(IReadOnlyList<Hash256> proof, in Hash256 leaf)
    {
        ArgumentNullException.ThrowIfNull(proof);
        Hash256 node = leaf;
        for (int i = 0; i < proof.Count; i++) node = HashPair(node, proof[i]);
        return node;
    }

    /// <summary>True when <paramref name="proof"/> links <paramref name="leaf"/> to <paramref name="root"/>.</summary>
    public static bool Verify(IReadOnlyList<Hash256> proof, in Hash256 root, in Hash256 leaf) => ProcessProof(proof, leaf) == root;
}
