using OpenLedger.Primitives;

namespace OpenLedger.State.Trie;

/// <summary>Base of the trie's errors.</summary>
public class TrieException : Exception
{
    public TrieException(string message) : base(message) { }
    public TrieException(string message, Exception inner) : base(message, inner) { }
}

/// <summary>A node the trie refers to by hash is not in its store (pruned, wrong store, or wrong root).</summary>
public sealed class MissingTrieNodeException(Hash256 hash)
    : TrieException($"trie node {hash} not found in the store")
{
    public Hash256 NodeHash { get; } = hash;
}

/// <summary>Bytes that should be a trie node's RLP are not a well-formed node.</summary>
public sealed class InvalidTrieNodeException(string message) : TrieException(message);

/// <summary>A Merkle proof does not lead from the given root to a value or a proof of absence.</summary>
public sealed class InvalidProofException : TrieException
{
    public InvalidProofException(string message) : base(message) { }
    public InvalidProofException(string message, Exception inner) : base(message, inner) { }
}
