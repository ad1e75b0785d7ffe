using OpenLedger.Primitives.Rlp;

namespace OpenLedger.Rollup.Encoding;

/// <summary>
/// A batch as it sits in a channel: one RLP byte string holding batch_version ++ content. Version 0 is a singular
/// batch, version 1 a span batch (only when Delta is active for the channel's L1 block); others are malformed.
/// </summary>
public static class BatchCodec
{
    /// <summary>The RLP string (version byte + content) that goes into the channel's uncompressed stream.</summary>
    public static byte[] EncodeSingular(SingularBatch b) => Rlp.Encode([Batch.SingularType, .. Rlp.Encode(SingularBatchCodec.ToRlp(b))]);

    public static byte[] EncodeSpan(SpanBatch b, SpanBatchCodec codec) => Rlp.Encode([Batch.SpanType, .. codec.Encode(b)]);

    /// <summary>Decodes a batch's bytes (the payload of the RLP string).</summary>
    public static Batch Decode(ReadOnlySpan<byte> data, SpanBatchCodec spanCodec, bool spanBatchesAllowed)
    {
        if (data.Length == 0) throw new BatchFormatException("batch: empty");
        return data[0] switch
        {
            Batch.SingularType => SingularBatchCodec.Decode(data[1..]),
            Batch.SpanType when spanBatchesAllowed => spanCodec.Decode(data[1..]),
            Batch.SpanType => throw new BatchFormatException("batch: span batch before Delta"),
            var v => throw new BatchFormatException($"batch: unknown version {v}"),
        };
    }
}
