using System.Text;
using System.Text.Json;
using OpenLedger.Primitives;
using OpenLedger.State.Storage;
using OpenLedger.State.Trie;
using OpenLedger.Tests.Shared;

namespace OpenLedger.State.Tests;

/// <summary>ethereum-tests/TrieTests: every case of every file, in memory and through a store with commit + reopen after each step.</summary>
public class TrieFixtureTests
{
    private static string Dir => Path.Combine(TestPaths.EthereumTests, "TrieTests");

    // File -> whether keys are hashed (secure trie).
    private static readonly (string File, bool Secure)[] RootFiles =
    [
        ("trietest.json", false),
        ("trietest_secureTrie.json", true),
        ("trieanyorder.json", false),
        ("trieanyorder_secureTrie.json", true),
        ("hex_encoded_securetrie_test.json", true),
    ];

    public static TheoryData<string, string> RootCases()
    {
        var data = new TheoryData<string, string>();
        foreach (var (file, _) in RootFiles)
            foreach (var prop in Load(file).EnumerateObject()) data.Add(file, prop.Name);
        return data;
    }

    // Files whose cases are sets (no order, no deletes): the root must not depend on insertion order.
    public static TheoryData<string, string> AnyOrderCases()
    {
        var data = new TheoryData<string, string>();
        foreach (var (file, _) in RootFiles.Where(f => !f.File.StartsWith("trietest", StringComparison.Ordinal)))
            foreach (var prop in Load(file).EnumerateObject()) data.Add(file, prop.Name);
        return data;
    }

    [Fact]
    public void Every_file_in_the_folder_is_covered()
    {
        var files = Directory.GetFiles(Dir, "*.json").Select(Path.GetFileName).Order().ToArray();
        var covered = RootFiles.Select(f => f.File).Append("trietestnextprev.json").Order().ToArray();
        Assert.Equal(covered, files);
        Assert.Equal(25, RootCases().Count);
        Assert.Equal(17, AnyOrderCases().Count);
    }

    [Theory]
    [MemberData(nameof(RootCases))]
    public void Root_matches_in_memory(string file, string name)
    {
        var (ops, root, secure) = Case(file, name);
        var trie = new PatriciaTrie();
        foreach (var (key, value) in ops) Apply(trie, secure, key, value);
        Assert.Equal(root, trie.RootHash);
        AssertFinalValues(trie, secure, ops);
    }

    [Theory]
    [MemberData(nameof(RootCases))]
    public void Root_matches_with_commit_and_reopen_after_every_step(string file, string name)
    {
        var (ops, root, secure) = Case(file, name);
        using var store = new MemoryKeyValueStore();
        var current = PatriciaTrie.EmptyRoot;
        foreach (var (key, value) in ops)
        {
            var trie = new PatriciaTrie(store, current);
            Apply(trie, secure, key, value);
            current = trie.Commit();
        }
        Assert.Equal(root, current);
        AssertFinalValues(new PatriciaTrie(store, current), secure, ops);
    }

    [Theory]
    [MemberData(nameof(AnyOrderCases))]
    public void Any_order_files_give_the_same_root_in_every_order(string file, string name)
    {
        var (ops, root, secure) = Case(file, name);
        var rng = new Random(name.Length * 7919 + file.Length);
        for (int round = 0; round < 8; round++)
        {
            var trie = new PatriciaTrie();
            foreach (var (key, value) in ops.OrderBy(_ => rng.Next())) Apply(trie, secure, key, value);
            Assert.Equal(root, trie.RootHash);
        }
    }

    [Fact]
    public void Next_and_previous_keys_follow_key_order()
    {
        var doc = Load("trietestnextprev.json");
        int checkedCases = 0;
        foreach (var test in doc.EnumerateObject())
        {
            var trie = new PatriciaTrie();
            foreach (var k in test.Value.GetProperty("in").EnumerateArray())
                trie.Set(Bytes(k.GetString()!), Encoding.UTF8.GetBytes("v"));
            var keys = trie.Enumerate().Select(kv => kv.Key).ToList();
            foreach (var t in test.Value.GetProperty("tests").EnumerateArray())
            {
                var probe = Bytes(t[0].GetString()!);
                var prev = keys.LastOrDefault(k => k.AsSpan().SequenceCompareTo(probe) < 0) ?? [];
                var next = keys.FirstOrDefault(k => k.AsSpan().SequenceCompareTo(probe) > 0) ?? [];
                Assert.Equal(Bytes(t[1].GetString()!), prev);
                Assert.Equal(Bytes(t[2].GetString()!), next);
                checkedCases++;
            }
        }
        Assert.Equal(12, checkedCases);
    }

    private static void Apply(PatriciaTrie trie, bool secure, byte[] key, byte[]? value)
    {
        if (secure) key = Keccak256.Compute(key).ToArray();
        if (value is null) trie.Delete(key);
        else trie.Set(key, value);
    }

    // The last write to each key decides what Get must return.
    private static void AssertFinalValues(PatriciaTrie trie, bool secure, List<(byte[] Key, byte[]? Value)> ops)
    {
        var final = new Dictionary<string, byte[]?>();
        foreach (var (key, value) in ops) final[Convert.ToHexString(key)] = value is { Length: 0 } ? null : value;
        foreach (var (hex, value) in final)
        {
            var key = Convert.FromHexString(hex);
            if (secure) key = Keccak256.Compute(key).ToArray();
            Assert.Equal(value, trie.Get(key));
        }
    }

    private static (List<(byte[] Key, byte[]? Value)> Ops, Hash256 Root, bool Secure) Case(string file, string name)
    {
        var test = Load(file).GetProperty(name);
        var ops = new List<(byte[], byte[]?)>();
        var input = test.GetProperty("in");
        if (input.ValueKind == JsonValueKind.Array)
            foreach (var pair in input.EnumerateArray())
                ops.Add((Bytes(pair[0].GetString()!), pair[1].ValueKind == JsonValueKind.Null ? null : Bytes(pair[1].GetString()!)));
        else
            foreach (var prop in input.EnumerateObject())
                ops.Add((Bytes(prop.Name), prop.Value.ValueKind == JsonValueKind.Null ? null : Bytes(prop.Value.GetString()!)));
        var secure = RootFiles.Single(f => f.File == file).Secure;
        return (ops, Hash256.Parse(test.GetProperty("root").GetString()!), secure);
    }

    // Fixture strings are hex when 0x-prefixed, raw UTF-8 otherwise.
    private static byte[] Bytes(string s) =>
        s.StartsWith("0x", StringComparison.Ordinal) ? Convert.FromHexString(s.AsSpan(2)) : Encoding.UTF8.GetBytes(s);

    private static JsonElement Load(string file)
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(Dir, file)));
        return doc.RootElement.Clone();
    }
}
