using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using OpenLedger.Chain.Rollup;
using OpenLedger.Node.Devnet;
using OpenLedger.Node.Hosting;
using OpenLedger.Primitives;
using OpenLedger.Tests.Shared;
using Xunit.Abstractions;

namespace OpenLedger.Node.Tests.L2;

/// <summary>
/// The L1 data fee through a client we did not write: viem's OP Stack public actions (tests/js/l1-fee-e2e.mjs) against a
/// rollup node of our own (its own dev accounts; one fixed L1 origin with a 20 gwei base fee, OP mainnet's scalars,
/// 4,000 OPEN per ETH): getL1BaseFee, estimateL1Fee and estimateTotalFee answer from our GasPriceOracle, the receipt
/// carries op-geth's fields, and the sender paid exactly value + gas + l1Fee, which the L1FeeVault received.
/// </summary>
public sealed class L1FeeViemTests(ITestOutputHelper log) : IAsyncLifetime
{
    private NodeHost _node = null!;
    private static readonly UInt256 L1BaseFee = new(20_000_000_000);
    private static readonly UInt256 Rate = UInt256.Parse("4000000000000000000000");
    private (Address Address, byte[] Key) _sender;

    public async Task InitializeAsync()
    {
        const ulong time = 1_700_000_000;
        var (genesis, accounts) = DevnetGenesis.Create(time);
        _sender = accounts[5];
        genesis = PredeployGenesis.WithPredeploys(genesis, ForgeBuild.Artifacts("contracts/src/l2/predeploys"), accounts[0].Address);
        _node = await NodeHost.StartAsync(new NodeConfig
        {
            Genesis = genesis,
            RpcPort = 0,
            BlockTime = null,
            Rollup = new RollupNodeConfig
            {
                FixedL1Origin = new L1BlockRef(7, Keccak256.Compute("l1 origin"u8), Keccak256.Compute("l1 parent"u8), time, L1BaseFee, new UInt256(3)),
                Sequencing = new RollupSequencingConfig
                {
                    GenesisL1Number = 7,
                    GenesisL1Hash = Keccak256.Compute("l1 origin"u8),
                    GenesisSystemConfig = new SystemConfigValues { BaseFeeScalar = 1368, BlobBaseFeeScalar = 810949, GasTokenPerEth = Rate },
                },
            },
        }, NullLoggerFactory.Instance);
    }

    public async Task DisposeAsync() => await _node.DisposeAsync();

    [Fact]
    public async Task Viem_EstimatesAndReceipt_MatchWhatTheSenderPaid()
    {
        var (code, output) = await L2NodeFixture.RunToolAsync("node",
            [Path.Combine("tests", "js", "l1-fee-e2e.mjs"), _node.RpcUrl, _node.Chain.Config.ChainId.ToString(CultureInfo.InvariantCulture),
             Hex.Encode(_sender.Key), L1BaseFee.ToBigInteger().ToString(), Rate.ToBigInteger().ToString()], TimeSpan.FromMinutes(2));
        log.WriteLine(output);
        Assert.True(code == 0, output);
        var result = JsonDocument.Parse(output.Trim().Split('\n')[^1]).RootElement;
        Assert.True(result.GetProperty("ok").GetBoolean());

        // The receipt's fields are the node's one rule over the signed transaction with the block's L1 attributes.
        var block = _node.Chain.Store.GetBlock(_node.Chain.Store.GetCanonicalHash(ulong.Parse(result.GetProperty("blockNumber").GetString()!, CultureInfo.InvariantCulture))!.Value)!;
        var tx = block.Transactions.Single(t => !t.IsDeposit);
        var fee = Chain.Rollup.Fees.L1DataFee.Compute(tx.Encode(), Chain.Rollup.Fees.L1FeeParams.From(L1BlockInfo.FromBlock(block)!));
        var receipt = result.GetProperty("receipt");
        Assert.Equal(fee.Fee.ToHexString(), receipt.GetProperty("l1Fee").GetString());
        Assert.Equal(RpcHexOf(fee.L1GasUsed), receipt.GetProperty("l1GasUsed").GetString());
        Assert.Equal(L1BaseFee.ToHexString(), receipt.GetProperty("l1GasPrice").GetString());
        Assert.Equal("0x558", receipt.GetProperty("l1BaseFeeScalar").GetString()); // 1368
        Assert.Equal("0xc5fc5", receipt.GetProperty("l1BlobBaseFeeScalar").GetString()); // 810949
        Assert.Equal("0x3", receipt.GetProperty("l1BlobBaseFee").GetString());
        Assert.Equal(Rate.ToHexString(), receipt.GetProperty("gasTokenPerEth").GetString());
    }

    private static string RpcHexOf(ulong v) => "0x" + v.ToString("x", CultureInfo.InvariantCulture);
}
