using OpenLedger.Chain.Genesis;
using OpenLedger.Chain.Rollup;
using OpenLedger.Primitives;
using OpenLedger.Primitives.Crypto;
using OpenLedger.Primitives.Transactions;
using OpenLedger.Primitives.Wallet;
using OpenLedger.State.Storage;
using OpenLedger.Tests.Shared;

namespace OpenLedger.Chain.Tests.Rollup;

/// OP Stack fee routing: tips to the SequencerFeeVault (the coinbase), base fees to the BaseFeeVault (not burned), and the
/// vault pays out to its recipient.
public class FeeVaultTests
{
    private static readonly byte[] Key = DevAccounts.PrivateKeys(1)[0];
    private static readonly Address Alice = Secp256k1.AddressFromPrivateKey(Key);
    private static readonly Address Bob = Address.Parse("0x000000000000000000000000000000000000b0b0");
    private static readonly Address Payee = L1AttributesTests.FeeRecipient;
    private static readonly UInt256 Ether = new(1_000_000_000_000_000_000);

    private static (Blockchain, RollupBlockPlanner) Open()
    {
        var genesis = PredeployGenesis.WithPredeploys(new GenesisSpec
        {
            Config = new ChainConfig { ChainId = ChainConfig.DevnetChainId },
            Alloc = new Dictionary<Address, GenesisAccount> { [Alice] = new(new UInt256(10) * Ether, 0, [], new Dictionary<UInt256, UInt256>()) },
            Timestamp = 1000,
        }, ForgeBuild.Artifacts("contracts/src/l2/predeploys"), Payee);
        Assert.True(genesis.Config.Optimism);
        var chain = Blockchain.Open(new MemoryKeyValueStore(), genesis, Predeploys.SequencerFeeVault);
        var l1 = new ScriptedL1(990);
        return (chain, new RollupBlockPlanner(chain, l1, new RollupSequencingConfig { GenesisL1Number = 0, GenesisL1Hash = l1[0].Hash }));
    }

    private static Transaction Tx(ulong nonce, Address to, UInt256 value, byte[]? data = null, ulong gas = 21_000)
    {
        var tx = new Transaction
        {
            Type = TxType.DynamicFee, ChainId = ChainConfig.DevnetChainId, Nonce = nonce, MaxFeePerGas = new UInt256(10_000_000_000),
            MaxPriorityFeePerGas = new UInt256(2_000_000_000), GasLimit = gas, To = to, Value = value, Data = data ?? [],
        };
        tx.Sign(Key);
        return tx;
    }

    private static UInt256 Balance(Blockchain chain, Address a) => chain.StateAt(chain.Head).GetAccount(a)?.Balance ?? UInt256.Zero;

    [Fact]
    public async Task TipsAndBaseFees_LandInTheirVaults_NothingIsBurned_AndTheVaultPaysOut()
    {
        var (chain, planner) = Open();
        using var _ = chain;
        chain.Pool.Add(Tx(0, Bob, Ether));
        var baseFee = chain.NextBaseFee;
        var block = chain.BuildBlock(await planner.NextAsync(default))!;
        var receipt = block.Receipts[1];
        Assert.True(receipt.Success);
        ulong gas = receipt.GasUsed;
        Assert.Equal(new UInt256(gas) * new UInt256(2_000_000_000), Balance(chain, Predeploys.SequencerFeeVault));
        Assert.Equal(new UInt256(gas) * baseFee, Balance(chain, Predeploys.BaseFeeVault));
        // Supply is conserved: what Alice lost is with Bob and the two vaults.
        Assert.Equal(new UInt256(10) * Ether, Balance(chain, Alice) + Balance(chain, Bob) + Balance(chain, Predeploys.SequencerFeeVault) + Balance(chain, Predeploys.BaseFeeVault));

        // Anyone triggers withdraw(); the base fee vault pays its recipient (withdraw() selector 0x3ccfd60b).
        var vaultBalance = Balance(chain, Predeploys.BaseFeeVault);
        chain.Pool.Add(Tx(1, Predeploys.BaseFeeVault, UInt256.Zero, [0x3c, 0xcf, 0xd6, 0x0b], gas: 100_000));
        var payout = chain.BuildBlock(await planner.NextAsync(default))!;
        Assert.True(payout.Receipts[1].Success);
        Assert.Equal(vaultBalance, Balance(chain, Payee));
        // The payout transaction's own base fee arrived after the balance was read: only that remains.
        Assert.Equal(new UInt256(payout.Receipts[1].GasUsed) * payout.Block.Header.BaseFeePerGas, Balance(chain, Predeploys.BaseFeeVault));
    }

    [Fact]
    public async Task Withdrawal_RecordsItsHashInTheMessagePasser_AndBurnRemovesTheValue()
    {
        var (chain, planner) = Open();
        using var _ = chain;
        // Plain OPEN sent to the predeploy withdraws it to the sender on L1 (receive -> initiateWithdrawal).
        chain.Pool.Add(Tx(0, Predeploys.L2ToL1MessagePasser, Ether, gas: 200_000));
        var block = chain.BuildBlock(await planner.NextAsync(default))!;
        var receipt = block.Receipts[1];
        Assert.True(receipt.Success);
        var log = Assert.Single(receipt.Logs);
        Assert.Equal(Predeploys.L2ToL1MessagePasser, log.Address);
        // MessagePassed data: value, gasLimit, data offset, withdrawalHash, ...; the hash is set in sentMessages (slot 0).
        var hash = log.Data.AsSpan(96, 32).ToArray();
        var expected = Keccak256.Compute(Concat(
            Word(UInt256.One << 240), Word(Alice), Word(Alice), Word(Ether), Word(new UInt256(100_000)), Word(new UInt256(0xc0)), Word(UInt256.Zero)));
        Assert.Equal(expected.Bytes.ToArray(), hash);
        var slotHash = Keccak256.Compute(Concat(hash, Word(UInt256.Zero)));
        var slot = UInt256.FromBigEndian(slotHash.Bytes);
        Assert.Equal(UInt256.One, chain.StateAt(chain.Head).GetStorage(Predeploys.L2ToL1MessagePasser, slot));
        Assert.Equal(Ether, Balance(chain, Predeploys.L2ToL1MessagePasser));

        // burn() (0x44df8e70) destroys the withdrawn OPEN: it leaves the supply.
        chain.Pool.Add(Tx(1, Predeploys.L2ToL1MessagePasser, UInt256.Zero, [0x44, 0xdf, 0x8e, 0x70], gas: 200_000));
        var burn = chain.BuildBlock(await planner.NextAsync(default))!;
        Assert.True(burn.Receipts[1].Success);
        Assert.Equal(UInt256.Zero, Balance(chain, Predeploys.L2ToL1MessagePasser));
    }

    private static byte[] Word(UInt256 v) => v.ToBigEndian();
    private static byte[] Word(Address a) { var w = new byte[32]; a.Bytes.CopyTo(w.AsSpan(12)); return w; }
    private static byte[] Concat(params byte[][] parts) => parts.SelectMany(p => p).ToArray();

    [Fact]
    public void PlainChains_StillBurnTheBaseFee()
    {
        using var chain = Blockchain.Open(new MemoryKeyValueStore(), new GenesisSpec
        {
            Config = new ChainConfig { ChainId = ChainConfig.DevnetChainId },
            Alloc = new Dictionary<Address, GenesisAccount> { [Alice] = new(new UInt256(10) * Ether, 0, [], new Dictionary<UInt256, UInt256>()) },
        }, Predeploys.SequencerFeeVault);
        chain.Pool.Add(Tx(0, Bob, Ether));
        chain.ProduceBlock(10);
        Assert.Equal(UInt256.Zero, Balance(chain, Predeploys.BaseFeeVault));
        Assert.True(Balance(chain, Alice) + Balance(chain, Bob) + Balance(chain, Predeploys.SequencerFeeVault) < new UInt256(10) * Ether);
    }

    [Fact]
    public void Genesis_OptimismSection_TurnsOnTheFeeRules()
    {
        var g = GenesisSpec.Parse("""{"config":{"chainId":5,"optimism":{}},"alloc":{}}""");
        Assert.True(g.Config.Optimism);
        Assert.False(GenesisSpec.Parse("""{"config":{"chainId":5},"alloc":{}}""").Config.Optimism);
        Assert.Contains("config.optimism", Assert.Throws<GenesisException>(() => GenesisSpec.Parse("""{"config":{"chainId":5,"optimism":1},"alloc":{}}""")).Message);
    }
}
