using OpenLedger.Primitives.Rlp;

namespace OpenLedger.Primitives.Transactions;

public static partial class TxDecoder
{
    /// <summary>The RLP body of a 0x7E deposit: exactly eight fields, canonical, isSystemTx a boolean.</summary>
    private static Transaction DecodeDeposit(ReadOnlySpan<byte> body)
    {
        var at = new FieldName("deposit");
        try
        {
            var outer = new RlpReader(body);
            var list = outer.EnterList();
            outer.End();
            var tx = new Transaction { Type = TxType.Deposit };
            tx.SourceHash = Next(ref list, ref at, "sourceHash").ReadHash();
            tx.DepositFrom = Next(ref list, ref at, "from").ReadAddress();
            tx.To = Next(ref list, ref at, "to").ReadOptionalAddress();
            tx.Mint = Next(ref list, ref at, "mint").ReadUInt256();
            tx.Value = Next(ref list, ref at, "value").ReadUInt256();
            tx.GasLimit = Next(ref list, ref at, "gas").ReadUInt64();
            ulong isSystem = Next(ref list, ref at, "isSystemTx").ReadUInt64();
            if (isSystem > 1) throw new TransactionDecodingException($"must be a boolean (0 or 1), found {isSystem}", "isSystemTx");
            tx.IsSystemTx = isSystem == 1;
            tx.Data = Next(ref list, ref at, "data").ReadByteArray();
            if (list.HasMore) throw new TransactionDecodingException("too many fields for a deposit transaction (expected 8)", "transaction");
            return tx;
        }
        catch (RlpException e)
        {
            throw new TransactionDecodingException(e.Message, at.ToString(), e);
        }
    }
}
