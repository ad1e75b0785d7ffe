using System.Globalization;
using Microsoft.Extensions.Logging.Abstractions;
using Nethereum.JsonRpc.Client;
using OpenLedger.Chain.Rollup;
using OpenLedger.Node.Devnet;
using OpenLedger.Node.Hosting;
using OpenLedger.Node.L1;
using OpenLedger.Primitives;
using OpenLedger.Rollup.Batcher;
using OpenLedger.Tests.Shared;

namespace OpenLedger.Node.Tests.L2;

/// <summary>
/// anvil (a block a second) with DeployL1 (token, staking, L2OutputOracle, OpenPortal, the proposer staked) and our
/// rollup node reading the portal's deposits: the bridge tests' own network (their own L1 chain id, so the
/// deployments file they write never collides with a devnet's or another test's; deleted at the end).
/// </summary>
public sealed class BridgeNet : IAsyncDisposable
{
    public AnvilProcess Anvil { get; private init; } = null!;
    public NodeHost Node { get; private set; } = null!;
    public ContractDeployment L1 { get; private set; } = null!;
    public RpcClient L1Client { get; private init; } = null!;
    public long L1ChainId { get; private init; }
    public static readonly IReadOnlyList<(Address Address, byte[] Key)> Accounts = DevnetGenesis.Create(0).Accounts;

    public static async Task<BridgeNet> StartAsync(long l1ChainId, int submissionInterval, int finalizationPeriod, int resolutionPeriod)
    {
        var anvil = await AnvilProcess.StartAsync(ToolLocator.Find("anvil"), TestPaths.FreePort(), ["--chain-id", l1ChainId.ToString(CultureInfo.InvariantCulture), "--block-time", "1"]);
        var net = new BridgeNet { Anvil = anvil, L1Client = new RpcClient(new Uri(anvil.RpcUrl)), L1ChainId = l1ChainId };
        try
        {
            var head = await new NethereumL1Source(anvil.RpcUrl).GetHeadAsync(default);
            ulong genesisTime = Math.Max(head.Timestamp, (ulong)DateTimeOffset.UtcNow.ToUnixTimeSeconds());
            net.L1 = await ContractDeployer.DeployL1Async(ToolLocator.Find("forge"), TestPaths.RepoRoot, anvil.RpcUrl, l1ChainId, environment: new Dictionary<string, string>
            {
                ["L2_STARTING_TIMESTAMP"] = genesisTime.ToString(CultureInfo.InvariantCulture),
                ["L2_BLOCK_TIME"] = "1",
                ["SUBMISSION_INTERVAL"] = submissionInterval.ToString(CultureInfo.InvariantCulture),
                ["FINALIZATION_PERIOD"] = finalizationPeriod.ToString(CultureInfo.InvariantCulture),
                ["RESOLUTION_PERIOD"] = resolutionPeriod.ToString(CultureInfo.InvariantCulture),
                ["PROPOSER_KEY"] = DevnetBridge.ProposerKey,
            });
            var (genesis, _) = DevnetGenesis.Create(genesisTime);
            genesis = PredeployGenesis.WithPredeploys(genesis, ForgeBuild.Artifacts("contracts/src/l2/predeploys"), Accounts[0].Address);
            net.Node = await NodeHost.StartAsync(new NodeConfig
            {
                Genesis = genesis,
                RpcPort = 0,
                BlockTime = TimeSpan.FromSeconds(1),
                Rollup = new RollupNodeConfig
                {
                    L1Rpc = anvil.RpcUrl,
                    DepositContractAddress = net.Addr("OpenPortal"),
                    Sequencing = new RollupSequencingConfig { GenesisL1Number = head.Number, GenesisL1Hash = head.Hash },
                },
            }, NullLoggerFactory.Instance);
            return net;
        }
        catch
        {
            await net.DisposeAsync();
            throw;
        }
    }

    public Address Addr(string name) => Address.Parse(L1.Addresses[name]);

    public L1TxSender Sender(byte[] key) => new(L1Client, key, (ulong)L1ChainId, NullLogger.Instance) { PollInterval = TimeSpan.FromMilliseconds(100) };

    public async ValueTask DisposeAsync()
    {
        if (Node is not null) await Node.DisposeAsync();
        await Anvil.DisposeAsync();
        if (L1 is not null) File.Delete(L1.FilePath);
    }
}
