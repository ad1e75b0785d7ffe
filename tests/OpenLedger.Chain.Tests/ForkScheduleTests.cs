using OpenLedger.Chain.Blocks;
using OpenLedger.Chain.Genesis;
using OpenLedger.Evm.Transactions;
using OpenLedger.Primitives;
using OpenLedger.Primitives.Crypto;
using OpenLedger.Primitives.Transactions;
using OpenLedger.Primitives.Wallet;
using OpenLedger.State.Storage;

namespace OpenLedger.Chain.Tests;

/// <summary>Forks chosen per block by timestamp from the genesis config (geth's shanghaiTime/cancunTime/pragueTime/osakaTime).</summary>
public class ForkScheduleTests
{
    private static readonly byte[] Key = DevAccounts.PrivateKeys(1)[0];
    private static readonly Address Alice = Secp256k1.AddressFromPrivateKey(Key);

    private static string GenesisJson(string forks) => $$"""
        {
          "config": { "chainId": 1330660686, {{forks}} },
          "timestamp": "0x0",
          "alloc": {
            "{{Alice}}": { "balance": "0x21e19e0c9bab2400000" },
            "0x0000F90827F1C53a10cb7A02335B175320002935": { "nonce": "0x1", "code": "{{Hex.Encode(SystemCall.HistoryStorageCode)}}" }
          }
        }
        """;

    [Theory]
    [InlineData("\"cancunTime\": 0, \"amsterdamTime\": 5", "config.amsterdamTime: unknown fork 'amsterdam'")]
    [InlineData("\"pragueTime\": 10, \"osakaTime\": 5", "config.osakaTime (5) is before config.pragueTime (10)")]
    [InlineData("\"osakaTime\": 5", "config.osakaTime is 5 but config.pragueTime is missing")]
    [InlineData("\"cancunTime\": 7", "config.cancunTime is 7")]
    [InlineData("\"londonBlock\": 3", "config.londonBlock is 3")]
    [InlineData("\"pragueTime\": \"soon\"", "config.pragueTime")]
    public void Bad_fork_configs_are_rejected_with_the_field_named(string forks, string message)
    {
        var e = Assert.Throws<GenesisException>(() => GenesisSpec.Parse(GenesisJson(forks)));
        Assert.Contains(message, e.Message);
    }

    [Fact]
    public void Specs_follow_the_configured_times()
    {
        var config = GenesisSpec.Parse(GenesisJson("\"shanghaiTime\": 0, \"cancunTime\": 0, \"londonBlock\": 0, \"pragueTime\": 100, \"osakaTime\": 200")).Config;
        Assert.Same(ForkSpec.Cancun, config.SpecAt(99));
        Assert.Same(ForkSpec.Prague, config.SpecAt(100));
        Assert.Same(ForkSpec.Prague, config.SpecAt(199));
        Assert.Same(ForkSpec.Osaka, config.SpecAt(200));
        Assert.Same(ForkSpec.Cancun, GenesisSpec.Parse(GenesisJson("\"cancunTime\": 0")).Config.SpecAt(1UL << 40));
    }

    private static Transaction Transfer(ulong nonce, ulong gas = 21_000, TxType type = TxType.DynamicFee)
    {
        var tx = new Transaction
        {
            Type = type, ChainId = ChainConfig.DevnetChainId, Nonce = nonce, MaxFeePerGas = new UInt256(10_000_000_000),
            MaxPriorityFeePerGas = UInt256.One, GasLimit = gas, To = Address.Parse("0x00000000000000000000000000000000000000b0"), Value = UInt256.One,
        };
        tx.Sign(Key);
        return tx;
    }

    [Fact]
    public void The_chain_switches_rules_at_the_fork_time()
    {
        // The pool validates for the next block, whose time is at least now: schedule the forks in the future.
        ulong now = (ulong)DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var genesis = GenesisSpec.Parse(GenesisJson($"\"pragueTime\": {now + 1000}, \"osakaTime\": {now + 2000}"));
        using var chain = Blockchain.Open(new MemoryKeyValueStore(), genesis, Address.Zero);

        // Cancun block: no requestsHash, the history contract untouched.
        var b1 = chain.ProduceBlock(timestamp: now + 500)!.Block.Header;
        Assert.Null(b1.RequestsHash);
        Assert.Equal(UInt256.Zero, chain.StateAt(b1).GetStorage(SystemCall.HistoryStorageAddress, UInt256.Zero));

        // Prague block: requestsHash is the empty-requests hash and the parent's hash is stored at (number - 1) % 8191.
        var b2 = chain.ProduceBlock(timestamp: now + 1500)!.Block.Header;
        Assert.Equal(BlockHeader.EmptyRequestsHash, b2.RequestsHash);
        Assert.Equal(UInt256.FromBigEndian(b1.Hash.Bytes), chain.StateAt(b2).GetStorage(SystemCall.HistoryStorageAddress, new UInt256(1)));
        Assert.Equal(b2.Hash, BlockHeader.Decode(b2.Encode()).Hash); // the header round-trips with the extra field

        // Before Osaka a transaction may ask for more than 2^24 gas.
        chain.Pool.Add(Transfer(0, gas: (1UL << 24) + 1));
        var b3 = chain.ProduceBlock(timestamp: now + 1600)!;
        Assert.Single(b3.Block.Transactions);

        // Once the next block is Osaka the pool refuses the same request, in geth's words.
        chain.ProduceBlock(timestamp: now + 2500);
        var e = Assert.Throws<TxPool.TxPoolException>(() => chain.Pool.Add(Transfer(1, gas: (1UL << 24) + 1)));
        Assert.StartsWith("transaction gas limit too high", e.Message);
        chain.Pool.Add(Transfer(1, gas: 1UL << 24));
    }
}
