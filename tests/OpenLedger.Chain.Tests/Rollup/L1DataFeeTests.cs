using System.Text.Json;
using OpenLedger.Chain.Genesis;
using OpenLedger.Chain.Rollup;
using OpenLedger.Chain.Rollup.Fees;
using OpenLedger.Chain.TxPool;
using OpenLedger.Evm;
using OpenLedger.Evm.Transactions;
using OpenLedger.Primitives;
using OpenLedger.Primitives.Abi;
using OpenLedger.Primitives.Crypto;
using OpenLedger.Primitives.Transactions;
using OpenLedger.Primitives.Wallet;
using OpenLedger.State.Storage;
using OpenLedger.State.World;
using OpenLedger.Tests.Shared;

namespace OpenLedger.Chain.Tests.Rollup;

/// The L1 data fee: the FastLZ rule against OP's published GasPriceOracle, the charge into the L1FeeVault, the pool's
/// balance check and our GasPriceOracle predeploy answering as the node charges.
public class L1DataFeeTests
{
    private static readonly byte[] Key = DevAccounts.PrivateKeys(1)[0];
    private static readonly Address Alice = Secp256k1.AddressFromPrivateKey(Key);
    private static readonly Address Bob = Address.Parse("0x000000000000000000000000000000000000b0b0");
    private static readonly UInt256 Ether = new(1_000_000_000_000_000_000);
    private static readonly UInt256 Rate = UInt256.Parse("4000000000000000000000"); // 4,000 OPEN per ETH
    private static readonly SystemConfigValues Config = new() { BaseFeeScalar = 1368, BlobBaseFeeScalar = 810949, GasTokenPerEth = Rate };
    private static readonly Address OpOracle = Address.Parse("0x00000000000000000000000000000000000a0a0a");

    private static string Artifacts => ForgeBuild.Artifacts("contracts/src/l2/predeploys");

    private static byte[] Code(string artifact) => PredeployGenesis.RuntimeCode(Path.Combine(Artifacts, artifact));

    /// OP's Fjord GasPriceOracle as contracts-bedrock publishes it on npm (pinned by package-lock.json).
    private static byte[] OpOracleCode()
    {
        var path = Path.Combine(TestPaths.RepoRoot, "node_modules/@eth-optimism/contracts-bedrock/forge-artifacts/GasPriceOracle.sol/GasPriceOracle.json");
        using var doc = JsonDocument.Parse(File.ReadAllText(path));
        return Hex.Decode(doc.RootElement.GetProperty("deployedBytecode").GetProperty("object").GetString()!);
    }

    private static byte[] Call(WorldState world, Address to, byte[] data)
    {
        var tx = new Transaction { Type = TxType.Legacy, GasLimit = 50_000_000, To = to, Data = data, GasPrice = UInt256.Zero };
        var context = new BlockContext { Coinbase = Bob, Number = 1, Timestamp = 1000, GasLimit = 60_000_000, BaseFee = UInt256.Zero };
        var result = new TransactionProcessor(ForkSpec.Cancun) { SimulationMode = true }.Execute(world, context, tx, Bob);
        Assert.True(result.Success, $"call to {to} failed: {result.Rejection ?? result.Status.ToString()}");
        return result.Output;
    }

    private static UInt256 Word(byte[] output) => UInt256.FromBigEndian(output.AsSpan(0, 32));

    private static byte[] Abi(string signature, params object?[] args) => AbiFunction.FromSignature(signature).EncodeCall(args);

    private static byte[] WithBytes(string signature, byte[] data) => Abi(signature, data);

    private static IEnumerable<byte[]> Payloads()
    {
        var rng = new Random(14);
        foreach (var n in new[] { 0, 1, 2, 3, 13, 14, 15, 16, 31, 32, 33, 64, 100, 300, 1000 })
        {
            var random = new byte[n];
            rng.NextBytes(random);
            yield return random;
            yield return new byte[n]; // all zeros: long matches
        }
        for (int i = 0; i < 40; i++)
        {
            // Mixed: repeated 4-byte words, zero runs and random runs, as calldata looks, up to 20 KiB (distances past 8192).
            var buf = new List<byte>();
            int len = rng.Next(1, i < 35 ? 2000 : 20_000);
            while (buf.Count < len)
            {
                switch (rng.Next(3))
                {
                    case 0: buf.AddRange(new byte[rng.Next(1, 300)]); break;
                    case 1: var r = new byte[rng.Next(1, 40)]; rng.NextBytes(r); buf.AddRange(r); break;
                    default: var w = new byte[4]; rng.NextBytes(w); for (int k = rng.Next(1, 90); k > 0; k--) buf.AddRange(w); break;
                }
            }
            yield return buf.Take(len).ToArray();
        }
    }

    [Fact]
    public void FastLz_OurOracle_AndTheNodeRule_AgreeWithOpsPublishedGasPriceOracle()
    {
        var source = new MemoryWorldSource();
        UInt256 l1BaseFee = new(30_000_000_000), blobBaseFee = new(5_000_000);
        // L1Block as the L1 attributes deposit leaves it (slot 3: baseFeeScalar << 96 | blobBaseFeeScalar << 64).
        source.SetAccount(Predeploys.L1Block, 1, UInt256.Zero, Code("L1Block.sol/L1Block.json"), new Dictionary<UInt256, UInt256>
        {
            [L1FeeParams.BaseFeeSlot] = l1BaseFee,
            [L1FeeParams.BlobBaseFeeSlot] = blobBaseFee,
            [L1FeeParams.ScalarsSlot] = (new UInt256(Config.BaseFeeScalar) << 96) | (new UInt256(Config.BlobBaseFeeScalar) << 64),
            [L1FeeParams.GasTokenPerEthSlot] = Ether, // 1 OPEN per ETH: ours must then equal OP's to the wei
        });
        source.SetAccount(Predeploys.GasPriceOracle, 1, UInt256.Zero, Code("GasPriceOracle.sol/GasPriceOracle.json"));
        source.SetAccount(OpOracle, 1, UInt256.Zero, OpOracleCode(), new Dictionary<UInt256, UInt256> { [UInt256.Zero] = new(0x0101) }); // isEcotone, isFjord
        var world = new WorldState(source);
        var p = L1FeeParams.FromStorage(slot => world.GetStorage(Predeploys.L1Block, slot));
        Assert.Equal(new L1FeeParams(l1BaseFee, blobBaseFee, 1368, 810949, Ether), p);

        int count = 0;
        foreach (var data in Payloads())
        {
            int flz = FastLz.CompressedLength(data);
            Assert.Equal(new UInt256((ulong)flz), Word(Call(world, Predeploys.GasPriceOracle, WithBytes("fastLzLength(bytes)", data))));
            var op = Word(Call(world, OpOracle, WithBytes("getL1Fee(bytes)", data)));
            Assert.Equal(op, Word(Call(world, Predeploys.GasPriceOracle, WithBytes("getL1Fee(bytes)", data))));
            Assert.Equal(op, L1DataFee.FromFastLzSize(flz + 68, p).Fee);
            Assert.Equal(Word(Call(world, OpOracle, WithBytes("getL1GasUsed(bytes)", data))), Word(Call(world, Predeploys.GasPriceOracle, WithBytes("getL1GasUsed(bytes)", data))));
            Assert.Equal(new UInt256(L1DataFee.FromFastLzSize(flz + 68, p).L1GasUsed), Word(Call(world, Predeploys.GasPriceOracle, WithBytes("getL1GasUsed(bytes)", data))));
            var size = Abi("getL1FeeUpperBound(uint256)", new UInt256((ulong)data.Length));
            Assert.Equal(Word(Call(world, OpOracle, size)), Word(Call(world, Predeploys.GasPriceOracle, size)));
            count++;
        }
        Assert.True(count > 60);
        // The getters OP's oracle has, answering alike.
        foreach (var getter in new[] { "l1BaseFee()", "blobBaseFee()", "baseFeeScalar()", "blobBaseFeeScalar()", "decimals()", "isFjord()", "isEcotone()" })
            Assert.Equal(Word(Call(world, OpOracle, Abi(getter))), Word(Call(world, Predeploys.GasPriceOracle, Abi(getter))));
        Assert.Equal(Ether, Word(Call(world, Predeploys.GasPriceOracle, Abi("gasTokenPerEth()"))));
    }

    [Fact]
    public void Fee_IsConvertedAtTheRate_AndZeroWithoutOne()
    {
        var p = new L1FeeParams(new UInt256(30_000_000_000), new UInt256(5_000_000), 1368, 810949, Ether);
        var eth = L1DataFee.FromFastLzSize(200, p);
        // estimated = 836,500 * 200 - 42,585,600 = 124,714,400; feeScaled = 1368 * 30e9 * 16 + 810949 * 5e6.
        var scaled = new UInt256(124_714_400) * (new UInt256(1368UL * 30_000_000_000UL * 16) + new UInt256(810949UL * 5_000_000UL));
        Assert.Equal(scaled / new UInt256(1_000_000_000_000), eth.Fee);
        Assert.Equal(124_714_400UL * 16 / 1_000_000, eth.L1GasUsed);
        // One division at the end: the rate multiplies before rounding.
        Assert.Equal(scaled * new UInt256(4000) / new UInt256(1_000_000_000_000), L1DataFee.FromFastLzSize(200, p with { GasTokenPerEth = Rate }).Fee);
        Assert.Equal(UInt256.Zero, L1DataFee.FromFastLzSize(200, p with { GasTokenPerEth = UInt256.Zero }).Fee);
        // Small transactions pay for the minimum size (100 bytes).
        Assert.Equal(L1DataFee.FromFastLzSize(1, p), L1DataFee.FromFastLzSize(60, p));
        Assert.Equal(UInt256.MaxValue, L1DataFee.FromFastLzSize(200, p with { GasTokenPerEth = UInt256.MaxValue }).Fee);
    }

    private static (Blockchain, RollupBlockPlanner) Open(UInt256 aliceBalance)
    {
        var genesis = PredeployGenesis.WithPredeploys(new GenesisSpec
        {
            Config = new ChainConfig { ChainId = ChainConfig.DevnetChainId },
            Alloc = new Dictionary<Address, GenesisAccount> { [Alice] = new(aliceBalance, 0, [], new Dictionary<UInt256, UInt256>()) },
            Timestamp = 1000,
        }, Artifacts, L1AttributesTests.FeeRecipient);
        var chain = Blockchain.Open(new MemoryKeyValueStore(), genesis, Predeploys.SequencerFeeVault);
        var l1 = new ScriptedL1(990);
        return (chain, new RollupBlockPlanner(chain, l1, new RollupSequencingConfig { GenesisL1Number = 0, GenesisL1Hash = l1[0].Hash, GenesisSystemConfig = Config }));
    }

    private static Transaction Tx(byte[] key, ulong nonce, Address to, UInt256 value, byte[]? data = null, ulong gas = 21_000, bool sign = true)
    {
        var tx = new Transaction
        {
            Type = TxType.DynamicFee, ChainId = ChainConfig.DevnetChainId, Nonce = nonce, MaxFeePerGas = new UInt256(10_000_000_000),
            MaxPriorityFeePerGas = new UInt256(2_000_000_000), GasLimit = gas, To = to, Value = value, Data = data ?? [],
        };
        if (sign) tx.Sign(key);
        return tx;
    }

    private static UInt256 Balance(Blockchain chain, Address a) => chain.StateAt(chain.Head).GetAccount(a)?.Balance ?? UInt256.Zero;

    private static L1FeeParams HeadParams(Blockchain chain)
    {
        var state = chain.StateAt(chain.Head);
        return L1FeeParams.FromStorage(slot => state.GetStorage(Predeploys.L1Block, slot));
    }

    [Fact]
    public async Task RollupBlock_ChargesTheL1Fee_IntoTheL1FeeVault_AndTheOracleAgrees()
    {
        var (chain, planner) = Open(new UInt256(10) * Ether);
        using var _ = chain;
        var data = new byte[300];
        new Random(3).NextBytes(data.AsSpan(100));
        var tx = Tx(Key, 0, Bob, Ether, data, gas: 100_000);
        var ptx = chain.Pool.Add(tx);
        var block = chain.BuildBlock(await planner.NextAsync(default))!;
        Assert.Equal(2, block.Block.Transactions.Count);
        var receipt = block.Receipts[1];
        Assert.True(receipt.Success);

        var p = HeadParams(chain);
        Assert.Equal(L1FeeParams.From(L1BlockInfo.FromBlock(block.Block)!), p); // storage and the deposit say the same
        Assert.Equal(Rate, p.GasTokenPerEth);
        var fee = L1DataFee.Compute(ptx.Encoded, p).Fee;
        Assert.True(fee > UInt256.Zero);
        Assert.Equal(fee, Balance(chain, Predeploys.L1FeeVault));
        var execution = new UInt256(receipt.GasUsed) * receipt.EffectiveGasPrice;
        Assert.Equal(new UInt256(10) * Ether - Ether - execution - fee, Balance(chain, Alice));
        // Nothing minted or burned: the deposit paid no L1 fee, every wei is in an account or a vault.
        Assert.Equal(new UInt256(10) * Ether, Balance(chain, Alice) + Balance(chain, Bob) + Balance(chain, Predeploys.SequencerFeeVault)
            + Balance(chain, Predeploys.BaseFeeVault) + Balance(chain, Predeploys.L1FeeVault));

        // The predeploy, given the unsigned transaction, computes the same rule (68 bytes standing in for the signature).
        var unsigned = Tx(Key, 0, Bob, Ether, data, gas: 100_000, sign: false).EncodeUnsigned();
        var world = new WorldState(new Execution.TrieWorldSource(chain.StateAt(chain.Head)));
        var oracleFee = Word(Call(world, Predeploys.GasPriceOracle, WithBytes("getL1Fee(bytes)", unsigned)));
        Assert.Equal(L1DataFee.FromFastLzSize(FastLz.CompressedLength(unsigned) + 68, p).Fee, oracleFee);
        Assert.Equal(Rate, Word(Call(world, Predeploys.GasPriceOracle, Abi("gasTokenPerEth()"))));
        Assert.Equal(p.L1BaseFee, Word(Call(world, Predeploys.GasPriceOracle, Abi("l1BaseFee()"))));
    }

    [Fact]
    public async Task Pool_RefusesASenderWhoCanPayTheGasButNotTheL1Fee()
    {
        var (chain, planner) = Open(new UInt256(10) * Ether);
        using var _ = chain;
        chain.BuildBlock(await planner.NextAsync(default)); // an L1 attributes deposit sets the fee parameters
        var carolKey = DevAccounts.PrivateKeys(2)[1];
        var carol = Secp256k1.AddressFromPrivateKey(carolKey);
        var spend = Tx(carolKey, 0, Bob, UInt256.One);
        var l1Fee = L1DataFee.Compute(spend.Encode(), HeadParams(chain)).Fee;
        Assert.True(l1Fee > UInt256.Zero);
        var gasCost = new UInt256(spend.GasLimit) * spend.MaxFeePerGas + spend.Value;

        chain.Pool.Add(Tx(Key, 0, carol, gasCost + l1Fee - UInt256.One));
        chain.BuildBlock(await planner.NextAsync(default));
        Assert.Equal(gasCost + l1Fee - UInt256.One, Balance(chain, carol));
        Assert.Equal(l1Fee, L1DataFee.Compute(spend.Encode(), HeadParams(chain)).Fee); // same origin: same fee
        var e = Assert.Throws<TxPoolException>(() => chain.Pool.Add(spend));
        Assert.StartsWith("insufficient funds for gas * price + value: ", e.Message);
        Assert.Contains($"overshot 1 (the tx cost includes an L1 data fee of {l1Fee.ToBigInteger()})", e.Message);

        // One wei more and the pool takes it, and the block charges exactly that.
        chain.Pool.Add(Tx(Key, 1, carol, UInt256.One));
        chain.BuildBlock(await planner.NextAsync(default));
        chain.Pool.Add(spend);
        var vaultBefore = Balance(chain, Predeploys.L1FeeVault);
        var block = chain.BuildBlock(await planner.NextAsync(default))!;
        Assert.Equal(spend.Hash, block.Block.TransactionHashes[1]);
        Assert.Equal(l1Fee, Balance(chain, Predeploys.L1FeeVault) - vaultBefore);
        Assert.Equal(gasCost - new UInt256(block.Receipts[1].GasUsed) * block.Receipts[1].EffectiveGasPrice - UInt256.One, Balance(chain, carol));
    }
}
