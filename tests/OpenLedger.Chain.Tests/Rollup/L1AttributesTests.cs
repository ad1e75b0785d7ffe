using OpenLedger.Chain.Genesis;
using OpenLedger.Chain.Rollup;
using OpenLedger.Primitives;
using OpenLedger.Primitives.Transactions;
using OpenLedger.State.Storage;
using OpenLedger.Tests.Shared;

namespace OpenLedger.Chain.Tests.Rollup;

/// Each rollup block starts with the L1 attributes deposit; our L1Block predeploy stores what it carries.
public class L1AttributesTests
{
    private static readonly SystemConfigValues SysConfig = new()
    {
        BatcherHash = SystemConfigValues.BatcherHashOf(Address.Parse("0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC")),
        BaseFeeScalar = 1368,
        BlobBaseFeeScalar = 810949,
        OperatorFeeScalar = 3,
        OperatorFeeConstant = 4,
        GasTokenPerEth = new UInt256(5),
    };

    internal static readonly Address FeeRecipient = Address.Parse("0x00000000000000000000000000000000000fee01");

    private static (Blockchain Chain, RollupBlockPlanner Planner, ScriptedL1 L1) Open(ulong drift = 1800, ulong confDepth = 0)
    {
        var artifacts = ForgeBuild.Artifacts("contracts/src/l2/predeploys");
        var genesis = PredeployGenesis.WithPredeploys(new GenesisSpec
        {
            Config = new ChainConfig { ChainId = ChainConfig.DevnetChainId },
            Alloc = new Dictionary<Address, GenesisAccount>(),
            Timestamp = 1000,
        }, artifacts, FeeRecipient);
        var chain = Blockchain.Open(new MemoryKeyValueStore(), genesis, Predeploys.SequencerFeeVault);
        var l1 = new ScriptedL1(genesisTime: 990);
        var planner = new RollupBlockPlanner(chain, l1, new RollupSequencingConfig
        {
            GenesisL1Number = 0,
            GenesisL1Hash = l1[0].Hash,
            GenesisSystemConfig = SysConfig,
            MaxSequencerDrift = drift,
            L1ConfirmationDepth = confDepth,
        });
        return (chain, planner, l1);
    }

    private static UInt256 Slot(Blockchain chain, ulong slot) => chain.StateAt(chain.Head).GetStorage(Predeploys.L1Block, new UInt256(slot));

    [Fact]
    public void Calldata_IsTheIsthmusLayout_AndRoundTrips()
    {
        var info = L1BlockInfo.From(new L1BlockRef(123, Keccak256.Compute([1]), default, 456, new UInt256(789), new UInt256(2)), 5, SysConfig);
        var data = info.EncodeIsthmus();
        Assert.Equal(176, data.Length);
        Assert.Equal("098999be", Hex.Encode(data.AsSpan(0, 4), false));
        // Isthmus calldata has no gas token rate: it reads back with zero.
        Assert.Equal(info with { SystemConfig = SysConfig with { GasTokenPerEth = UInt256.Zero } }, L1BlockInfo.Decode(data));
        Assert.Throws<FormatException>(() => L1BlockInfo.Decode(data.AsSpan(0, 164)));
        data[0] = 0x44;
        Assert.Contains("selector", Assert.Throws<FormatException>(() => L1BlockInfo.Decode(data)).Message);

        // This chain's layout: Isthmus' fields, then gasTokenPerEth, under setL1BlockValuesOpenLedger().
        var ours = info.Encode();
        Assert.Equal(208, ours.Length);
        Assert.Equal(Hex.Encode(Keccak256.Compute("setL1BlockValuesOpenLedger()"u8).Bytes[..4], false), Hex.Encode(ours.AsSpan(0, 4), false));
        Assert.Equal(info.EncodeIsthmus().AsSpan(4).ToArray(), ours.AsSpan(4, 172).ToArray());
        Assert.Equal(SysConfig.GasTokenPerEth, UInt256.FromBigEndian(ours.AsSpan(176)));
        Assert.Equal(info, L1BlockInfo.Decode(ours));
        Assert.Contains("208", Assert.Throws<FormatException>(() => L1BlockInfo.Decode(ours.AsSpan(0, 200))).Message);

        var tx = info.ToDepositTransaction();
        Assert.Equal(Predeploys.L1AttributesDepositor, tx.DepositFrom);
        Assert.Equal(Predeploys.L1Block, tx.To);
        Assert.Equal(1_000_000UL, tx.GasLimit);
        Assert.False(tx.IsSystemTx);
        Assert.Equal(DepositSource.L1InfoDeposit(info.Hash, 5), tx.SourceHash);
    }

    [Fact]
    public async Task EveryBlockStartsWithL1Attributes_AndL1BlockStoresThem()
    {
        var (chain, planner, l1) = Open();
        using var _ = chain;
        var b1 = chain.BuildBlock(await planner.NextAsync(default))!;
        Assert.Equal(1001UL, b1.Block.Header.Timestamp);
        Assert.Equal(Predeploys.SequencerFeeVault, b1.Block.Header.Coinbase);
        var first = b1.Block.Transactions[0];
        Assert.True(first.IsDeposit);
        Assert.True(b1.Receipts[0].Success);
        var info = L1BlockInfo.FromBlock(b1.Block)!;
        Assert.Equal(0UL, info.Number);
        Assert.Equal(1UL, info.SequenceNumber); // genesis is sequence 0 of the genesis L1 block

        // Storage as OP Stack's L1Block lays it out.
        Assert.Equal(new UInt256(0) | (new UInt256(990) << 64), Slot(chain, 0));
        Assert.Equal(l1[0].BaseFee, Slot(chain, 1));
        Assert.Equal(UInt256.FromBigEndian(l1[0].Hash.Bytes), Slot(chain, 2));
        Assert.Equal(new UInt256(1) | (new UInt256(810949) << 64) | (new UInt256(1368) << 96), Slot(chain, 3));
        Assert.Equal(UInt256.FromBigEndian(SysConfig.BatcherHash.Bytes), Slot(chain, 4));
        Assert.Equal(UInt256.One, Slot(chain, 7));
        Assert.Equal(new UInt256(4) | (new UInt256(3) << 64), Slot(chain, 8));
        Assert.Equal(new UInt256(5), Slot(chain, 9)); // gasTokenPerEth (ours)

        // A new L1 block with a timestamp the next L2 block reaches: adopted, sequence restarts.
        l1.Add(1002);
        var b2 = chain.BuildBlock(await planner.NextAsync(default))!;
        Assert.Equal(1002UL, b2.Block.Header.Timestamp);
        var info2 = L1BlockInfo.FromBlock(b2.Block)!;
        Assert.Equal((1UL, 0UL), (info2.Number, info2.SequenceNumber));
        Assert.Equal(l1[1].Hash, info2.Hash);
        // prevRandao and the parent beacon root come from the L1 origin, as derivation sets them.
        Assert.Equal(l1[1].MixHash, b2.Block.Header.MixHash);
        Assert.Equal(l1[1].ParentBeaconRoot, b2.Block.Header.ParentBeaconBlockRoot);
        Assert.Equal(DepositSource.L1InfoDeposit(l1[1].Hash, 0), b2.Block.Transactions[0].SourceHash);
        Assert.Equal(UInt256.FromBigEndian(l1[1].Hash.Bytes), Slot(chain, 2));

        // An L1 block still ahead of L2 time is not adopted yet.
        l1.Add(1010);
        var b3 = chain.BuildBlock(await planner.NextAsync(default))!;
        Assert.Equal((1UL, 1UL), (L1BlockInfo.FromBlock(b3.Block)!.Number, L1BlockInfo.FromBlock(b3.Block)!.SequenceNumber));

        // The depositor's nonce counts the attributes deposits; its receipts carry it.
        Assert.Equal(2UL, b3.Receipts[0].DepositNonce);
    }

    [Fact]
    public async Task PastTheSequencerDrift_OnlyDeposits_AndWithoutANextOrigin_NoBlock()
    {
        var (chain, planner, l1) = Open(drift: 12);
        using var _ = chain;
        // L1 genesis at 990, L2 starts at 1001: drift 12 allows L2 time up to 1002.
        Assert.False((await planner.NextAsync(default)).NoTxPool);
        chain.BuildBlock(await planner.NextAsync(default));
        chain.BuildBlock(await planner.NextAsync(default));
        var e = await Assert.ThrowsAsync<L1OriginException>(() => planner.NextAsync(default));
        Assert.Contains("maximum sequencer drift", e.Message);

        // An L1 block far in the future of L2 time: still the old origin past drift, so deposits only.
        l1.Add(2000);
        var attrs = await planner.NextAsync(default);
        Assert.True(attrs.NoTxPool);
        Assert.Equal(0UL, L1BlockInfo.Decode(attrs.Transactions[0].Data).Number);
    }

    [Fact]
    public async Task ConfirmationDepth_KeepsTheOriginBehindTheL1Head()
    {
        var (chain, planner, l1) = Open(confDepth: 2);
        using var _ = chain;
        l1.Add(991);
        l1.Add(992);
        var b1 = chain.BuildBlock(await planner.NextAsync(default))!;
        Assert.Equal(0UL, L1BlockInfo.FromBlock(b1.Block)!.Number); // block 1 is only 1 deep
        l1.Add(993);
        var b2 = chain.BuildBlock(await planner.NextAsync(default))!;
        Assert.Equal(1UL, L1BlockInfo.FromBlock(b2.Block)!.Number);
    }

    [Fact]
    public async Task ReorganizedOrigin_OfAnUnsafeBlock_RewindsIt_AndSequencesOnTheNewL1Block()
    {
        var (chain, planner, l1) = Open();
        using var _ = chain;
        l1.Add(995);
        chain.BuildBlock(await planner.NextAsync(default));
        var oldOrigin = L1BlockInfo.FromBlock(chain.Store.GetBlock(chain.Head.Hash)!)!;
        Assert.Equal(1UL, oldOrigin.Number);
        l1.ReorgHead("other");
        var attrs = await planner.NextAsync(default);
        Assert.Equal(0UL, chain.Head.Number); // block 1 (unsafe) was built on the vanished L1 block: rewound
        var origin = L1BlockInfo.Decode(attrs.Transactions[0].Data);
        Assert.Equal(1UL, origin.Number);
        Assert.NotEqual(oldOrigin.Hash, origin.Hash);
    }

    [Fact]
    public async Task ReorganizedOrigin_OfTheSafeHead_StopsTheSequencer_UntilDerivationRewinds()
    {
        var (chain, planner, l1) = Open();
        using var _ = chain;
        l1.Add(995);
        chain.BuildBlock(await planner.NextAsync(default));
        chain.SetSafeAndFinalized(chain.Head, chain.Store.GetHeader(chain.Head.ParentHash)!);
        l1.ReorgHead("other");
        var e = await Assert.ThrowsAsync<L1OriginException>(() => planner.NextAsync(default));
        Assert.Contains("reorganized", e.Message);
        Assert.Contains("derivation", e.Message);
        Assert.Equal(1UL, chain.Head.Number);
    }

    [Fact]
    public void SequencingWindow_Rule() =>
        Assert.Equal((true, false), (new RollupSequencingConfig { GenesisL1Number = 0, GenesisL1Hash = default, SequencingWindowSize = 10 }.IsWithinSequencingWindow(5, 14),
            new RollupSequencingConfig { GenesisL1Number = 0, GenesisL1Hash = default, SequencingWindowSize = 10 }.IsWithinSequencingWindow(5, 15)));
}
