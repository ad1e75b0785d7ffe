using OpenLedger.Primitives.Rlp;
using RlpSize = OpenLedger.Primitives.Rlp.Rlp;

namespace OpenLedger.Primitives.Transactions;

/// <summary>
/// OP Stack deposited transactions (type 0x7E, specs/protocol/deposits.md): derived from L1, never signed, never in
/// the pool. Encoding: 0x7E || rlp([sourceHash, from, to, mint, value, gas, isSystemTx, data]); the hash is keccak256
/// of that. <see cref="Transaction.Nonce"/>, fee fields and V/R/S are unused (RPC shows the receipt's deposit nonce).
/// </summary>
public sealed partial class Transaction
{
    /// <summary>Deposits: uniquely identifies the deposit's origin (see <see cref="DepositSource"/>).</summary>
    public Hash256 SourceHash { get; set; }

    /// <summary>Deposits: the explicit sender (no signature); also what <see cref="TryRecoverSender"/> returns.</summary>
    public Address DepositFrom { get; set; }

    /// <summary>Deposits: native value credited to <see cref="DepositFrom"/> before execution, kept even if it fails.</summary>
    public UInt256 Mint { get; set; }

    /// <summary>Deposits: pre-Regolith "system" flag; always false from Regolith on (our chain starts there).</summary>
    public bool IsSystemTx { get; set; }

    public bool IsDeposit => Type == TxType.Deposit;

    /// <summary>A deposited transaction with the given fields (<paramref name="to"/> null creates a contract).</summary>
    public static Transaction CreateDeposit(Hash256 sourceHash, Address from, Address? to, UInt256 mint, UInt256 value, ulong gas, bool isSystemTx, byte[] data) => new()
    {
        Type = TxType.Deposit,
        SourceHash = sourceHash,
        DepositFrom = from,
        To = to,
        Mint = mint,
        Value = value,
        GasLimit = gas,
        IsSystemTx = isSystemTx,
        Data = data,
    };

    private int DepositPayloadLength() =>
        RlpSize.LengthOf(SourceHash) + RlpSize.LengthOf(DepositFrom) + RlpSize.LengthOfOptionalAddress(To) + RlpSize.LengthOf(Mint)
        + RlpSize.LengthOf(Value) + RlpSize.LengthOf(GasLimit) + 1 + RlpSize.LengthOf(Data);

    private byte[] EncodeDeposit()
    {
        int payload = DepositPayloadLength();
        var result = new byte[1 + RlpSize.LengthOfList(payload)];
        result[0] = (byte)TxType.Deposit;
        var w = new RlpWriter(result.AsSpan(1));
        w.WriteListHeader(payload);
        w.WriteHash(SourceHash);
        w.WriteAddress(DepositFrom);
        w.WriteOptionalAddress(To);
        w.WriteUInt256(Mint);
        w.WriteUInt256(Value);
        w.WriteUInt64(GasLimit);
        w.WriteUInt64(IsSystemTx ? 1UL : 0UL);
        w.WriteBytes(Data);
        if (1 + w.Position != result.Length) throw new InvalidOperationException("deposit encoding length mismatch");
        return result;
    }
}
