using OpenLedger.Primitives.Rlp;
using OpenLedger.Primitives.Transactions;

namespace OpenLedger.Rollup.Encoding;

/// <summary>
/// Span batch content (after the version byte 1): prefix = rel_timestamp ++ l1_origin_num ++ parent_check ++ l1_origin_check;
/// payload = block_count ++ origin_bits ++ block_tx_counts ++ txs, with txs = contract_creation_bits ++ y_parity_bits ++
/// tx_sigs ++ tx_tos ++ tx_datas ++ tx_nonces ++ tx_gases ++ protected_bits (ethereum-optimism/specs, delta/span-batches.md).
/// Block timestamps are genesis time + rel_timestamp + i·block_time; the chain id is the L2's own.
/// </summary>
public sealed class SpanBatchCodec(ulong l2GenesisTime, ulong blockTime, ulong chainId)
{
    /// <summary>Fjord's MAX_SPAN_BATCH_ELEMENT_COUNT: a cap on blocks and on transactions.</summary>
    public const int MaxElementCount = 10_000_000;

    public byte[] Encode(SpanBatch batch)
    {
        var o = new List<byte>();
        var first = batch.Elements[0];
        if (first.Timestamp < l2GenesisTime) throw new ArgumentException("span batch starts before L2 genesis");
        for (int i = 0; i < batch.Elements.Count; i++)
            if (batch.Elements[i].Timestamp != first.Timestamp + (ulong)i * blockTime)
                throw new ArgumentException($"block {i}: timestamp is not {blockTime}s after the previous one");
        Uvarint.Write(o, first.Timestamp - l2GenesisTime);
        Uvarint.Write(o, batch.L1OriginNum);
        o.AddRange(batch.ParentCheck);
        o.AddRange(batch.L1OriginCheck);
        Uvarint.Write(o, (ulong)batch.Elements.Count);
        BitList.Write(o, batch.OriginBits);
        foreach (var e in batch.Elements) Uvarint.Write(o, (ulong)e.Transactions.Count);

        var txs = batch.Elements.SelectMany(e => e.Transactions).Select(DecodeForSpan).ToList();
        BitList.Write(o, txs.Select(t => t.IsContractCreation).ToList());
        BitList.Write(o, txs.Select(YParity).ToList());
        foreach (var t in txs)
        {
            o.AddRange(t.R.ToBigEndian());
            o.AddRange(t.S.ToBigEndian());
        }
        foreach (var t in txs) if (t.To is { } to) o.AddRange(to.ToArray());
        foreach (var t in txs) o.AddRange(TxData(t));
        foreach (var t in txs) Uvarint.Write(o, t.Nonce);
        foreach (var t in txs) Uvarint.Write(o, t.GasLimit);
        BitList.Write(o, txs.Where(t => t.Type == TxType.Legacy).Select(t => t.ChainId is not null).ToList());
        return o.ToArray();
    }

    private Transaction DecodeForSpan(byte[] raw)
    {
        var tx = TxDecoder.Decode(raw);
        if (tx.Type is not (TxType.Legacy or TxType.AccessList or TxType.DynamicFee))
            throw new ArgumentException($"span batches carry transaction types 0, 1 and 2, not {(byte)tx.Type}");
        if (tx.ChainId is { } id && id != chainId) throw new ArgumentException($"transaction chain id {id} is not the L2's {chainId}");
        return tx;
    }

    private static bool YParity(Transaction t)
    {
        if (t.Type != TxType.Legacy)
        {
            if (t.V > UInt256.One) throw new ArgumentException("typed transaction V is not 0 or 1");
            return t.V == UInt256.One;
        }
        if (t.V == new UInt256(27) || t.V == new UInt256(28)) return t.V == new UInt256(28);
        if (!Transaction.TryLegacyChainId(t.V, out _, out var recid)) throw new ArgumentException("legacy transaction has an invalid V");
        return recid == 1;
    }

    private static byte[] TxData(Transaction t)
    {
        var value = RlpItem.FromUInt256(t.Value);
        var data = RlpItem.FromBytes(t.Data);
        switch (t.Type)
        {
            case TxType.Legacy:
                return Rlp.Encode(RlpItem.List(value, RlpItem.FromUInt256(t.GasPrice), data));
            case TxType.AccessList:
                return [0x01, .. Rlp.Encode(RlpItem.List(value, RlpItem.FromUInt256(t.GasPrice), data, AccessList(t)))];
            default:
                return [0x02, .. Rlp.Encode(RlpItem.List(value, RlpItem.FromUInt256(t.MaxPriorityFeePerGas), RlpItem.FromUInt256(t.MaxFeePerGas), data, AccessList(t)))];
        }
    }

    private static RlpItem AccessList(Transaction t) =>
        RlpItem.List(t.AccessList.Select(a => RlpItem.List(RlpItem.FromBytes(a.Address.Bytes), RlpItem.List(a.StorageKeys.Select(k => RlpItem.FromBytes(k.Bytes))))));

    public SpanBatch Decode(ReadOnlySpan<byte> content)
    {
        int pos = 0;
        ulong relTimestamp = Uvarint.Read(content, ref pos, "rel_timestamp");
        ulong l1OriginNum = Uvarint.Read(content, ref pos, "l1_origin_num");
        var parentCheck = Take(content, ref pos, SpanBatch.CheckLength, "parent_check").ToArray();
        var originCheck = Take(content, ref pos, SpanBatch.CheckLength, "l1_origin_check").ToArray();
        ulong blockCount = Uvarint.Read(content, ref pos, "block_count");
        if (blockCount == 0) throw new BatchFormatException("span batch: block_count is 0");
        if (blockCount > MaxElementCount) throw new BatchFormatException($"span batch: block_count {blockCount} exceeds {MaxElementCount}");
        var originBits = BitList.Read(content, ref pos, (int)blockCount, "origin_bits");
        var txCounts = new int[blockCount];
        long totalTxs = 0;
        for (int i = 0; i < txCounts.Length; i++)
        {
            ulong n = Uvarint.Read(content, ref pos, "block_tx_counts");
            if (n > MaxElementCount || (totalTxs += (long)n) > MaxElementCount)
                throw new BatchFormatException($"span batch: more than {MaxElementCount} transactions");
            txCounts[i] = (int)n;
        }
        int total = (int)totalTxs;
        var creation = BitList.Read(content, ref pos, total, "contract_creation_bits");
        var yParity = BitList.Read(content, ref pos, total, "y_parity_bits");
        var sigs = Take(content, ref pos, checked(64 * total), "tx_sigs");
        int creations = creation.Count(c => c);
        var tos = Take(content, ref pos, 20 * (total - creations), "tx_tos");

        var txs = new Transaction[total];
        int legacyCount = 0;
        for (int i = 0; i < total; i++)
        {
            txs[i] = ReadTxData(content, ref pos, i);
            if (txs[i].Type == TxType.Legacy) legacyCount++;
        }
        for (int i = 0; i < total; i++) txs[i].Nonce = Uvarint.Read(content, ref pos, "tx_nonces");
        for (int i = 0; i < total; i++) txs[i].GasLimit = Uvarint.Read(content, ref pos, "tx_gases");
        var protectedBits = BitList.Read(content, ref pos, legacyCount, "protected_bits");
        // Extra bytes after a fully described batch do not invalidate it (specs: batch format note).

        int toIndex = 0, legacyIndex = 0;
        for (int i = 0; i < total; i++)
        {
            var t = txs[i];
            t.R = UInt256.FromBigEndian(sigs.Slice(i * 64, 32));
            t.S = UInt256.FromBigEndian(sigs.Slice(i * 64 + 32, 32));
            t.To = creation[i] ? null : new Address(tos.Slice(20 * toIndex++, 20));
            ulong y = yParity[i] ? 1UL : 0UL;
            if (t.Type == TxType.Legacy)
            {
                bool isProtected = protectedBits[legacyIndex++];
                t.ChainId = isProtected ? chainId : null;
                t.V = isProtected ? new UInt256(chainId) * new UInt256(2) + new UInt256(35 + y) : new UInt256(27 + y);
            }
            else
            {
                t.ChainId = chainId;
                t.V = new UInt256(y);
            }
        }

        if (l1OriginNum < (ulong)originBits.Count(b => b))
            throw new BatchFormatException($"span batch: l1_origin_num {l1OriginNum} is below the number of origin changes");
        ulong epoch = l1OriginNum - (ulong)originBits.Count(b => b);
        ulong start = checked(l2GenesisTime + relTimestamp);
        var elements = new SpanBatchElement[blockCount];
        int txAt = 0;
        for (int i = 0; i < elements.Length; i++)
        {
            if (originBits[i]) epoch++;
            var list = new byte[txCounts[i]][];
            for (int k = 0; k < list.Length; k++) list[k] = txs[txAt++].Encode();
            elements[i] = new SpanBatchElement(epoch, checked(start + (ulong)i * blockTime), list);
        }
        return new SpanBatch(parentCheck, originCheck, originBits, elements);
    }

    private static ReadOnlySpan<byte> Take(ReadOnlySpan<byte> data, ref int pos, int length, string field)
    {
        if (data.Length - pos < length) throw new BatchFormatException($"span batch: {field}: needs {length} bytes, {data.Length - pos} left");
        var s = data.Slice(pos, length);
        pos += length;
        return s;
    }

    private static Transaction ReadTxData(ReadOnlySpan<byte> data, ref int pos, int index)
    {
        if (pos >= data.Length) throw new BatchFormatException($"span batch: tx_datas[{index}]: truncated");
        byte first = data[pos];
        var tx = new Transaction();
        if (first >= 0xC0) tx.Type = TxType.Legacy;
        else if (first is 1 or 2) { tx.Type = (TxType)first; pos++; }
        else throw new BatchFormatException($"span batch: tx_datas[{index}]: transaction type {first} is not 0, 1 or 2");
        try
        {
            var r = new RlpReader(data[pos..]);
            var fields = r.EnterList();
            pos += r.Position;
            tx.Value = fields.ReadUInt256();
            if (tx.Type == TxType.DynamicFee)
            {
                tx.MaxPriorityFeePerGas = fields.ReadUInt256();
                tx.MaxFeePerGas = fields.ReadUInt256();
            }
            else tx.GasPrice = fields.ReadUInt256();
            tx.Data = fields.ReadByteArray();
            if (tx.Type != TxType.Legacy)
            {
                var list = new List<AccessListItem>();
                var al = fields.EnterList();
                while (al.HasMore)
                {
                    var entry = al.EnterList();
                    var address = entry.ReadAddress();
                    var keysReader = entry.EnterList();
                    var keys = new List<Hash256>();
                    while (keysReader.HasMore) keys.Add(keysReader.ReadHash());
                    entry.End();
                    list.Add(new AccessListItem(address, keys));
                }
                tx.AccessList = list;
            }
            fields.End();
        }
        catch (RlpException e)
        {
            throw new BatchFormatException($"span batch: tx_datas[{index}]: {e.Message}");
        }
        return tx;
    }
}
