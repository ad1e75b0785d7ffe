using System.Runtime.CompilerServices;
using OpenLedger.Primitives;

namespace OpenLedger.State.Trie;

/// <summary>
/// A node of the in-memory trie. Nodes are mutated in place by the trie that owns them; each caches
/// its reference form (the RLP itself when shorter than 32 bytes, else its keccak) until it changes,
/// so a root computation only re-encodes the paths touched since the last one.
/// </summary>
internal abstract class TrieNode
{
    /// <summary>keccak(rlp) when the encoding is 32 bytes or more; valid while <see cref="Dirty"/> is false and <see cref="Inline"/> is null.</summary>
    internal Hash256 Hash;

    /// <summary>The whole RLP when it is shorter than 32 bytes (embedded in the parent instead of hashed).</summary>
    internal byte[]? Inline;

    /// <summary>The cached reference is stale.</summary>
    internal bool Dirty = true;

    /// <summary>The node (and everything below it) is already in the store, or embedded in a node that is.</summary>
    internal bool Persisted;

    internal void MarkDirty()
    {
        Dirty = true;
        Persisted = false;
        Inline = null;
    }

    /// <summary>Marks a node decoded from stored or proven bytes: its reference is known and nothing needs writing.</summary>
    internal void MarkClean(in Hash256 hash, byte[]? inline)
    {
        Hash = hash;
        Inline = inline;
        Dirty = false;
        Persisted = true;
    }
}

internal sealed class LeafNode(byte[] path, byte[] value) : TrieNode
{
    /// <summary>Remaining key nibbles below the parent.</summary>
    internal byte[] Path = path;
    internal byte[] Value = value;
}

internal sealed class ExtensionNode(byte[] path, TrieNode child) : TrieNode
{
    /// <summary>Shared key nibbles (at least one) leading to <see cref="Child"/>, which is always a branch once resolved.</summary>
    internal byte[] Path = path;
    internal TrieNode Child = child;
}

internal sealed class BranchNode : TrieNode
{
    internal Children16 Children;

    /// <summary>Value of the key that ends exactly at this branch, or null.</summary>
    internal byte[]? Value;

    internal int ChildCount()
    {
        int n = 0;
        for (int i = 0; i < 16; i++) if (Children[i] is not null) n++;
        return n;
    }
}

/// <summary>A reference to a node not loaded yet; the trie swaps it for the decoded node on first access.</summary>
internal sealed class HashNode : TrieNode
{
    internal HashNode(in Hash256 hash) => MarkClean(hash, null);
}

/// <summary>Sixteen child slots stored inline in the branch object (one allocation per branch, not two).</summary>
[InlineArray(16)]
internal struct Children16
{
    private TrieNode? _slot;
}
