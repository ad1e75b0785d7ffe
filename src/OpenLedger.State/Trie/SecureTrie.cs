using OpenLedger.Primitives;
using OpenLedger.State.Storage;

namespace OpenLedger.State.Trie;

/// <summary>
/// A <see cref="PatriciaTrie"/> keyed by keccak256(key), as Ethereum's state and storage tries are:
/// paths have a fixed length and cannot be steered by whoever picks the keys.
/// </summary>
public sealed class SecureTrie
{
    public PatriciaTrie Inner { get; }

    public SecureTrie() => Inner = new PatriciaTrie();

    public SecureTrie(IKeyValueStore store) => Inner = new PatriciaTrie(store);

    /// <exception cref="MissingTrieNodeException">The store has no node with that hash.</exception>
    public SecureTrie(IKeyValueStore store, Hash256 root) => Inner = new PatriciaTrie(store, root);

    public Hash256 RootHash => Inner.RootHash;

    public bool IsEmpty => Inner.IsEmpty;

    public byte[]? Get(ReadOnlySpan<byte> key)
    {
        Span<byte> h = stackalloc byte[32];
        Keccak256.Hash(key, h);
        return Inner.Get(h);
    }

    /// <summary>An empty value deletes.</summary>
    public void Set(ReadOnlySpan<byte> key, ReadOnlySpan<byte> value)
    {
        Span<byte> h = stackalloc byte[32];
        Keccak256.Hash(key, h);
        Inner.Set(h, value);
    }

    public bool Delete(ReadOnlySpan<byte> key)
    {
        Span<byte> h = stackalloc byte[32];
        Keccak256.Hash(key, h);
        return Inner.Delete(h);
    }

    public Hash256 Commit(IWriteBatch batch) => Inner.Commit(batch);

    public Hash256 Commit() => Inner.Commit();

    /// <summary>The proof for keccak256(<paramref name="key"/>) in the underlying trie.</summary>
    public List<byte[]> GetProof(ReadOnlySpan<byte> key)
    {
        Span<byte> h = stackalloc byte[32];
        Keccak256.Hash(key, h);
        return Inner.GetProof(h);
    }

    /// <summary>Verifies a proof made by <see cref="GetProof"/>: hashes <paramref name="key"/>, then <see cref="PatriciaTrie.VerifyProof"/>.</summary>
    public static byte[]? VerifyProof(Hash256 root, ReadOnlySpan<byte> key, IReadOnlyList<byte[]> proof)
    {
        Span<byte> h = stackalloc byte[32];
        Keccak256.Hash(key, h);
        return PatriciaTrie.VerifyProof(root, h, proof);
    }

    /// <summary>Entries in order of their hashed keys; the keys returned are the hashes (preimages are not kept).</summary>
    public IEnumerable<KeyValuePair<byte[], byte[]>> EnumerateHashed() => Inner.Enumerate();
}
