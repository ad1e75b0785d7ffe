using OpenLedger.Primitives;
using OpenLedger.Primitives.Rlp;
using OpenLedger.Primitives.Transactions;
using OpenLedger.State.World;

namespace OpenLedger.Chain.Receipts;

/// <summary>
/// A transaction receipt. The consensus part (status, cumulative gas, bloom, logs) is what the
/// receipts root commits to; the rest is derived at execution and kept for JSON-RPC.
/// </summary>
public sealed record Receipt
{
    public required TxType Type { get; init; }
    public required bool Success { get; init; }
    public required ulong CumulativeGasUsed { get; init; }
    public required IReadOnlyList<LogEntry> Logs { get; init; }
    private Bloom? _bloom;

    /// <summary>The logs' bloom; computed from <see cref="Logs"/> on first use unless given (stored receipts do not keep it).</summary>
    public Bloom Bloom
    {
        get => _bloom ??= Bloom.FromLogs(Logs);
        init => _bloom = value;
    }

    /// <summary>The sender, kept so reads never repeat signature recovery (not part of the consensus encoding).</summary>
    public Address From { get; init; }
    public ulong GasUsed { get; init; }
    public UInt256 EffectiveGasPrice { get; init; }
    public Address? ContractAddress { get; init; }
    public ulong BlobGasUsed { get; init; }
    public UInt256 BlobGasPrice { get; init; }

    /// <summary>Deposits (0x7E): the sender's nonce before execution. Part of the consensus encoding (Canyon+).</summary>
    public ulong? DepositNonce { get; init; }

    /// <summary>Deposits: 1 (the only version, Canyon+); null for other receipts.</summary>
    public ulong? DepositReceiptVersion { get; init; }

    /// <summary>
    /// Consensus encoding: rlp([status, cumulativeGasUsed, bloom, logs]), prefixed by the type byte for typed transactions;
    /// deposit receipts append depositNonce and depositReceiptVersion (as op-geth does from Canyon on).
    /// </summary>
    public byte[] EncodeConsensus()
    {
        var logs = EncodeLogs(Logs);
        int payload = 1 + Rlp.LengthOf(CumulativeGasUsed) + Rlp.HeaderLength(Bloom.ByteLength) + Bloom.ByteLength + logs.Length;
        bool depositFields = Type == TxType.Deposit && DepositNonce.HasValue;
        if (depositFields) payload += Rlp.LengthOf(DepositNonce!.Value) + Rlp.LengthOf(DepositReceiptVersion ?? 1);
        int prefix = Type == TxType.Legacy ? 0 : 1;
        var buffer = new byte[prefix + Rlp.LengthOfList(payload)];
        if (prefix == 1) buffer[0] = (byte)Type;
        var w = new RlpWriter(buffer.AsSpan(prefix));
        w.WriteListHeader(payload);
        w.WriteUInt64(Success ? 1UL : 0UL);
        w.WriteUInt64(CumulativeGasUsed);
        w.WriteBytes(Bloom.Bytes);
        w.WriteRaw(logs);
        if (depositFields)
        {
            w.WriteUInt64(DepositNonce!.Value);
            w.WriteUInt64(DepositReceiptVersion ?? 1);
        }
        return buffer;
    }

    private static int LogLength(LogEntry log) => Rlp.LengthOfList(LogPayload(log));

    private static int LogPayload(LogEntry log) =>
        Rlp.LengthOf(log.Address) + Rlp.LengthOfList(log.Topics.Length * (1 + Hash256.Length)) + Rlp.LengthOf(log.Data);

    private static void WriteLog(ref RlpWriter w, LogEntry log)
    {
        w.WriteListHeader(LogPayload(log));
        w.WriteAddress(log.Address);
        w.WriteListHeader(log.Topics.Length * (1 + Hash256.Length));
        foreach (var t in log.Topics) w.WriteHash(t);
        w.WriteBytes(log.Data);
    }

    /// <summary>rlp(logs): the log list the consensus and storage encodings share.</summary>
    public static byte[] EncodeLogs(IReadOnlyList<LogEntry> logs)
    {
        int payload = 0;
        foreach (var log in logs) payload += LogLength(log);
        var buffer = new byte[Rlp.LengthOfList(payload)];
        var w = new RlpWriter(buffer);
        w.WriteListHeader(payload);
        foreach (var log in logs) WriteLog(ref w, log);
        return buffer;
    }
}
