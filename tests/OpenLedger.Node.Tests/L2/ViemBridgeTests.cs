using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using Nethereum.JsonRpc.Client;
using OpenLedger.Node.Devnet;
using OpenLedger.Node.Tests;
using OpenLedger.Primitives;
using OpenLedger.Rollup.Outputs;
using Xunit.Abstractions;

namespace OpenLedger.Node.Tests.L2;

/// <summary>
/// viem's OP Stack actions against our contracts and node (tests/js/op-bridge-e2e.mjs): deposit OPEN on L1, spend it
/// as gas on L2, withdraw, wait for the proposer's output, prove, finalize, OPEN back on L1 exactly. Short windows
/// (an output every 4 L2 blocks, a 4-second finalization period) set at deployment; the proposer runs in the test.
/// </summary>
public sealed class ViemBridgeTests(ITestOutputHelper log)
{
    private const long L1ChainId = 31342;

    [Fact]
    public async Task ViemOpStackActions_DepositWithdrawProveFinalize_ReturnOpenExactly()
    {
        await using var net = await BridgeNet.StartAsync(L1ChainId, submissionInterval: 4, finalizationPeriod: 4, resolutionPeriod: 3);
        var oracle = new OutputOracleClient(net.L1Client, net.Addr("L2OutputOracle"), net.Sender(Hex.Decode(DevnetBridge.ProposerKey)));
        var proposer = new ProposerService(oracle, new L2OutputSource(new RpcClient(new Uri(net.Node.RpcUrl)), "latest"), NullLogger.Instance)
        {
            PollInterval = TimeSpan.FromMilliseconds(500),
        };
        using var stop = new CancellationTokenSource();
        var proposing = Task.Run(() => proposer.RunAsync(stop.Token));
        try
        {
            var (code, output) = await L2NodeFixture.RunToolAsync("node",
                [Path.Combine("tests", "js", "op-bridge-e2e.mjs"), net.Anvil.RpcUrl, net.Node.RpcUrl, L1ChainId.ToString(CultureInfo.InvariantCulture),
                 net.Node.Chain.Config.ChainId.ToString(CultureInfo.InvariantCulture), net.Addr("OpenPortal").ToString(), net.Addr("L2OutputOracle").ToString(),
                 net.Addr("OpenToken").ToString(), ContractDeployer.AnvilDevKey0], TimeSpan.FromMinutes(4));
            log.WriteLine(output);
            Assert.True(code == 0, output);
            var result = JsonDocument.Parse(output.Trim().Split('\n')[^1]).RootElement;
            Assert.True(result.GetProperty("ok").GetBoolean());
            // Escrow = minted by deposits − released by withdrawals: 40 − 15 OPEN.
            Assert.Equal((new UInt256(25) * new UInt256(1_000_000_000_000_000_000)).ToBigInteger().ToString(), result.GetProperty("escrowed").GetString());
            Assert.True(proposer.Proposed > 0);
        }
        finally
        {
            await stop.CancelAsync();
            await proposing;
        }
    }
}
