using OpenLedger.Primitives;
using OpenLedger.Primitives.Rlp;
using OpenLedger.State.Trie;

namespace OpenLedger.Chain.Blocks;

/// <summary>
/// A block header with every field the ecosystem expects (ethers/viem read them all): Cancun's fields, plus
/// requestsHash from Prague on (EIP-7685; encoded only when set). Proof-of-work fields are constants: difficulty 0,
/// nonce 0, empty ommers.
/// </summary>
public sealed record BlockHeader
{
    /// <summary>keccak256(rlp([])): the ommers hash of every post-merge block.</summary>
    public static readonly Hash256 EmptyOmmersHash = Keccak256.Compute([0xC0]);

    public required Hash256 ParentHash { get; init; }
    public Hash256 OmmersHash { get; init; } = EmptyOmmersHash;
    public required Address Coinbase { get; init; }
    public required Hash256 StateRoot { get; init; }
    public Hash256 TransactionsRoot { get; init; } = PatriciaTrie.EmptyRoot;
    public Hash256 ReceiptsRoot { get; init; } = PatriciaTrie.EmptyRoot;
    public byte[] LogsBloom { get; init; } = new byte[256];
    public UInt256 Difficulty { get; init; }
    public required ulong Number { get; init; }
    public required ulong GasLimit { get; init; }
    public ulong GasUsed { get; init; }
    public required ulong Timestamp { get; init; }
    public byte[] ExtraData { get; init; } = [];
    /// <summary>PREVRANDAO after the merge.</summary>
    public Hash256 MixHash { get; init; }
    public ulong Nonce { get; init; }
    public required UInt256 BaseFeePerGas { get; init; }
    public Hash256 WithdrawalsRoot { get; init; } = PatriciaTrie.EmptyRoot;
    public ulong BlobGasUsed { get; init; }
    public ulong ExcessBlobGas { get; init; }
    public Hash256 ParentBeaconBlockRoot { get; init; }
    /// <summary>EIP-7685 (Prague): hash of the block's execution-layer requests; null before Prague.</summary>
    public Hash256? RequestsHash { get; init; }

    /// <summary>sha256 of no requests: an L2 has no deposit/withdrawal/consolidation requests (as OP Isthmus).</summary>
    public static readonly Hash256 EmptyRequestsHash = Hash256.Parse("0xe3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");

    /// <summary>keccak256(rlp(header)). Not cached: `with` copies would carry a stale hash.</summary>
    public Hash256 Hash => Keccak256.Compute(Encode());

    public byte[] Encode()
    {
        int payload = PayloadLength();
        var buffer = new byte[Rlp.LengthOfList(payload)];
        var w = new RlpWriter(buffer);
        w.WriteListHeader(payload);
        w.WriteHash(ParentHash);
        w.WriteHash(OmmersHash);
        w.WriteAddress(Coinbase);
        w.WriteHash(StateRoot);
        w.WriteHash(TransactionsRoot);
        w.WriteHash(ReceiptsRoot);
        w.WriteBytes(LogsBloom);
        w.WriteUInt256(Difficulty);
        w.WriteUInt64(Number);
        w.WriteUInt64(GasLimit);
        w.WriteUInt64(GasUsed);
        w.WriteUInt64(Timestamp);
        w.WriteBytes(ExtraData);
        w.WriteHash(MixHash);
        Span<byte> nonce = stackalloc byte[8];
        System.Buffers.Binary.BinaryPrimitives.WriteUInt64BigEndian(nonce, Nonce);
        w.WriteBytes(nonce);
        w.WriteUInt256(BaseFeePerGas);
        w.WriteHash(WithdrawalsRoot);
        w.WriteUInt64(BlobGasUsed);
        w.WriteUInt64(ExcessBlobGas);
        w.WriteHash(ParentBeaconBlockRoot);
        if (RequestsHash is { } requests) w.WriteHash(requests);
        return buffer;
    }

    private int PayloadLength() =>
        8 * (1 + Hash256.Length) // parent, ommers, state, tx, receipts, mix, withdrawals, beacon root
        + Rlp.LengthOf(Coinbase)
        + Rlp.HeaderLength(LogsBloom.Length) + LogsBloom.Length
        + Rlp.LengthOf(Difficulty)
        + Rlp.LengthOf(Number) + Rlp.LengthOf(GasLimit) + Rlp.LengthOf(GasUsed) + Rlp.LengthOf(Timestamp)
        + Rlp.LengthOf(ExtraData)
        + 9
        + Rlp.LengthOf(BaseFeePerGas)
        + Rlp.LengthOf(BlobGasUsed) + Rlp.LengthOf(ExcessBlobGas)
        + (RequestsHash is null ? 0 : 1 + Hash256.Length);

    public static BlockHeader Decode(ReadOnlySpan<byte> encoded)
    {
        var outer = new RlpReader(encoded);
        var r = outer.EnterList();
        var header = Read(ref r);
        r.End();
        outer.End();
        return header;
    }

    internal static BlockHeader Read(ref RlpReader r)
    {
        var h = new BlockHeader
        {
            ParentHash = r.ReadHash(),
            OmmersHash = r.ReadHash(),
            Coinbase = r.ReadAddress(),
            StateRoot = r.ReadHash(),
            TransactionsRoot = r.ReadHash(),
            ReceiptsRoot = r.ReadHash(),
            LogsBloom = ReadFixed(ref r, 256, "logsBloom"),
            Difficulty = r.ReadUInt256(),
            Number = r.ReadUInt64(),
            GasLimit = r.ReadUInt64(),
            GasUsed = r.ReadUInt64(),
            Timestamp = r.ReadUInt64(),
            ExtraData = r.ReadByteArray(),
            MixHash = r.ReadHash(),
            Nonce = System.Buffers.Binary.BinaryPrimitives.ReadUInt64BigEndian(ReadFixed(ref r, 8, "nonce")),
            BaseFeePerGas = r.ReadUInt256(),
            WithdrawalsRoot = r.ReadHash(),
            BlobGasUsed = r.ReadUInt64(),
            ExcessBlobGas = r.ReadUInt64(),
            ParentBeaconBlockRoot = r.ReadHash(),
        };
        if (r.HasMore) h = h with { RequestsHash = r.ReadHash() };
        return h;
    }

    private static byte[] ReadFixed(ref RlpReader r, int length, string field)
    {
        var b = r.ReadBytes();
        if (b.Length != length) throw new RlpException($"header {field}: expected {length} bytes, got {b.Length}");
        return b.ToArray();
    }
}
