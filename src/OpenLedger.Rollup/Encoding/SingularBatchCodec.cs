using OpenLedger.Primitives.Rlp;

namespace OpenLedger.Rollup.Encoding;

/// <summary>Version-0 batch content: rlp([parent_hash, epoch_number, epoch_hash, timestamp, [tx, ...]]), each tx an opaque EIP-2718 byte string.</summary>
public static class SingularBatchCodec
{
    public static RlpItem ToRlp(SingularBatch b) => RlpItem.List(
        RlpItem.FromBytes(b.ParentHash.Bytes),
        RlpItem.FromUInt256(new UInt256(b.EpochNum)),
        RlpItem.FromBytes(b.EpochHash.Bytes),
        RlpItem.FromUInt256(new UInt256(b.BlockTimestamp)),
        RlpItem.List(b.Transactions.Select(t => RlpItem.FromBytes(t))));

    /// <summary>Content without the version byte; trailing bytes after the list are malformed.</summary>
    public static SingularBatch Decode(ReadOnlySpan<byte> content)
    {
        try
        {
            var outer = new RlpReader(content);
            var r = outer.EnterList();
            outer.End();
            var parent = r.ReadHash();
            var epochNum = r.ReadUInt64();
            var epochHash = r.ReadHash();
            var timestamp = r.ReadUInt64();
            var txr = r.EnterList();
            var txs = new List<byte[]>();
            while (txr.HasMore) txs.Add(txr.ReadByteArray());
            r.End();
            return new SingularBatch(parent, epochNum, epochHash, timestamp, txs);
        }
        catch (RlpException e)
        {
            throw new BatchFormatException($"singular batch: {e.Message}");
        }
    }
}
