using Microsoft.Extensions.Logging;
using OpenLedger.Primitives.Crypto;
using OpenLedger.Primitives.Transactions;
using OpenLedger.Rollup.Config;

namespace OpenLedger.Rollup.Tests.Support;

public static class TestConfig
{
    public const ulong GenesisTime = 1_000_000;
    public static readonly Address Batcher = Address.Parse("0x3c44cdddb6a900fa2b585dd299e03d12fa4293bc");
    public static readonly Address Inbox = Address.Parse("0xff00000000000000000000000000000000000901");

    public static RollupConfig Create(ulong seqWindow = 10, ulong channelTimeout = 5) => new()
    {
        GenesisL1 = new BlockId(new MemoryL1(GenesisTime).Head.Hash, 0),
        GenesisL2 = new BlockId(Keccak256.Compute("l2 genesis"u8), 0),
        GenesisL2Time = GenesisTime,
        GenesisSystemConfig = new SystemConfig(Batcher, Hash256.Zero, SystemConfig.EcotoneScalar(1368, 810949), 30_000_000),
        BlockTime = 1,
        MaxSequencerDrift = 600,
        SeqWindowSize = seqWindow,
        ChannelTimeout = channelTimeout,
        L1ChainId = 31337,
        L2ChainId = 1330660686,
        BatchInboxAddress = Inbox,
        DepositContractAddress = Address.Parse("0x0000000000000000000000000000000000000042"),
        L1SystemConfigAddress = Address.Parse("0x0000000000000000000000000000000000000043"),
        FjordTime = 0,
    };

    /// <summary>A signed transaction of the given type from a fixed dev key.</summary>
    public static byte[] SignedTx(TxType type, ulong nonce, bool create = false, bool protectedLegacy = true, ulong chainId = 1330660686)
    {
        var key = Hex.Decode("0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d");
        var tx = new Transaction
        {
            Type = type,
            ChainId = type == TxType.Legacy && !protectedLegacy ? null : chainId,
            Nonce = nonce,
            GasPrice = new UInt256(2_000_000_000),
            MaxPriorityFeePerGas = new UInt256(1_000_000),
            MaxFeePerGas = new UInt256(3_000_000_000),
            GasLimit = 21_000 + nonce,
            To = create ? null : Address.Parse("0x70997970c51812dc3a010c7d01b50e0d17dc79c8"),
            Value = new UInt256(nonce * 1000),
            Data = create ? [0x60, 0x00, 0x60, 0x00, 0xf3] : nonce % 2 == 0 ? [] : [0xa9, 0x05, 0x9c, 0xbb, (byte)nonce],
            AccessList = type == TxType.Legacy ? [] : [new AccessListItem(Address.Parse("0x0000000000000000000000000000000000000001"), Keccak256.Compute([(byte)nonce]))],
        };
        tx.Sign(key);
        return tx.Encode();
    }

    public static ILogger Logger(List<string>? sink = null) => new ListLogger(sink ?? []);
}

/// <summary>Collects log lines so tests can see what derivation dropped and why.</summary>
public sealed class ListLogger(List<string> lines) : ILogger
{
    public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;
    public bool IsEnabled(LogLevel logLevel) => true;
    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        lock (lines) lines.Add($"{logLevel}: {formatter(state, exception)}");
    }
}
