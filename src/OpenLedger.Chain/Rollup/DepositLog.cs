using System.Buffers.Binary;
using OpenLedger.Primitives;
using OpenLedger.Primitives.Transactions;

namespace OpenLedger.Chain.Rollup;

/// <summary>One log of the L1 deposit contract (the portal) as read from an L1 block: its block-wide log index and contents.</summary>
public sealed record L1DepositLog(Hash256 BlockHash, ulong LogIndex, IReadOnlyList<Hash256> Topics, byte[] Data);

/// <summary>Why a portal log could not be turned into a deposit (the log is skipped, by the sequencer and derivation alike).</summary>
public sealed class DepositLogException(string message) : Exception(message);

/// <summary>
/// The one decoding of the portal's <c>TransactionDeposited(address indexed from, address indexed to, uint256 indexed
/// version, bytes opaqueData)</c> into a user deposit transaction (specs/protocol/deposits.md, "Deposit Contract"):
/// version 0, opaque data = mint (32) ‖ value (32) ‖ gasLimit (8) ‖ isCreation (1) ‖ data; source hash of domain 0 over
/// the L1 block hash and the log's block-wide index. The sequencer (<see cref="RollupBlockPlanner"/>) and derivation's
/// attributes stage both call <see cref="ToDeposits"/>, so a replica derives byte-identical deposits.
/// </summary>
public static class DepositLog
{
    /// <summary>keccak256("TransactionDeposited(address,address,uint256,bytes)").</summary>
    public static readonly Hash256 TransactionDepositedTopic = Keccak256.Compute("TransactionDeposited(address,address,uint256,bytes)"u8);

    /// <summary>
    /// The user deposits of one L1 block, in log order. Logs with another topic are not deposits and are ignored; a
    /// TransactionDeposited log that does not decode is skipped and reported to <paramref name="onSkipped"/> (our portal
    /// never emits one, but L1 data is input: it must not stop the chain, and both roles skip the same logs).
    /// </summary>
    public static List<Transaction> ToDeposits(IEnumerable<L1DepositLog> logs, Action<L1DepositLog, string>? onSkipped = null)
    {
        var result = new List<Transaction>();
        foreach (var log in logs.OrderBy(l => l.LogIndex))
        {
            if (log.Topics.Count == 0 || log.Topics[0] != TransactionDepositedTopic) continue;
            try { result.Add(Decode(log)); }
            catch (DepositLogException e) { onSkipped?.Invoke(log, e.Message); }
        }
        return result;
    }

    /// <summary>Decodes one TransactionDeposited log; throws <see cref="DepositLogException"/> naming what is wrong.</summary>
    public static Transaction Decode(L1DepositLog log)
    {
        if (log.Topics.Count != 4) throw new DepositLogException($"TransactionDeposited log {log.LogIndex} has {log.Topics.Count} topics, expected 4");
        if (log.Topics[0] != TransactionDepositedTopic) throw new DepositLogException($"log {log.LogIndex} is not TransactionDeposited");
        if (log.Topics[3] != Hash256.Zero) throw new DepositLogException($"deposit log {log.LogIndex} has version {log.Topics[3]}, only version 0 is known");
        var from = Address.FromWord(log.Topics[1].Bytes);
        var to = Address.FromWord(log.Topics[2].Bytes);
        var data = log.Data;
        if (data.Length < 64) throw new DepositLogException($"deposit log {log.LogIndex}: data of {data.Length} bytes is shorter than the bytes header");
        if (data.Length % 32 != 0) throw new DepositLogException($"deposit log {log.LogIndex}: data of {data.Length} bytes is not a multiple of 32");
        if (!IsSmallWord(data.AsSpan(0, 32), out ulong offset) || offset != 32)
            throw new DepositLogException($"deposit log {log.LogIndex}: opaque data offset is not 32");
        if (!IsSmallWord(data.AsSpan(32, 32), out ulong length) || length > (ulong)(data.Length - 64) || length + 32 <= (ulong)(data.Length - 64))
            throw new DepositLogException($"deposit log {log.LogIndex}: opaque data length does not match the log's size");
        var opaque = data.AsSpan(64, (int)length);
        if (opaque.Length < 73) throw new DepositLogException($"deposit log {log.LogIndex}: opaque data of {opaque.Length} bytes, at least 73 expected (mint, value, gas, isCreation)");
        var mint = UInt256.FromBigEndian(opaque[..32]);
        var value = UInt256.FromBigEndian(opaque[32..64]);
        ulong gas = BinaryPrimitives.ReadUInt64BigEndian(opaque[64..72]);
        bool isCreation = opaque[72] == 1;
        return Transaction.CreateDeposit(DepositSource.UserDeposit(log.BlockHash, log.LogIndex), from, isCreation ? null : to, mint, value, gas,
            isSystemTx: false, opaque[73..].ToArray());
    }

    private static bool IsSmallWord(ReadOnlySpan<byte> word, out ulong value)
    {
        value = BinaryPrimitives.ReadUInt64BigEndian(word[24..]);
        return !word[..24].ContainsAnyExcept((byte)0);
    }
}

/// <summary>Where the sequencer reads the portal's logs of an L1 block (implemented over JSON-RPC by the node).</summary>
public interface IL1DepositSource
{
    /// <summary>The deposit contract's logs in the L1 block <paramref name="blockHash"/>.</summary>
    Task<IReadOnlyList<L1DepositLog>> GetDepositLogsAsync(Hash256 blockHash, CancellationToken ct);
}
