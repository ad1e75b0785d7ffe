using BenchmarkDotNet.Attributes;
using OpenLedger.Primitives;
using OpenLedger.State.Storage;
using OpenLedger.State.Trie;

namespace OpenLedger.Benchmarks;

/// <summary>
/// Merkle-Patricia trie: building a 10k-entry trie and hashing it, the incremental case a block
/// produces (a few hundred changed keys in a big trie), lookups, and committing nodes to a store.
/// Min is reported beside Mean because a shared VM's other load only ever adds time.
/// </summary>
[MemoryDiagnoser, MinColumn]
public class TrieBenchmarks
{
    private const int Count = 10_000;
    private byte[][] _keys = [];
    private byte[][] _values = [];
    private PatriciaTrie _built = new();
    private int _round;

    [GlobalSetup]
    public void Setup()
    {
        var rng = new Random(42);
        _keys = new byte[Count][];
        _values = new byte[Count][];
        for (int i = 0; i < Count; i++)
        {
            _keys[i] = new byte[32];
            rng.NextBytes(_keys[i]);
            // 70 bytes: about the size of an RLP account record.
            _values[i] = new byte[70];
            rng.NextBytes(_values[i]);
        }
        _built = new PatriciaTrie();
        for (int i = 0; i < Count; i++) _built.Set(_keys[i], _values[i]);
        _ = _built.RootHash;
    }

    [Benchmark(Baseline = true, Description = "insert 10k random keys + root hash")]
    public Hash256 InsertAndRootHash()
    {
        var trie = new PatriciaTrie();
        for (int i = 0; i < Count; i++) trie.Set(_keys[i], _values[i]);
        return trie.RootHash;
    }

    [Benchmark(Description = "secure trie: insert 10k + root hash")]
    public Hash256 SecureInsertAndRootHash()
    {
        var trie = new SecureTrie();
        for (int i = 0; i < Count; i++) trie.Set(_keys[i], _values[i]);
        return trie.RootHash;
    }

    [Benchmark(Description = "update 200 of 10k + root hash")]
    public Hash256 UpdateSomeAndRootHash()
    {
        // A different value each round so every update really dirties its path.
        _round++;
        Span<byte> value = stackalloc byte[70];
        for (int i = 0; i < 200; i++)
        {
            BitConverter.TryWriteBytes(value, _round * 1000 + i);
            _built.Set(_keys[i * 50], value);
        }
        return _built.RootHash;
    }

    [Benchmark(Description = "get 10k present keys")]
    public int Get()
    {
        int found = 0;
        for (int i = 0; i < Count; i++)
            if (_built.Get(_keys[i]) is not null) found++;
        return found;
    }

    [Benchmark(Description = "insert 10k + commit to memory store")]
    public Hash256 InsertAndCommit()
    {
        using var store = new MemoryKeyValueStore();
        var trie = new PatriciaTrie(store);
        for (int i = 0; i < Count; i++) trie.Set(_keys[i], _values[i]);
        return trie.Commit();
    }
}
