using System.Text;
using OpenLedger.Primitives;
using OpenLedger.State.Storage;
using OpenLedger.State.Trie;

namespace OpenLedger.State.Tests;

public class TrieTests
{
    private static byte[] B(string s) => Encoding.UTF8.GetBytes(s);

    [Fact]
    public void Empty_root_is_keccak_of_rlp_empty_string()
    {
        Assert.Equal(Hash256.Parse("0x56e81f171bcc55a6ff8345e692c0f86e5b48e01b996cadc001622fb5e363b421"), PatriciaTrie.EmptyRoot);
        Assert.Equal(PatriciaTrie.EmptyRoot, new PatriciaTrie().RootHash);
        Assert.Equal(PatriciaTrie.EmptyRoot, new SecureTrie().RootHash);
    }

    [Theory]
    // Yellow Paper appendix C examples and the four flag combinations.
    [InlineData(new byte[] { 1, 2, 3, 4, 5 }, false, "112345")]
    [InlineData(new byte[] { 0, 1, 2, 3, 4, 5 }, false, "00012345")]
    [InlineData(new byte[] { 0, 0xf, 1, 0xc, 0xb, 8 }, true, "200f1cb8")]
    [InlineData(new byte[] { 0xf, 1, 0xc, 0xb, 8 }, true, "3f1cb8")]
    [InlineData(new byte[] { }, true, "20")]
    [InlineData(new byte[] { }, false, "00")]
    public void Hex_prefix_round_trips(byte[] nibbles, bool leaf, string hex)
    {
        Assert.Equal(hex, Convert.ToHexStringLower(HexPrefix.Encode(nibbles, leaf)));
        Assert.Equal(nibbles, HexPrefix.Decode(Convert.FromHexString(hex), out var isLeaf));
        Assert.Equal(leaf, isLeaf);
    }

    [Theory]
    [InlineData("")]
    [InlineData("40")]
    [InlineData("01")]
    [InlineData("2f")]
    public void Hex_prefix_rejects_bad_flags_and_padding(string hex) =>
        Assert.Throws<InvalidTrieNodeException>(() => HexPrefix.Decode(Convert.FromHexString(hex), out _));

    [Fact]
    public void Single_short_entry_root_is_the_hash_of_its_inline_leaf()
    {
        // rlp([hp([6,1,6,2], leaf)=0x206162, "c"]) = c5 83 20 61 62 63 -- shorter than 32 bytes but the root is still hashed.
        var trie = new PatriciaTrie();
        trie.Set(B("ab"), B("c"));
        Assert.Equal(Keccak256.Compute(Convert.FromHexString("c58320616263")), trie.RootHash);
    }

    [Fact]
    public void Set_get_overwrite_and_delete()
    {
        var trie = new PatriciaTrie();
        trie.Set(B("dog"), B("puppy"));
        trie.Set(B("do"), B("verb"));
        trie.Set(B("doge"), B("coin"));
        Assert.Equal(B("puppy"), trie.Get(B("dog")));
        Assert.Equal(B("verb"), trie.Get(B("do")));
        Assert.Null(trie.Get(B("d")));
        Assert.Null(trie.Get(B("dogs")));
        Assert.Null(trie.Get([]));
        trie.Set(B("dog"), B("hound"));
        Assert.Equal(B("hound"), trie.Get(B("dog")));
        Assert.True(trie.Delete(B("dog")));
        Assert.False(trie.Delete(B("dog")));
        Assert.Null(trie.Get(B("dog")));
        Assert.Equal(B("coin"), trie.Get(B("doge")));
        trie.Set(B("do"), []);
        Assert.Null(trie.Get(B("do")));
        Assert.True(trie.Delete(B("doge")));
        Assert.True(trie.IsEmpty);
        Assert.Equal(PatriciaTrie.EmptyRoot, trie.RootHash);
    }

    [Fact]
    public void Empty_key_and_long_keys_are_supported()
    {
        var trie = new PatriciaTrie();
        var longKey = new byte[200];
        longKey[199] = 1;
        trie.Set([], B("root value"));
        trie.Set(longKey, B("deep"));
        trie.Set(longKey.AsSpan(0, 150), B("less deep"));
        Assert.Equal(B("root value"), trie.Get([]));
        Assert.Equal(B("deep"), trie.Get(longKey));
        Assert.Equal(B("less deep"), trie.Get(longKey.AsSpan(0, 150)));
        var rebuilt = new PatriciaTrie();
        rebuilt.Set(longKey.AsSpan(0, 150), B("less deep"));
        rebuilt.Set(longKey, B("deep"));
        rebuilt.Set([], B("root value"));
        Assert.Equal(rebuilt.RootHash, trie.RootHash);
    }

    /// <summary>
    /// Random sets and deletes over keys with many shared prefixes, checked against a dictionary: after
    /// every step the root must equal that of a trie built fresh from the surviving entries, which
    /// holds only if deletes leave the trie in canonical form.
    /// </summary>
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Random_operations_match_a_dictionary_and_a_fresh_rebuild(int seed)
    {
        var rng = new Random(seed);
        byte[] alphabet = [0x00, 0x01, 0x10, 0x11, 0xff];
        var model = new Dictionary<string, byte[]>();
        var trie = new PatriciaTrie();
        for (int step = 0; step < 600; step++)
        {
            var key = new byte[rng.Next(0, 5)];
            for (int i = 0; i < key.Length; i++) key[i] = alphabet[rng.Next(alphabet.Length)];
            var hex = Convert.ToHexString(key);
            if (rng.Next(3) == 0)
            {
                Assert.Equal(model.Remove(hex), trie.Delete(key));
            }
            else
            {
                // Values from 1 to 40 bytes: both inlined and hashed nodes appear.
                var value = new byte[rng.Next(1, 41)];
                rng.NextBytes(value);
                model[hex] = value;
                trie.Set(key, value);
            }
            if (step % 20 == 0) Assert.Equal(Rebuild(model, rng).RootHash, trie.RootHash);
        }
        Assert.Equal(Rebuild(model, rng).RootHash, trie.RootHash);
        foreach (var (hex, value) in model) Assert.Equal(value, trie.Get(Convert.FromHexString(hex)));
        Assert.Equal(model.Keys.Order(StringComparer.Ordinal), trie.Enumerate().Select(kv => Convert.ToHexString(kv.Key)));
    }

    private static PatriciaTrie Rebuild(Dictionary<string, byte[]> model, Random rng)
    {
        var t = new PatriciaTrie();
        foreach (var (hex, value) in model.OrderBy(_ => rng.Next())) t.Set(Convert.FromHexString(hex), value);
        return t;
    }

    [Fact]
    public void Hashing_many_changes_at_once_gives_the_same_root_as_hashing_step_by_step()
    {
        // 6000 writes before the first hash takes the parallel path; hashing every 500 writes never does.
        var rng = new Random(11);
        var keys = Enumerable.Range(0, 6000).Select(_ => { var k = new byte[20]; rng.NextBytes(k); return k; }).ToArray();
        var bulk = new PatriciaTrie();
        var stepwise = new PatriciaTrie();
        for (int i = 0; i < keys.Length; i++)
        {
            bulk.Set(keys[i], keys[i].AsSpan(0, 1 + i % 19));
            stepwise.Set(keys[i], keys[i].AsSpan(0, 1 + i % 19));
            if (i % 500 == 0) _ = stepwise.RootHash;
        }
        var expected = stepwise.RootHash;
        Assert.Equal(expected, bulk.RootHash);
        // And the same again below an extension: every key shares a 3-byte prefix.
        var prefixed = new PatriciaTrie();
        var prefixedStepwise = new PatriciaTrie();
        foreach (var k in keys)
        {
            prefixed.Set([1, 2, 3, .. k], k);
            prefixedStepwise.Set([1, 2, 3, .. k], k);
            _ = prefixedStepwise.RootHash;
        }
        Assert.Equal(prefixedStepwise.RootHash, prefixed.RootHash);
    }

    [Fact]
    public void Setting_an_unchanged_value_keeps_the_root_and_writes_nothing()
    {
        using var store = new MemoryKeyValueStore();
        var trie = new PatriciaTrie(store);
        for (int i = 0; i < 100; i++) trie.Set(Keccak256.Compute(BitConverter.GetBytes(i)).ToArray(), BitConverter.GetBytes(i + 1));
        var root = trie.Commit();
        var reopened = new PatriciaTrie(store, root);
        reopened.Set(Keccak256.Compute(BitConverter.GetBytes(7)).ToArray(), BitConverter.GetBytes(8));
        using var batch = store.CreateBatch();
        Assert.Equal(root, reopened.Commit(batch));
        Assert.Equal(0, batch.Count);
    }

    [Fact]
    public void Commit_writes_only_new_nodes()
    {
        using var store = new MemoryKeyValueStore();
        var trie = new PatriciaTrie(store);
        var rng = new Random(9);
        var keys = new List<byte[]>();
        for (int i = 0; i < 2000; i++)
        {
            var k = new byte[32];
            rng.NextBytes(k);
            keys.Add(k);
            trie.Set(k, k);
        }
        using (var first = store.CreateBatch())
        {
            trie.Commit(first);
            Assert.True(first.Count > 2000, $"first commit wrote {first.Count} nodes");
            first.Commit();
        }
        int stored = store.Count;

        using (var none = store.CreateBatch())
        {
            trie.Commit(none);
            Assert.Equal(0, none.Count);
        }

        // One changed leaf rewrites its path: root, a few branches, the leaf. 2000 random keys are ~4 levels deep.
        trie.Set(keys[0], B("changed"));
        using (var one = store.CreateBatch())
        {
            trie.Commit(one);
            Assert.InRange(one.Count, 2, 6);
            one.Commit();
        }
        Assert.InRange(store.Count - stored, 2, 6);
    }

    [Fact]
    public void A_committed_trie_reopens_from_its_root_and_loads_nodes_lazily()
    {
        using var store = new MemoryKeyValueStore();
        var trie = new PatriciaTrie(store);
        var memory = new PatriciaTrie();
        for (int i = 0; i < 500; i++)
        {
            var k = Keccak256.Compute(BitConverter.GetBytes(i)).ToArray();
            trie.Set(k, BitConverter.GetBytes(i));
            memory.Set(k, BitConverter.GetBytes(i));
        }
        var root = trie.Commit();
        Assert.Equal(memory.RootHash, root);

        var reopened = new PatriciaTrie(store, root);
        Assert.Equal(root, reopened.RootHash);
        for (int i = 0; i < 500; i += 37)
            Assert.Equal(BitConverter.GetBytes(i), reopened.Get(Keccak256.Compute(BitConverter.GetBytes(i)).ToArray()));

        // Changes after reopening (deletes force sibling nodes to load) agree with the in-memory trie.
        for (int i = 0; i < 500; i += 3)
        {
            var k = Keccak256.Compute(BitConverter.GetBytes(i)).ToArray();
            reopened.Delete(k);
            memory.Delete(k);
        }
        reopened.Set(B("new"), B("entry"));
        memory.Set(B("new"), B("entry"));
        Assert.Equal(memory.RootHash, reopened.Commit());
        Assert.Equal(memory.Enumerate().Select(kv => Convert.ToHexString(kv.Key)),
            new PatriciaTrie(store, memory.RootHash).Enumerate().Select(kv => Convert.ToHexString(kv.Key)));
    }

    [Fact]
    public void A_trie_whose_root_is_short_still_reopens()
    {
        using var store = new MemoryKeyValueStore();
        var trie = new PatriciaTrie(store);
        trie.Set(B("a"), B("b"));
        var root = trie.Commit();
        var reopened = new PatriciaTrie(store, root);
        Assert.Equal(B("b"), reopened.Get(B("a")));
        reopened.Set(B("a2"), B("c"));
        var memory = new PatriciaTrie();
        memory.Set(B("a"), B("b"));
        memory.Set(B("a2"), B("c"));
        Assert.Equal(memory.RootHash, reopened.RootHash);
    }

    [Fact]
    public void Opening_an_unknown_root_names_the_missing_node()
    {
        using var store = new MemoryKeyValueStore();
        var root = Keccak256.Compute(B("nothing"));
        var e = Assert.Throws<MissingTrieNodeException>(() => new PatriciaTrie(store, root));
        Assert.Equal(root, e.NodeHash);
        Assert.Equal(PatriciaTrie.EmptyRoot, new PatriciaTrie(store, PatriciaTrie.EmptyRoot).RootHash);
    }

    [Fact]
    public void A_missing_inner_node_is_reported_when_reached()
    {
        using var store = new MemoryKeyValueStore();
        var trie = new PatriciaTrie(store);
        for (int i = 0; i < 64; i++) trie.Set(Keccak256.Compute(BitConverter.GetBytes(i)).ToArray(), new byte[40]);
        var root = trie.Commit();
        // Drop every stored node except the root.
        foreach (var kv in store.Iterate([]).ToList())
            if (!kv.Key.AsSpan().SequenceEqual(root.Bytes)) store.Delete(kv.Key);
        var reopened = new PatriciaTrie(store, root);
        Assert.Throws<MissingTrieNodeException>(() => reopened.Get(Keccak256.Compute(BitConverter.GetBytes(0)).ToArray()));
    }

    [Theory]
    [InlineData("c0", "no bytes left")]
    [InlineData("c3820102", "1 item")]
    [InlineData("c4820102", "overruns")]
    [InlineData("c58320616263ff", "trailing")]
    [InlineData("c24080", "flag nibble 4")]
    [InlineData("c3208100", "non-canonical")]
    [InlineData("83616263", "must be an RLP list")]
    [InlineData("c411820102", "reference is 2 bytes")]
    [InlineData("c22080", "empty value")]
    [InlineData("c20080", "empty path")]
    public void Malformed_stored_nodes_are_rejected(string hex, string reason)
    {
        using var store = new MemoryKeyValueStore();
        var bytes = Convert.FromHexString(hex);
        var hash = Keccak256.Compute(bytes);
        store.Put(hash.Bytes, bytes);
        var e = Assert.Throws<InvalidTrieNodeException>(() => new PatriciaTrie(store, hash));
        Assert.Contains(reason, e.Message);
        Assert.Contains(hash.ToString(), e.Message);
    }

    [Fact]
    public void Secure_trie_hashes_keys()
    {
        var secure = new SecureTrie();
        var plain = new PatriciaTrie();
        secure.Set(B("dog"), B("puppy"));
        plain.Set(Keccak256.Compute(B("dog")).Bytes, B("puppy"));
        Assert.Equal(plain.RootHash, secure.RootHash);
        Assert.Equal(B("puppy"), secure.Get(B("dog")));
        Assert.Null(secure.Get(Keccak256.Compute(B("dog")).Bytes));
        Assert.True(secure.Delete(B("dog")));
        Assert.Equal(PatriciaTrie.EmptyRoot, secure.RootHash);
    }
}
