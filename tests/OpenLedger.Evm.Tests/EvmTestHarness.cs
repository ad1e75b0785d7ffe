using OpenLedger.Evm.Transactions;
using OpenLedger.Primitives;
using OpenLedger.Primitives.Transactions;
using OpenLedger.State.World;

namespace OpenLedger.Evm.Tests;

/// <summary>Runs one transaction from a funded sender to contracts given as hex bytecode, on Cancun unless told otherwise.</summary>
internal sealed class EvmTestHarness
{
    public static readonly Address Sender = Address.Parse("0xa94f5374fce5edbc8e2a8697c15331677e6ebf0b");
    public static readonly Address Contract = Address.Parse("0x000000000000000000000000000000000000c0de");
    public static readonly Address Other = Address.Parse("0x000000000000000000000000000000000000beef");
    public static readonly Address Coinbase = Address.Parse("0x2adc25665018aa1fe0e6bc666dac8fc2697ff9ba");

    public MemoryWorldSource Pre { get; } = new();
    public WorldState World { get; private set; } = null!;
    public ForkSpec Spec { get; init; } = ForkSpec.Cancun;

    public EvmTestHarness()
    {
        Pre.SetAccount(Sender, 0, new UInt256(1_000_000_000_000_000_000UL), []);
    }

    public EvmTestHarness WithCode(Address address, string hexCode, params (ulong Key, ulong Value)[] storage)
    {
        Pre.SetAccount(address, 1, UInt256.Zero, Hex.Decode(hexCode), storage.Select(s => new KeyValuePair<UInt256, UInt256>(new UInt256(s.Key), new UInt256(s.Value))));
        return this;
    }

    public EvmTestHarness WithBalance(Address address, string hexCode, ulong balance)
    {
        Pre.SetAccount(address, 1, new UInt256(balance), Hex.Decode(hexCode));
        return this;
    }

    public static BlockContext Block => new()
    {
        Coinbase = Coinbase,
        Number = 1,
        Timestamp = 1000,
        GasLimit = 30_000_000,
        BaseFee = new UInt256(10),
    };

    public TransactionResult Run(ulong gasLimit = 1_000_000, Address? to = null, byte[]? data = null, Evm.Tracing.IEvmTracer? tracer = null, bool create = false, ulong value = 0)
    {
        World = new WorldState(Pre);
        var tx = new Transaction
        {
            Type = TxType.Legacy,
            Nonce = 0,
            GasPrice = new UInt256(10),
            GasLimit = gasLimit,
            To = create ? null : to ?? Contract,
            Data = data ?? [],
            Value = new UInt256(value),
        };
        return new TransactionProcessor(Spec).Execute(World, Block, tx, Sender, tracer);
    }

    public UInt256 Storage(Address a, ulong key) => World.GetStorage(a, new UInt256(key));
}
