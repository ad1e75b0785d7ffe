using OpenLedger.Primitives.Merkle;

namespace OpenLedger.Primitives.Tests;

public class MerkleTreeTests
{
    private static readonly Address A = Address.Parse("0x1111111111111111111111111111111111111111");
    private static readonly Address B = Address.Parse("0x2222222222222222222222222222222222222222");
    private static readonly Address C = Address.Parse("0x3333333333333333333333333333333333333333");

    private static Hash256 Keccak(params byte[][] parts) => Keccak256.Compute(parts.SelectMany(p => p).ToArray());

    private static Hash256 SortedPair(Hash256 a, Hash256 b) =>
        a.CompareTo(b) <= 0 ? Keccak(a.ToArray(), b.ToArray()) : Keccak(b.ToArray(), a.ToArray());

    [Fact]
    public void Leaf_is_double_keccak_of_abi_encoded_address_and_amount()
    {
        // abi.encode(address, uint256): two 32-byte words, address left-padded, amount big-endian.
        var word0 = new byte[32];
        A.WriteTo(word0.AsSpan(12));
        var word1 = new byte[32];
        word1[30] = 0x03; word1[31] = 0xe8; // 1000
        var expected = Keccak(Keccak(word0, word1).ToArray());
        Assert.Equal(expected, StandardMerkleTree.LeafHash(A, new UInt256(1000)));
    }

    [Fact]
    public void Three_leaf_tree_matches_a_hand_built_layout()
    {
        var values = new (Address, UInt256)[] { (A, new UInt256(5)), (B, new UInt256(7)), (C, new UInt256(11)) };
        var tree = StandardMerkleTree.Of(values);

        var leaves = values.Select(v => StandardMerkleTree.LeafHash(v.Item1, v.Item2)).ToArray();
        var sorted = leaves.OrderBy(h => h).ToArray();
        // Array of 5 nodes: sorted leaves from the end backwards: [4]=s0, [3]=s1, [2]=s2; [1]=H([3],[4]); [0]=H([1],[2]).
        var n1 = SortedPair(sorted[1], sorted[0]);
        var root = SortedPair(n1, sorted[2]);
        Assert.Equal(root, tree.Root);
        Assert.Equal(new[] { root, n1, sorted[2], sorted[1], sorted[0] }, tree.Nodes);

        for (int i = 0; i < values.Length; i++)
        {
            var proof = tree.GetProof(i);
            Assert.True(MerkleProof.Verify(proof, tree.Root, leaves[i]));
            int sortedPos = Array.IndexOf(sorted, leaves[i]);
            Assert.Equal(sortedPos == 2 ? 1 : 2, proof.Length); // the lone leaf at index 2 sits one level higher
        }
    }

    [Fact]
    public void Single_leaf_tree_has_the_leaf_as_root_and_an_empty_proof()
    {
        var tree = StandardMerkleTree.Of(new[] { (A, new UInt256(1)) });
        Assert.Equal(StandardMerkleTree.LeafHash(A, new UInt256(1)), tree.Root);
        Assert.Empty(tree.GetProof(0));
    }

    [Fact]
    public void Every_proof_of_a_larger_tree_verifies_and_tampering_fails()
    {
        var values = Enumerable.Range(1, 13).Select(i =>
        {
            var bytes = new byte[20];
            bytes[19] = (byte)i; bytes[0] = (byte)(i * 37);
            return (new Address(bytes), new UInt256((ulong)i * 1_000_000_007UL));
        }).ToArray();
        var tree = StandardMerkleTree.Of(values);
        for (int i = 0; i < values.Length; i++)
        {
            var leaf = StandardMerkleTree.LeafHash(values[i].Item1, values[i].Item2);
            var proof = tree.GetProof(values[i].Item1);
            Assert.True(MerkleProof.Verify(proof, tree.Root, leaf));

            // Another amount for the same account must not verify.
            var forged = StandardMerkleTree.LeafHash(values[i].Item1, values[i].Item2 + new UInt256(1));
            Assert.False(MerkleProof.Verify(proof, tree.Root, forged));

            // Flipping one bit of any proof element breaks it.
            for (int p = 0; p < proof.Length; p++)
            {
                var bad = (Hash256[])proof.Clone();
                var bytes = bad[p].ToArray(); bytes[5] ^= 0x10; bad[p] = new Hash256(bytes);
                Assert.False(MerkleProof.Verify(bad, tree.Root, leaf));
            }
            // Dropping the last element breaks it too.
            if (proof.Length > 0) Assert.False(MerkleProof.Verify(proof[..^1], tree.Root, leaf));
        }
    }

    [Fact]
    public void Root_matches_a_vector_computed_independently_with_ethers()
    {
        // Computed with ethers v6 (its own keccak256 and AbiCoder) following @openzeppelin/merkle-tree's layout.
        var values = new (Address, UInt256)[]
        {
            (A, new UInt256(5)), (B, new UInt256(7)), (C, new UInt256(11)),
            (Address.Parse("0x4444444444444444444444444444444444444444"), UInt256.Parse("1000000000000000000000000000000")),
            (Address.Parse("0x5555555555555555555555555555555555555555"), UInt256.Zero),
        };
        Assert.Equal(Hash256.Parse("0x1b4c85300f468a0329eadc63986b5eee0dadb1d49bd134ae38b8200b8abfb004"), StandardMerkleTree.Of(values).Root);
    }

    [Fact]
    public void Root_does_not_depend_on_input_order()
    {
        var values = new (Address, UInt256)[] { (A, new UInt256(5)), (B, new UInt256(7)), (C, new UInt256(11)) };
        Assert.Equal(StandardMerkleTree.Of(values).Root, StandardMerkleTree.Of(values.Reverse().ToArray()).Root);
    }

    [Fact]
    public void Bad_input_is_rejected()
    {
        Assert.Throws<ArgumentException>(() => StandardMerkleTree.Of(Array.Empty<(Address, UInt256)>()));
        Assert.Throws<ArgumentException>(() => StandardMerkleTree.Of(new[] { (A, new UInt256(1)), (A, new UInt256(2)) }));
        var tree = StandardMerkleTree.Of(new[] { (A, new UInt256(1)) });
        Assert.Throws<KeyNotFoundException>(() => tree.GetProof(B));
        Assert.Throws<ArgumentOutOfRangeException>(() => tree.GetProof(3));
    }
}
