using OpenLedger.Primitives;
using OpenLedger.Primitives.Rlp;
using OpenLedger.Primitives.Transactions;

namespace OpenLedger.Chain.Blocks;

/// <summary>A header and its transactions. Ommers and withdrawals are always empty on this L2.</summary>
public sealed class Block(BlockHeader header, IReadOnlyList<Transaction> transactions, IReadOnlyList<Hash256> transactionHashes)
{
    public BlockHeader Header { get; } = header;
    public IReadOnlyList<Transaction> Transactions { get; } = transactions;
    /// <summary>Hashes in block order, kept so RPC never re-hashes.</summary>
    public IReadOnlyList<Hash256> TransactionHashes { get; } = transactionHashes;
    public Hash256 Hash => Header.Hash;
    public ulong Number => Header.Number;

    /// <summary>The body as stored: rlp([txs, ommers, withdrawals]); a typed tx is an RLP string of type||payload.</summary>
    public static byte[] EncodeBody(IReadOnlyList<byte[]> encodedTransactions)
    {
        int txPayload = 0;
        foreach (var t in encodedTransactions) txPayload += TxItemLength(t);
        int payload = Rlp.LengthOfList(txPayload) + 2; // + empty ommers and withdrawals lists
        var buffer = new byte[Rlp.LengthOfList(payload)];
        var w = new RlpWriter(buffer);
        w.WriteListHeader(payload);
        w.WriteListHeader(txPayload);
        foreach (var t in encodedTransactions)
        {
            if (IsLegacy(t)) w.WriteRaw(t);
            else w.WriteBytes(t);
        }
        w.WriteListHeader(0);
        w.WriteListHeader(0);
        return buffer;
    }

    /// <summary>The canonical encodings of a stored body's transactions.</summary>
    public static List<byte[]> DecodeBody(ReadOnlySpan<byte> body)
    {
        var outer = new RlpReader(body);
        var r = outer.EnterList();
        var txs = r.EnterList();
        var list = new List<byte[]>();
        while (txs.HasMore)
            list.Add(txs.IsList ? txs.ReadRaw().ToArray() : txs.ReadByteArray());
        return list;
    }

    private static bool IsLegacy(byte[] encoded) => encoded.Length > 0 && encoded[0] >= 0xC0;

    private static int TxItemLength(byte[] t) => IsLegacy(t) ? t.Length : Rlp.LengthOf(t);
}
