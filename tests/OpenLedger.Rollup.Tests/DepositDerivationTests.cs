using OpenLedger.Chain.Rollup;
using OpenLedger.Primitives.Transactions;
using OpenLedger.Rollup.Derivation;
using OpenLedger.Rollup.Encoding;
using OpenLedger.Rollup.Tests.Support;

namespace OpenLedger.Rollup.Tests;

/// <summary>
/// User deposits from the portal's TransactionDeposited logs (specs/protocol/deposits.md): the shared decoding, the
/// rules for malformed logs, and their place in derived attributes (after the L1 attributes deposit, only in the first
/// block of the epoch).
/// </summary>
public class DepositDerivationTests
{
    private static readonly Address From = Address.Parse("0x00000000000000000000000000000000000000f1");
    private static readonly Address To = Address.Parse("0x00000000000000000000000000000000000000f2");

    private static Hash256 Word(Address a)
    {
        var w = new byte[32];
        a.Bytes.CopyTo(w.AsSpan(12));
        return new Hash256(w);
    }

    /// <summary>The log as the portal emits it: topics (sig, from, to, version) and abi.encode(bytes(mint ‖ value ‖ gas ‖ isCreation ‖ data)).</summary>
    private static L1DepositLog Log(Hash256 block, ulong index, UInt256 mint, UInt256 value, ulong gas, bool isCreation, byte[] data, Hash256? version = null)
    {
        var opaque = new byte[73 + data.Length];
        mint.ToBigEndian().CopyTo(opaque, 0);
        value.ToBigEndian().CopyTo(opaque, 32);
        System.Buffers.Binary.BinaryPrimitives.WriteUInt64BigEndian(opaque.AsSpan(64), gas);
        opaque[72] = isCreation ? (byte)1 : (byte)0;
        data.CopyTo(opaque, 73);
        int padded = (opaque.Length + 31) / 32 * 32;
        var encoded = new byte[64 + padded];
        encoded[31] = 32;
        System.Buffers.Binary.BinaryPrimitives.WriteUInt64BigEndian(encoded.AsSpan(56), (ulong)opaque.Length);
        opaque.CopyTo(encoded, 64);
        return new L1DepositLog(block, index, [DepositLog.TransactionDepositedTopic, Word(From), Word(To), version ?? Hash256.Zero], encoded);
    }

    [Fact]
    public void Decode_reads_the_opaque_data_and_derives_the_source_hash()
    {
        var block = Keccak256.Compute("l1 block"u8);
        var tx = DepositLog.Decode(Log(block, 7, new UInt256(5), new UInt256(3), 100_000, false, [0xca, 0xfe]));
        Assert.Equal(TxType.Deposit, tx.Type);
        Assert.Equal(DepositSource.UserDeposit(block, 7), tx.SourceHash);
        Assert.Equal(From, tx.DepositFrom);
        Assert.Equal(To, tx.To);
        Assert.Equal(new UInt256(5), tx.Mint);
        Assert.Equal(new UInt256(3), tx.Value);
        Assert.Equal(100_000UL, tx.GasLimit);
        Assert.False(tx.IsSystemTx);
        Assert.Equal(new byte[] { 0xca, 0xfe }, tx.Data);

        var creation = DepositLog.Decode(Log(block, 8, UInt256.Zero, UInt256.Zero, 500_000, true, [0x60, 0x00]));
        Assert.Null(creation.To);
    }

    [Fact]
    public void Malformed_logs_are_skipped_with_a_reason_and_other_events_ignored()
    {
        var block = Keccak256.Compute("l1 block"u8);
        var good = Log(block, 1, new UInt256(1), UInt256.Zero, 21_000, false, []);
        var badVersion = Log(block, 2, new UInt256(1), UInt256.Zero, 21_000, false, [], version: new Hash256(Enumerable.Repeat((byte)0, 31).Append((byte)1).ToArray()));
        var threeTopics = good with { LogIndex = 3, Topics = good.Topics.Take(3).ToList() };
        var badOffset = good with { LogIndex = 4, Data = good.Data.ToArray() };
        badOffset.Data[31] = 64;
        var shortOpaque = good with { LogIndex = 5, Data = new byte[96] };
        shortOpaque.Data[31] = 32;
        shortOpaque.Data[63] = 10;
        var extraPadding = good with { LogIndex = 6, Data = [.. good.Data, .. new byte[32]] };
        var otherEvent = good with { LogIndex = 0, Topics = [Keccak256.Compute("Paused(address)"u8)] };
        var skipped = new List<string>();
        var txs = DepositLog.ToDeposits([extraPadding, shortOpaque, badOffset, threeTopics, badVersion, good, otherEvent], (log, why) => skipped.Add($"{log.LogIndex}: {why}"));
        Assert.Single(txs);
        Assert.Equal(DepositSource.UserDeposit(block, 1), txs[0].SourceHash);
        Assert.Equal(5, skipped.Count);
        Assert.Contains(skipped, s => s.StartsWith("2: ") && s.Contains("version"));
        Assert.Contains(skipped, s => s.StartsWith("3: ") && s.Contains("topics"));
        Assert.Contains(skipped, s => s.StartsWith("4: ") && s.Contains("offset"));
        Assert.Contains(skipped, s => s.StartsWith("5: ") && s.Contains("73"));
        Assert.Contains(skipped, s => s.StartsWith("6: ") && s.Contains("length"));
    }

    [Fact]
    public void Attributes_carry_the_origins_deposits_after_the_L1_attributes_deposit_in_the_epochs_first_block_only()
    {
        var cfg = TestConfig.Create();
        var l1 = new MemoryL1(TestConfig.GenesisTime);
        var plain = l1.Add();
        var logs = new[] { Log(plain.Hash, 4, new UInt256(9), UInt256.Zero, 50_000, false, []), Log(plain.Hash, 1, new UInt256(2), UInt256.Zero, 60_000, false, [1]) };
        var origin = plain with { DepositLogs = logs };
        var parent = new L2BlockRef(Keccak256.Compute("p"u8), 5, Hash256.Zero, TestConfig.GenesisTime + 5, l1.Blocks[0].Ref.Id, 4);
        var tx = TestConfig.SignedTx(TxType.DynamicFee, 0);
        var batch = new SingularBatch(parent.Hash, 1, origin.Hash, TestConfig.GenesisTime + 6, [tx]);
        var a = AttributesBuilder.Build(batch, origin, cfg.GenesisSystemConfig, parent);
        Assert.Equal(4, a.Transactions.Count);
        Assert.Equal(3, a.DepositCount);
        // In log order (index 1, then 4), exactly the shared decoding's bytes.
        Assert.Equal(DepositLog.Decode(logs[1]).Encode(), a.Transactions[1]);
        Assert.Equal(DepositLog.Decode(logs[0]).Encode(), a.Transactions[2]);
        Assert.Equal(tx, a.Transactions[3]);

        // The next block of the same epoch: no user deposits again.
        var parent2 = parent with { L1Origin = origin.Ref.Id, SequenceNumber = 0 };
        var b = AttributesBuilder.Build(batch with { ParentHash = parent2.Hash }, origin, cfg.GenesisSystemConfig, parent2);
        Assert.Equal(1, b.DepositCount);
    }
}
