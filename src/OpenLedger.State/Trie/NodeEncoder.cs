using System.Buffers.Binary;
using OpenLedger.Primitives;

namespace OpenLedger.State.Trie;

/// <summary>
/// RLP encoding of trie nodes (Yellow Paper appendix D) and hash caching. Encodes into a per-thread
/// scratch buffer: hashing a node allocates nothing unless its encoding is short enough to be inlined.
/// </summary>
internal static class NodeEncoder
{
    [ThreadStatic] private static byte[]? t_scratch;

    /// <summary>Computes the cached reference of <paramref name="node"/> and of every dirty node below it, children first.</summary>
    internal static void EnsureHashed(TrieNode node)
    {
        if (!node.Dirty) return;
        switch (node)
        {
            case ExtensionNode e:
                EnsureHashed(e.Child);
                break;
            case BranchNode b:
                for (int i = 0; i < 16; i++)
                    if (b.Children[i] is { } c) EnsureHashed(c);
                break;
        }
        var rlp = Encode(node);
        if (rlp.Length < 32) node.Inline = rlp.ToArray();
        else
        {
            node.Hash = Keccak256.Compute(rlp);
            node.Inline = null;
        }
        node.Dirty = false;
    }

    /// <summary>
    /// Like <see cref="EnsureHashed"/>, but hashes the sixteen subtrees under the top branch on the
    /// thread pool. Subtrees share no nodes and each thread has its own scratch buffer, so the result
    /// is identical; worth it only when many nodes are dirty.
    /// </summary>
    internal static void EnsureHashedParallel(TrieNode node)
    {
        if (!node.Dirty) return;
        var top = node;
        while (top is ExtensionNode { Dirty: true } e) top = e.Child;
        if (top is BranchNode { Dirty: true } branch)
            Parallel.For(0, 16, i =>
            {
                if (branch.Children[i] is { } c) EnsureHashed(c);
            });
        EnsureHashed(node);
    }

    /// <summary>
    /// The RLP of a node whose children are already hashed, in the thread's scratch buffer:
    /// valid only until the next call on this thread.
    /// </summary>
    internal static ReadOnlySpan<byte> Encode(TrieNode node)
    {
        switch (node)
        {
            case LeafNode leaf:
            {
                int payload = PathLength(leaf.Path.Length) + StringLength(leaf.Value);
                var buf = Scratch(ListHeaderLength(payload) + payload);
                int pos = WriteListHeader(buf, payload);
                pos += WritePath(buf.AsSpan(pos), leaf.Path, leaf: true);
                pos += WriteString(buf.AsSpan(pos), leaf.Value);
                return buf.AsSpan(0, pos);
            }
            case ExtensionNode ext:
            {
                int payload = PathLength(ext.Path.Length) + RefLength(ext.Child);
                var buf = Scratch(ListHeaderLength(payload) + payload);
                int pos = WriteListHeader(buf, payload);
                pos += WritePath(buf.AsSpan(pos), ext.Path, leaf: false);
                pos += WriteRef(buf.AsSpan(pos), ext.Child);
                return buf.AsSpan(0, pos);
            }
            case BranchNode branch:
            {
                int payload = branch.Value is null ? 1 : StringLength(branch.Value);
                for (int i = 0; i < 16; i++) payload += RefLength(branch.Children[i]);
                var buf = Scratch(ListHeaderLength(payload) + payload);
                int pos = WriteListHeader(buf, payload);
                for (int i = 0; i < 16; i++) pos += WriteRef(buf.AsSpan(pos), branch.Children[i]);
                if (branch.Value is null) buf[pos++] = 0x80;
                else pos += WriteString(buf.AsSpan(pos), branch.Value);
                return buf.AsSpan(0, pos);
            }
            default:
                throw new InvalidOperationException("an unresolved hash node has no encoding of its own");
        }
    }

    private static byte[] Scratch(int size)
    {
        var buf = t_scratch;
        if (buf is null || buf.Length < size) t_scratch = buf = new byte[Math.Max(size, 1024)];
        return buf;
    }

    // How a child appears inside its parent: the embedded RLP when short, else the 32-byte hash as an RLP string.
    private static int RefLength(TrieNode? child) => child is null ? 1 : child.Inline?.Length ?? 33;

    private static int WriteRef(Span<byte> dest, TrieNode? child)
    {
        if (child is null)
        {
            dest[0] = 0x80;
            return 1;
        }
        if (child.Inline is { } inline)
        {
            inline.CopyTo(dest);
            return inline.Length;
        }
        dest[0] = 0x80 + 32;
        child.Hash.WriteTo(dest[1..]);
        return 33;
    }

    // The hex-prefix path as an RLP string. Its first byte is below 0x80, so a 1-byte path is its own encoding.
    private static int PathLength(int nibbles)
    {
        int len = HexPrefix.EncodedLength(nibbles);
        return len == 1 ? 1 : len + HeaderLength(len);
    }

    private static int WritePath(Span<byte> dest, ReadOnlySpan<byte> nibbles, bool leaf)
    {
        int len = HexPrefix.EncodedLength(nibbles.Length);
        if (len == 1) return HexPrefix.Encode(nibbles, leaf, dest);
        int h = WriteHeader(dest, 0x80, len);
        return h + HexPrefix.Encode(nibbles, leaf, dest[h..]);
    }

    internal static int StringLength(ReadOnlySpan<byte> s) =>
        s.Length == 1 && s[0] < 0x80 ? 1 : HeaderLength(s.Length) + s.Length;

    internal static int WriteString(Span<byte> dest, ReadOnlySpan<byte> s)
    {
        if (s.Length == 1 && s[0] < 0x80)
        {
            dest[0] = s[0];
            return 1;
        }
        int h = WriteHeader(dest, 0x80, s.Length);
        s.CopyTo(dest[h..]);
        return h + s.Length;
    }

    internal static int ListHeaderLength(int payload) => HeaderLength(payload);

    internal static int WriteListHeader(Span<byte> dest, int payload) => WriteHeader(dest, 0xc0, payload);

    private static int HeaderLength(int length) => length < 56 ? 1 : 1 + ByteCount(length);

    private static int ByteCount(int value) => (39 - System.Numerics.BitOperations.LeadingZeroCount((uint)value)) / 8;

    private static int WriteHeader(Span<byte> dest, byte offset, int length)
    {
        if (length < 56)
        {
            dest[0] = (byte)(offset + length);
            return 1;
        }
        int n = ByteCount(length);
        dest[0] = (byte)(offset + 55 + n);
        Span<byte> be = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(be, length);
        be[(4 - n)..].CopyTo(dest[1..]);
        return 1 + n;
    }
}
