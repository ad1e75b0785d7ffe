using System.Text;
using OpenLedger.Primitives;
using OpenLedger.State.Accounts;
using OpenLedger.State.Storage;
using OpenLedger.State.Trie;

namespace OpenLedger.State.Tests;

public class ProofTests
{
    private static byte[] B(string s) => Encoding.UTF8.GetBytes(s);

    private static (PatriciaTrie Trie, List<byte[]> Keys) RandomTrie(int count, int seed)
    {
        var rng = new Random(seed);
        var trie = new PatriciaTrie();
        var keys = new List<byte[]>();
        for (int i = 0; i < count; i++)
        {
            // Mixed key lengths and short values: proofs cross extensions, embedded nodes and branch values.
            var key = new byte[rng.Next(1, 6)];
            rng.NextBytes(key);
            key[0] &= 0x0f;
            var value = new byte[rng.Next(1, 50)];
            rng.NextBytes(value);
            trie.Set(key, value);
            keys.Add(key);
        }
        return (trie, keys);
    }

    [Fact]
    public void Proofs_of_present_keys_verify_to_their_values()
    {
        var (trie, keys) = RandomTrie(300, 1);
        var root = trie.RootHash;
        foreach (var key in keys)
        {
            var proof = trie.GetProof(key);
            Assert.NotEmpty(proof);
            Assert.Equal(root, Keccak256.Compute(proof[0]));
            Assert.Equal(trie.Get(key), PatriciaTrie.VerifyProof(root, key, proof));
        }
    }

    [Fact]
    public void Proofs_of_absent_keys_verify_to_null()
    {
        var (trie, keys) = RandomTrie(300, 2);
        var root = trie.RootHash;
        var present = keys.Select(Convert.ToHexString).ToHashSet();
        var rng = new Random(22);
        int absent = 0;
        for (int i = 0; i < 300; i++)
        {
            var key = new byte[rng.Next(0, 7)];
            rng.NextBytes(key);
            if (present.Contains(Convert.ToHexString(key))) continue;
            Assert.Null(PatriciaTrie.VerifyProof(root, key, trie.GetProof(key)));
            absent++;
        }
        Assert.True(absent > 250);
    }

    [Fact]
    public void A_proof_for_one_key_does_not_prove_another()
    {
        var (trie, keys) = RandomTrie(200, 3);
        var root = trie.RootHash;
        // The proof for keys[0] lacks the nodes on keys[1]'s path (unless they share it entirely).
        var k0 = keys[0];
        var other = keys.First(k => k[0] != k0[0]);
        Assert.Throws<InvalidProofException>(() => PatriciaTrie.VerifyProof(root, other, trie.GetProof(k0)));
    }

    [Fact]
    public void Tampering_with_any_byte_of_any_proof_node_is_detected()
    {
        var (trie, keys) = RandomTrie(200, 4);
        var root = trie.RootHash;
        var rng = new Random(44);
        int tampered = 0;
        foreach (var key in keys.Take(40))
        {
            var proof = trie.GetProof(key);
            for (int n = 0; n < proof.Count; n++)
            {
                var copy = proof.Select(p => p.ToArray()).ToList();
                copy[n][rng.Next(copy[n].Length)] ^= (byte)(1 << rng.Next(8));
                Assert.Throws<InvalidProofException>(() => PatriciaTrie.VerifyProof(root, key, copy));
                Assert.False(PatriciaTrie.TryVerifyProof(root, key, copy, out _));
                tampered++;
            }
        }
        Assert.True(tampered > 80);
    }

    [Fact]
    public void Missing_nodes_and_wrong_roots_are_detected()
    {
        var (trie, keys) = RandomTrie(200, 5);
        var root = trie.RootHash;
        var key = keys[7];
        var proof = trie.GetProof(key);
        Assert.True(proof.Count >= 2);
        Assert.Throws<InvalidProofException>(() => PatriciaTrie.VerifyProof(root, key, proof.Skip(1).ToList()));
        Assert.Throws<InvalidProofException>(() => PatriciaTrie.VerifyProof(root, key, proof.Take(proof.Count - 1).ToList()));
        Assert.Throws<InvalidProofException>(() => PatriciaTrie.VerifyProof(Keccak256.Compute(B("other root")), key, proof));
        Assert.Throws<InvalidProofException>(() => PatriciaTrie.VerifyProof(root, key, []));
    }

    [Fact]
    public void A_value_swapped_into_the_leaf_breaks_the_proof()
    {
        var trie = new PatriciaTrie();
        for (int i = 0; i < 50; i++) trie.Set(Keccak256.Compute([(byte)i]).Bytes, new byte[40]);
        var key = Keccak256.Compute([7]).ToArray();
        var proof = trie.GetProof(key);
        var root = trie.RootHash;

        // Build the leaf a liar would need: same path, different value. Its hash is not the one its parent holds.
        var liar = new PatriciaTrie();
        liar.Set(key, B("a forged value long enough to be hashed"));
        var forged = proof.Take(proof.Count - 1).Append(liar.GetProof(key)[^1]).ToList();
        Assert.Throws<InvalidProofException>(() => PatriciaTrie.VerifyProof(root, key, forged));
    }

    [Fact]
    public void Empty_trie_proves_everything_absent()
    {
        var trie = new PatriciaTrie();
        var proof = trie.GetProof(B("anything"));
        Assert.Empty(proof);
        Assert.Null(PatriciaTrie.VerifyProof(PatriciaTrie.EmptyRoot, B("anything"), proof));
    }

    [Fact]
    public void Single_small_root_is_listed_in_the_proof()
    {
        var trie = new PatriciaTrie();
        trie.Set(B("a"), B("b"));
        var proof = trie.GetProof(B("a"));
        Assert.Single(proof);
        Assert.True(proof[0].Length < 32);
        Assert.Equal(B("b"), PatriciaTrie.VerifyProof(trie.RootHash, B("a"), proof));
        Assert.Null(PatriciaTrie.VerifyProof(trie.RootHash, B("c"), proof));
    }

    [Fact]
    public void Proofs_from_a_reopened_trie_equal_proofs_from_memory()
    {
        var (memory, keys) = RandomTrie(300, 6);
        using var store = new MemoryKeyValueStore();
        var stored = new PatriciaTrie(store);
        foreach (var kv in memory.Enumerate()) stored.Set(kv.Key, kv.Value);
        var root = stored.Commit();
        var reopened = new PatriciaTrie(store, root);
        foreach (var key in keys.Take(50))
            Assert.Equal(memory.GetProof(key), reopened.GetProof(key));
    }

    [Fact]
    public void Secure_trie_proofs_verify_with_the_unhashed_key()
    {
        var trie = new SecureTrie();
        for (int i = 0; i < 100; i++) trie.Set(BitConverter.GetBytes(i), BitConverter.GetBytes(i * i));
        var proof = trie.GetProof(BitConverter.GetBytes(42));
        Assert.Equal(BitConverter.GetBytes(42 * 42), SecureTrie.VerifyProof(trie.RootHash, BitConverter.GetBytes(42), proof));
        Assert.Null(SecureTrie.VerifyProof(trie.RootHash, BitConverter.GetBytes(1000), trie.GetProof(BitConverter.GetBytes(1000))));
    }

    [Fact]
    public void Account_proofs_follow_eip1186()
    {
        using var store = new MemoryKeyValueStore();
        var state = new StateTrie(store);
        var addresses = Enumerable.Range(0, 40).Select(i => Address.FromWord(Keccak256.Compute([(byte)i]).Bytes)).ToArray();
        foreach (var (a, i) in addresses.Select((a, i) => (a, i)))
        {
            state.SetAccount(a, (ulong)i, new UInt256((ulong)i * 1000), Keccak256.EmptyHash);
            for (int s = 0; s < i % 5; s++) state.SetStorage(a, new UInt256((ulong)s), new UInt256((ulong)(s + 1) * 77));
        }
        var root = state.Commit();
        var reopened = new StateTrie(store, root);

        var rich = reopened.GetAccountProof(addresses[9], UInt256.Zero, UInt256.One, new UInt256(99));
        Assert.True(rich.Exists);
        Assert.Equal(9UL, rich.Account.Nonce);
        Assert.Equal(new UInt256(77), rich.StorageProofs[0].Value);
        Assert.Equal(new UInt256(154), rich.StorageProofs[1].Value);
        Assert.Equal(UInt256.Zero, rich.StorageProofs[2].Value);
        Assert.NotEmpty(rich.StorageProofs[2].Proof); // absence in a non-empty storage trie needs nodes
        rich.Verify(root);

        var missing = reopened.GetAccountProof(Address.Parse("0x00000000000000000000000000000000000000aa"), UInt256.One);
        Assert.False(missing.Exists);
        Assert.Equal(Account.Empty, missing.Account);
        Assert.Equal(PatriciaTrie.EmptyRoot, missing.StorageHash);
        Assert.Empty(missing.StorageProofs[0].Proof);
        missing.Verify(root);

        // Claims that differ from what the proofs prove are rejected.
        Assert.Throws<InvalidProofException>(() => (rich with { Account = rich.Account with { Nonce = 10 } }).Verify(root));
        Assert.Throws<InvalidProofException>(() => (rich with
        {
            StorageProofs = [rich.StorageProofs[0] with { Value = new UInt256(78) }],
        }).Verify(root));
        Assert.Throws<InvalidProofException>(() => (missing with { Exists = true }).Verify(root));
        Assert.Throws<InvalidProofException>(() => rich.Verify(Keccak256.Compute([1])));
    }
}
