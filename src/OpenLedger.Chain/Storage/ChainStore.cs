using System.Buffers.Binary;
using OpenLedger.Chain.Blocks;
using OpenLedger.Chain.Receipts;
using OpenLedger.Primitives;
using OpenLedger.Primitives.Transactions;
using OpenLedger.State.Storage;

namespace OpenLedger.Chain.Storage;

/// <summary>Where a transaction sits: its block and index.</summary>
public readonly record struct TxLocation(Hash256 BlockHash, ulong BlockNumber, int Index);

/// <summary>
/// Blocks, receipts, the transaction index and the head pointer in one key-value store. A block and
/// everything derived from it (plus the state trie nodes the caller stages in the same batch) commit
/// in one atomic write batch, head pointer last, so a crash leaves either the old head or the new one.
/// </summary>
public sealed class ChainStore(IKeyValueStore store)
{
    // Key prefixes. Trie nodes use bare 32-byte hashes as keys; every key here has another length.
    private const byte HeaderPrefix = (byte)'h';
    private const byte NumberPrefix = (byte)'n';
    private const byte BodyPrefix = (byte)'b';
    private const byte ReceiptsPrefix = (byte)'r';
    private const byte TxPrefix = (byte)'t';
    private static readonly byte[] HeadKey = "Head"u8.ToArray();

    public IKeyValueStore Store { get; } = store;

    public Hash256? HeadHash
    {
        get
        {
            var v = Store.TryGet(HeadKey);
            return v is null ? null : new Hash256(v);
        }
    }

    /// <summary>Stages a block, its receipts and the head move into <paramref name="batch"/>; the caller commits.</summary>
    public void StageBlock(IWriteBatch batch, BlockHeader header, IReadOnlyList<byte[]> encodedTransactions, IReadOnlyList<Hash256> txHashes, IReadOnlyList<Receipt> receipts)
    {
        var hash = header.Hash;
        batch.Put(Key(HeaderPrefix, hash), header.Encode());
        batch.Put(NumberKey(header.Number), hash.Bytes);
        batch.Put(Key(BodyPrefix, hash), Block.EncodeBody(encodedTransactions));
        batch.Put(Key(ReceiptsPrefix, hash), ReceiptCodec.EncodeAll(receipts));
        Span<byte> loc = stackalloc byte[32 + 8 + 4];
        for (int i = 0; i < txHashes.Count; i++)
        {
            hash.WriteTo(loc);
            BinaryPrimitives.WriteUInt64BigEndian(loc[32..], header.Number);
            BinaryPrimitives.WriteInt32BigEndian(loc[40..], i);
            batch.Put(Key(TxPrefix, txHashes[i]), loc);
        }
        batch.Put(HeadKey, hash.Bytes);
    }

    /// <summary>Stages taking a canonical block out of the number and transaction indexes (a rewind); its data stays.</summary>
    public void StageRemoval(IWriteBatch batch, Block block)
    {
        batch.Delete(NumberKey(block.Number));
        foreach (var txHash in block.TransactionHashes) batch.Delete(Key(TxPrefix, txHash));
    }

    public void StageHead(IWriteBatch batch, Hash256 head) => batch.Put(HeadKey, head.Bytes);

    public BlockHeader? GetHeader(Hash256 hash)
    {
        var v = Store.TryGet(Key(HeaderPrefix, hash));
        return v is null ? null : BlockHeader.Decode(v);
    }

    public Hash256? GetCanonicalHash(ulong number)
    {
        var v = Store.TryGet(NumberKey(number));
        return v is null ? null : new Hash256(v);
    }

    public BlockHeader? GetHeader(ulong number) => GetCanonicalHash(number) is { } h ? GetHeader(h) : null;

    // The most recent blocks and their receipts by hash, so RPC reads near the head (every client polls the
    // head block and its receipts) neither decode nor re-hash. Blocks are immutable and keyed by their hash,
    // so a cached entry is never stale.
    private const int RecentBlocks = 16;
    private readonly Lock _recentLock = new();
    private readonly (Hash256 Hash, Block? Block, IReadOnlyList<Receipt>? Receipts)[] _recent = new (Hash256, Block?, IReadOnlyList<Receipt>?)[RecentBlocks];
    private int _recentNext;

    /// <summary>Remembers a block just committed and its receipts (call only after its batch is durable).</summary>
    public void RememberBlock(Block block, IReadOnlyList<Receipt> receipts)
    {
        var hash = block.Hash; // computed outside the lock: a header's hash is not cached
        lock (_recentLock)
        {
            _recent[_recentNext] = (hash, block, receipts);
            _recentNext = (_recentNext + 1) % RecentBlocks;
        }
    }

    private (Block? Block, IReadOnlyList<Receipt>? Receipts) Recent(Hash256 hash)
    {
        lock (_recentLock)
        {
            foreach (var (h, b, r) in _recent)
                if (b is not null && h == hash) return (b, r);
        }
        return default;
    }

    public Block? GetBlock(Hash256 hash)
    {
        if (Recent(hash).Block is { } recent) return recent;
        var header = GetHeader(hash);
        var body = Store.TryGet(Key(BodyPrefix, hash));
        if (header is null || body is null) return null;
        var encoded = Block.DecodeBody(body);
        var txs = new Transaction[encoded.Count];
        var hashes = new Hash256[encoded.Count];
        for (int i = 0; i < encoded.Count; i++)
        {
            txs[i] = TxDecoder.Decode(encoded[i]);
            hashes[i] = Keccak256.Compute(encoded[i]);
        }
        return new Block(header, txs, hashes);
    }

    public IReadOnlyList<Receipt>? GetReceipts(Hash256 blockHash)
    {
        if (Recent(blockHash).Receipts is { } recent) return recent;
        var v = Store.TryGet(Key(ReceiptsPrefix, blockHash));
        return v is null ? null : ReceiptCodec.DecodeAll(v);
    }

    public TxLocation? GetTxLocation(Hash256 txHash)
    {
        var v = Store.TryGet(Key(TxPrefix, txHash));
        if (v is null || v.Length != 44) return null;
        return new TxLocation(new Hash256(v.AsSpan(0, 32)), BinaryPrimitives.ReadUInt64BigEndian(v.AsSpan(32)), BinaryPrimitives.ReadInt32BigEndian(v.AsSpan(40)));
    }

    private static byte[] Key(byte prefix, Hash256 hash)
    {
        var k = new byte[33];
        k[0] = prefix;
        hash.WriteTo(k.AsSpan(1));
        return k;
    }

    private static byte[] NumberKey(ulong number)
    {
        var k = new byte[9];
        k[0] = NumberPrefix;
        BinaryPrimitives.WriteUInt64BigEndian(k.AsSpan(1), number);
        return k;
    }
}
