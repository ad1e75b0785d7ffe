using OpenLedger.Primitives;
using OpenLedger.Primitives.Rlp;
using OpenLedger.State.Trie;

namespace OpenLedger.Chain.Blocks;

/// <summary>Transactions and receipts roots: a trie keyed by rlp(index) over the canonical encodings.</summary>
public static class DerivedRoots
{
    public static Hash256 Compute(IReadOnlyList<byte[]> encodedItems)
    {
        if (encodedItems.Count == 0) return PatriciaTrie.EmptyRoot;
        var trie = new PatriciaTrie();
        for (int i = 0; i < encodedItems.Count; i++)
            trie.Set(Rlp.Encode((ulong)i), encodedItems[i]);
        return trie.RootHash;
    }
}
