using OpenLedger.Primitives;
using OpenLedger.State.Storage;

namespace OpenLedger.State.Trie;

/// <summary>
/// The Merkle-Patricia trie of the Yellow Paper (appendix D). Keys and values are arbitrary bytes;
/// setting an empty value deletes. Nodes are loaded lazily from an <see cref="IKeyValueStore"/>
/// (node hash -> RLP) and written back by <see cref="Commit(IWriteBatch)"/>; without a store the
/// trie lives in memory only. Not thread-safe: even reads cache loaded nodes. Old nodes are never
/// deleted from the store (no pruning), so every committed root stays readable. After a
/// <see cref="MissingTrieNodeException"/> or <see cref="InvalidTrieNodeException"/> from a write,
/// the trie may be half-updated: discard it and reopen from a committed root.
/// </summary>
public sealed partial class PatriciaTrie
{
    /// <summary>keccak(rlp("")) = 0x56e81f…b421, the root of a trie with no entries.</summary>
    public static readonly Hash256 EmptyRoot = Keccak256.Compute([0x80]);

    // Keys up to this many bytes get their nibble path on the stack.
    private const int StackKeyBytes = 64;

    // Writes since the last hash above which the root's subtrees are hashed in parallel.
    private const int ParallelHashThreshold = 4096;

    private readonly IKeyValueStore? _store;
    private TrieNode? _root;
    private int _writesSinceHash;

    /// <summary>An empty trie held in memory only.</summary>
    public PatriciaTrie() { }

    /// <summary>An empty trie whose nodes will be committed to <paramref name="store"/>.</summary>
    public PatriciaTrie(IKeyValueStore store) => _store = store ?? throw new ArgumentNullException(nameof(store));

    /// <summary>Opens the trie with root <paramref name="root"/> in <paramref name="store"/>; nodes load as they are reached.</summary>
    /// <exception cref="MissingTrieNodeException">The store has no node with that hash.</exception>
    public PatriciaTrie(IKeyValueStore store, Hash256 root) : this(store)
    {
        if (root == EmptyRoot) return;
        var node = new HashNode(root);
        _root = Resolve(node);
    }

    /// <summary>The store nodes load from and commit to; null for an in-memory trie.</summary>
    public IKeyValueStore? Store => _store;

    public bool IsEmpty => _root is null;

    /// <summary>The root hash; re-encodes and hashes only the nodes changed since the last call.</summary>
    public Hash256 RootHash
    {
        get
        {
            if (_root is null) return EmptyRoot;
            Hash();
            // The root is always hashed, even when its encoding is short enough to be embedded elsewhere.
            return _root.Inline is { } inline ? Keccak256.Compute(inline) : _root.Hash;
        }
    }

    /// <summary>The value under <paramref name="key"/>, or null. The returned array belongs to the trie: do not modify it.</summary>
    public byte[]? Get(ReadOnlySpan<byte> key)
    {
        Span<byte> nibs = key.Length <= StackKeyBytes ? stackalloc byte[2 * StackKeyBytes] : new byte[2 * key.Length];
        nibs = nibs[..(2 * key.Length)];
        HexPrefix.ToNibbles(key, nibs);

        if (_root is HashNode rh) _root = Resolve(rh);
        var node = _root;
        while (true)
        {
            switch (node)
            {
                case null:
                    return null;
                case LeafNode leaf:
                    return nibs.SequenceEqual(leaf.Path) ? leaf.Value : null;
                case ExtensionNode ext:
                    if (!nibs.StartsWith(ext.Path)) return null;
                    nibs = nibs[ext.Path.Length..];
                    if (ext.Child is HashNode eh) ext.Child = Resolve(eh);
                    node = ext.Child;
                    break;
                case BranchNode branch:
                    if (nibs.IsEmpty) return branch.Value;
                    ref var slot = ref branch.Children[nibs[0]];
                    if (slot is HashNode bh) slot = Resolve(bh);
                    node = slot;
                    nibs = nibs[1..];
                    break;
                default:
                    throw new InvalidOperationException("unresolved node in trie walk");
            }
        }
    }

    /// <summary>Stores <paramref name="value"/> under <paramref name="key"/>; an empty value deletes the key.</summary>
    public void Set(ReadOnlySpan<byte> key, ReadOnlySpan<byte> value)
    {
        if (value.IsEmpty)
        {
            Delete(key);
            return;
        }
        Span<byte> nibs = key.Length <= StackKeyBytes ? stackalloc byte[2 * StackKeyBytes] : new byte[2 * key.Length];
        nibs = nibs[..(2 * key.Length)];
        HexPrefix.ToNibbles(key, nibs);
        _root = Insert(_root, nibs, value);
        _writesSinceHash++;
    }

    /// <summary>Removes <paramref name="key"/>; returns whether it was present.</summary>
    public bool Delete(ReadOnlySpan<byte> key)
    {
        if (_root is null) return false;
        Span<byte> nibs = key.Length <= StackKeyBytes ? stackalloc byte[2 * StackKeyBytes] : new byte[2 * key.Length];
        nibs = nibs[..(2 * key.Length)];
        HexPrefix.ToNibbles(key, nibs);
        bool removed = false;
        _root = Remove(_root, nibs, ref removed);
        _writesSinceHash++;
        return removed;
    }

    /// <summary>
    /// Adds every node created or changed since the last commit to <paramref name="batch"/> (hash -> RLP)
    /// and returns the root hash. Nodes already stored are not written again. The nodes count as
    /// stored from now on, so the caller must commit the batch.
    /// </summary>
    public Hash256 Commit(IWriteBatch batch)
    {
        ArgumentNullException.ThrowIfNull(batch);
        if (_root is null) return EmptyRoot;
        Hash();
        bool rootStored = _root.Persisted;
        Persist(_root, batch);
        // A root shorter than 32 bytes is embedded nowhere, so it is stored under its hash to be reopened.
        if (!rootStored && _root.Inline is { } inline)
        {
            var h = Keccak256.Compute(inline);
            batch.Put(h.Bytes, inline);
        }
        return RootHash;
    }

    /// <summary>Commits the changed nodes to this trie's store in one atomic batch and returns the root hash.</summary>
    public Hash256 Commit()
    {
        var store = _store ?? throw new InvalidOperationException("an in-memory trie has no store; use Commit(IWriteBatch)");
        using var batch = store.CreateBatch();
        var root = Commit(batch);
        batch.Commit();
        return root;
    }

    private void Hash()
    {
        if (_root is null) return;
        if (_writesSinceHash >= ParallelHashThreshold && Environment.ProcessorCount > 1) NodeEncoder.EnsureHashedParallel(_root);
        else NodeEncoder.EnsureHashed(_root);
        _writesSinceHash = 0;
    }

    private static void Persist(TrieNode node, IWriteBatch batch)
    {
        if (node.Persisted) return;
        switch (node)
        {
            case ExtensionNode e:
                Persist(e.Child, batch);
                break;
            case BranchNode b:
                for (int i = 0; i < 16; i++)
                    if (b.Children[i] is { } c) Persist(c, batch);
                break;
        }
        if (node.Inline is null) batch.Put(node.Hash.Bytes, NodeEncoder.Encode(node));
        node.Persisted = true;
    }

    private TrieNode Resolve(HashNode reference)
    {
        var store = _store ?? throw new InvalidOperationException("trie refers to a stored node but has no store");
        var rlp = store.TryGet(reference.Hash.Bytes) ?? throw new MissingTrieNodeException(reference.Hash);
        TrieNode? node;
        try
        {
            node = NodeDecoder.Decode(rlp);
        }
        catch (InvalidTrieNodeException e)
        {
            throw new InvalidTrieNodeException($"stored node {reference.Hash} is malformed: {e.Message}");
        }
        if (node is null) throw new InvalidTrieNodeException($"stored node {reference.Hash} is the empty trie, which is never referenced");
        node.MarkClean(reference.Hash, rlp.Length < 32 ? rlp : null);
        return node;
    }

    // Returns the node that replaces `node`. A returned node that is not dirty means nothing changed below it.
    private TrieNode Insert(TrieNode? node, ReadOnlySpan<byte> nibs, ReadOnlySpan<byte> value)
    {
        switch (node)
        {
            case null:
                return new LeafNode(nibs.ToArray(), value.ToArray());

            case HashNode h:
                return Insert(Resolve(h), nibs, value);

            case LeafNode leaf:
            {
                int common = nibs.CommonPrefixLength(leaf.Path);
                if (common == leaf.Path.Length && common == nibs.Length)
                {
                    if (leaf.Value.AsSpan().SequenceEqual(value)) return leaf;
                    leaf.Value = value.ToArray();
                    leaf.MarkDirty();
                    return leaf;
                }
                var branch = new BranchNode();
                if (common == leaf.Path.Length) branch.Value = leaf.Value;
                else
                {
                    // Reuse the leaf object below the new branch, shortened by the shared prefix and the branch nibble.
                    int slot = leaf.Path[common];
                    leaf.Path = leaf.Path[(common + 1)..];
                    leaf.MarkDirty();
                    branch.Children[slot] = leaf;
                }
                return Split(branch, nibs, common, value);
            }

            case ExtensionNode ext:
            {
                int common = nibs.CommonPrefixLength(ext.Path);
                if (common == ext.Path.Length)
                {
                    var child = Insert(ext.Child, nibs[common..], value);
                    ext.Child = child;
                    if (child.Dirty) ext.MarkDirty();
                    return ext;
                }
                var branch = new BranchNode();
                int slot = ext.Path[common];
                if (ext.Path.Length - common == 1) branch.Children[slot] = ext.Child;
                else
                {
                    ext.Path = ext.Path[(common + 1)..];
                    ext.MarkDirty();
                    branch.Children[slot] = ext;
                }
                return Split(branch, nibs, common, value);
            }

            case BranchNode b:
            {
                if (nibs.IsEmpty)
                {
                    if (b.Value is not null && b.Value.AsSpan().SequenceEqual(value)) return b;
                    b.Value = value.ToArray();
                    b.MarkDirty();
                    return b;
                }
                ref var slot = ref b.Children[nibs[0]];
                var child = Insert(slot, nibs[1..], value);
                slot = child;
                if (child.Dirty) b.MarkDirty();
                return b;
            }

            default:
                throw new InvalidOperationException($"unknown trie node type {node.GetType().Name}");
        }
    }

    // Finishes a split: puts the new value into `branch` and prefixes it with the shared nibbles, if any.
    private static TrieNode Split(BranchNode branch, ReadOnlySpan<byte> nibs, int common, ReadOnlySpan<byte> value)
    {
        if (nibs.Length == common) branch.Value = value.ToArray();
        else branch.Children[nibs[common]] = new LeafNode(nibs[(common + 1)..].ToArray(), value.ToArray());
        return common == 0 ? branch : new ExtensionNode(nibs[..common].ToArray(), branch);
    }

    // Returns the node that replaces `node` (null when the subtree became empty); sets `removed` when the key was found.
    private TrieNode? Remove(TrieNode node, ReadOnlySpan<byte> nibs, ref bool removed)
    {
        switch (node)
        {
            case HashNode h:
                return Remove(Resolve(h), nibs, ref removed);

            case LeafNode leaf:
                if (!nibs.SequenceEqual(leaf.Path)) return leaf;
                removed = true;
                return null;

            case ExtensionNode ext:
            {
                if (!nibs.StartsWith(ext.Path)) return ext;
                var child = Remove(ext.Child, nibs[ext.Path.Length..], ref removed);
                if (!removed)
                {
                    ext.Child = child!;
                    return ext;
                }
                switch (child)
                {
                    case null:
                        return null;
                    case LeafNode l:
                        // The branch below collapsed to a leaf: fold the extension's path into it.
                        l.Path = [.. ext.Path, .. l.Path];
                        l.MarkDirty();
                        return l;
                    case ExtensionNode e:
                        e.Path = [.. ext.Path, .. e.Path];
                        e.MarkDirty();
                        return e;
                    default:
                        ext.Child = child;
                        ext.MarkDirty();
                        return ext;
                }
            }

            case BranchNode b:
            {
                if (nibs.IsEmpty)
                {
                    if (b.Value is null) return b;
                    b.Value = null;
                    removed = true;
                }
                else
                {
                    ref var slot = ref b.Children[nibs[0]];
                    if (slot is null) return b;
                    slot = Remove(slot, nibs[1..], ref removed);
                    if (!removed) return b;
                }
                b.MarkDirty();
                return Collapse(b);
            }

            default:
                throw new InvalidOperationException($"unknown trie node type {node.GetType().Name}");
        }
    }

    // A branch left with a single entry is not canonical: replace it by a leaf or an extension.
    private TrieNode? Collapse(BranchNode b)
    {
        int count = 0, only = -1;
        for (int i = 0; i < 16; i++)
            if (b.Children[i] is not null)
            {
                count++;
                only = i;
            }
        if (count >= 2 || (count == 1 && b.Value is not null)) return b;
        if (count == 0) return b.Value is null ? null : new LeafNode([], b.Value);

        var child = b.Children[only]!;
        if (child is HashNode h) child = Resolve(h);
        switch (child)
        {
            case LeafNode l:
                l.Path = [(byte)only, .. l.Path];
                l.MarkDirty();
                return l;
            case ExtensionNode e:
                e.Path = [(byte)only, .. e.Path];
                e.MarkDirty();
                return e;
            default:
                return new ExtensionNode([(byte)only], child);
        }
    }
}
