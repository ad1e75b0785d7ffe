using OpenLedger.Chain.Receipts;
using OpenLedger.Primitives;
using OpenLedger.Primitives.Rlp;
using OpenLedger.Primitives.Transactions;
using OpenLedger.State.World;

namespace OpenLedger.Chain.Storage;

/// <summary>
/// Our storage form of a block's receipts: the consensus fields plus what RPC derives (gas used,
/// effective price, contract address, blob gas). Blooms are not stored: a receipt computes its own from its logs when first asked.
/// </summary>
internal static class ReceiptCodec
{
    public static byte[] EncodeAll(IReadOnlyList<Receipt> receipts)
    {
        var items = receipts.Select(Encode).ToArray();
        return Rlp.EncodeList(items);
    }

    private static byte[] Encode(Receipt r)
    {
        return Rlp.EncodeList(
            Rlp.Encode((ulong)r.Type),
            Rlp.Encode(r.Success ? 1UL : 0UL),
            Rlp.Encode(r.CumulativeGasUsed),
            Receipt.EncodeLogs(r.Logs),
            Rlp.Encode(r.GasUsed),
            Rlp.Encode(r.EffectiveGasPrice),
            Rlp.Encode(r.ContractAddress is { } a ? a.ToArray() : []),
            Rlp.Encode(r.BlobGasUsed),
            Rlp.Encode(r.BlobGasPrice),
            Rlp.Encode(r.From.Bytes),
            // Deposit fields: empty lists for other receipts; absent in receipts stored before deposits existed.
            r.DepositNonce is { } dn ? Rlp.EncodeList(Rlp.Encode(dn), Rlp.Encode(r.DepositReceiptVersion ?? 1)) : Rlp.EncodeList());
    }

    public static List<Receipt> DecodeAll(ReadOnlySpan<byte> data)
    {
        var outer = new RlpReader(data);
        var list = outer.EnterList();
        var result = new List<Receipt>();
        while (list.HasMore)
        {
            var r = list.EnterList();
            var type = (TxType)r.ReadUInt64();
            bool success = r.ReadUInt64() == 1;
            ulong cumulative = r.ReadUInt64();
            var logsReader = r.EnterList();
            var logs = new List<LogEntry>();
            while (logsReader.HasMore)
            {
                var l = logsReader.EnterList();
                var address = l.ReadAddress();
                var topicsReader = l.EnterList();
                var topics = new List<Hash256>();
                while (topicsReader.HasMore) topics.Add(topicsReader.ReadHash());
                logs.Add(new LogEntry(address, [.. topics], l.ReadByteArray()));
            }
            ulong gasUsed = r.ReadUInt64();
            var price = r.ReadUInt256();
            var contract = r.ReadBytes();
            ulong blobGas = r.ReadUInt64();
            var blobPrice = r.ReadUInt256();
            var from = r.ReadAddress();
            ulong? depositNonce = null, depositVersion = null;
            if (r.HasMore)
            {
                var d = r.EnterList();
                if (d.HasMore)
                {
                    depositNonce = d.ReadUInt64();
                    depositVersion = d.ReadUInt64();
                }
            }
            result.Add(new Receipt
            {
                Type = type,
                Success = success,
                CumulativeGasUsed = cumulative,
                Logs = logs,
                GasUsed = gasUsed,
                EffectiveGasPrice = price,
                ContractAddress = contract.Length == 20 ? new Address(contract) : null,
                BlobGasUsed = blobGas,
                BlobGasPrice = blobPrice,
                From = from,
                DepositNonce = depositNonce,
                DepositReceiptVersion = depositVersion,
            });
        }
        return result;
    }
}
