using System.Globalization;
using Microsoft.Extensions.Logging.Abstractions;
using Nethereum.JsonRpc.Client;
using OpenLedger.Chain.Rollup;
using OpenLedger.Node.Devnet;
using OpenLedger.Node.Hosting;
using OpenLedger.Node.L1;
using OpenLedger.Primitives;
using OpenLedger.Chain;
using OpenLedger.Rollup.Batcher;
using OpenLedger.Rollup.Config;
using OpenLedger.State.Storage;
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

    /// <summary>op-node's rollup.json for this network, when started with derivation (then the node derives its safe head from L1).</summary>
    public RollupConfig? Rollup { get; private set; }
    public Chain.Genesis.GenesisSpec Genesis { get; private set; } = null!;

    /// <summary>anvil's account 2: DeployL1's default batcher.</summary>
    public static readonly byte[] BatcherKey = Hex.Decode("0x5de4111afa1a4b94908f83103eb1f1706367c2e68ca870fc3fb9a804cdab365a");

    /// <param name="withDerivation">Give the node a rollup.json (the real portal, SystemConfig and inbox): it derives from L1, and replicas can follow it.</param>
    /// <param name="environment">More DeployL1 variables (e.g. governance's VOTING_DELAY, VOTING_PERIOD, TIMELOCK_DELAY).</param>
    /// <param name="l2ChainId">Another L2 chain id than the devnet's, for tests that write deployments/&lt;L2 chain id&gt;-l2.json.</param>
    public static async Task<BridgeNet> StartAsync(long l1ChainId, int submissionInterval, int finalizationPeriod, int resolutionPeriod, bool withDerivation = false,
        IReadOnlyDictionary<string, string>? environment = null, ulong? l2ChainId = null)
    {
        var anvil = await AnvilProcess.StartAsync(ToolLocator.Find("anvil"), TestPaths.FreePort(), ["--chain-id", l1ChainId.ToString(CultureInfo.InvariantCulture), "--block-time", "1"]);
        var net = new BridgeNet { Anvil = anvil, L1Client = new RpcClient(new Uri(anvil.RpcUrl)), L1ChainId = l1ChainId };
        try
        {
            var head = await new NethereumL1Source(anvil.RpcUrl).GetHeadAsync(default);
            ulong genesisTime = Math.Max(head.Timestamp, (ulong)DateTimeOffset.UtcNow.ToUnixTimeSeconds());
            var deployEnv = new Dictionary<string, string>
            {
                ["L2_STARTING_TIMESTAMP"] = genesisTime.ToString(CultureInfo.InvariantCulture),
                ["L2_BLOCK_TIME"] = "1",
                ["SUBMISSION_INTERVAL"] = submissionInterval.ToString(CultureInfo.InvariantCulture),
                ["FINALIZATION_PERIOD"] = finalizationPeriod.ToString(CultureInfo.InvariantCulture),
                ["RESOLUTION_PERIOD"] = resolutionPeriod.ToString(CultureInfo.InvariantCulture),
                ["PROPOSER_KEY"] = DevnetBridge.ProposerKey,
            };
            foreach (var (k, v) in environment ?? new Dictionary<string, string>()) deployEnv[k] = v;
            net.L1 = await ContractDeployer.DeployL1Async(ToolLocator.Find("forge"), TestPaths.RepoRoot, anvil.RpcUrl, l1ChainId, environment: deployEnv);
            var (genesis, _) = DevnetGenesis.Create(genesisTime);
            if (l2ChainId is { } id) genesis = genesis with { Config = genesis.Config with { ChainId = id } };
            genesis = PredeployGenesis.WithPredeploys(genesis, ForgeBuild.Artifacts("contracts/src/l2/predeploys"), Accounts[0].Address);
            net.Genesis = genesis;
            var rollup = new RollupNodeConfig
            {
                L1Rpc = anvil.RpcUrl,
                DepositContractAddress = net.Addr("OpenPortal"),
                Sequencing = new RollupSequencingConfig { GenesisL1Number = head.Number, GenesisL1Hash = head.Hash },
            };
            if (withDerivation)
            {
                Hash256 l2Genesis;
                using (var probe = Blockchain.Open(new MemoryKeyValueStore(), genesis, Predeploys.SequencerFeeVault)) l2Genesis = probe.Genesis.Hash;
                net.Rollup = new RollupConfig
                {
                    GenesisL1 = new BlockId(head.Hash, head.Number),
                    GenesisL2 = new BlockId(l2Genesis, 0),
                    GenesisL2Time = genesis.Timestamp,
                    GenesisSystemConfig = new SystemConfig(Primitives.Crypto.Secp256k1.AddressFromPrivateKey(BatcherKey), Hash256.Zero, SystemConfig.EcotoneScalar(1368, 810949), genesis.GasLimit),
                    BlockTime = 1, MaxSequencerDrift = 600, SeqWindowSize = 3600, ChannelTimeout = 50,
                    L1ChainId = (ulong)l1ChainId, L2ChainId = genesis.Config.ChainId,
                    BatchInboxAddress = net.Addr("BatchInbox"),
                    DepositContractAddress = net.Addr("OpenPortal"),
                    L1SystemConfigAddress = net.Addr("SystemConfig"),
                    FjordTime = 0, GraniteTime = 0,
                };
                rollup = RollupNodeConfig.FromRollupJson(net.Rollup, rollup with { DepositContractAddress = null });
            }
            net._rollup = rollup;
            net.Node = await NodeHost.StartAsync(net.NodeConfig(rollup, NodeRole.Sequencer, null), NullLoggerFactory.Instance);
            return net;
        }
        catch
        {
            await net.DisposeAsync();
            throw;
        }
    }

    public Address Addr(string name) => Address.Parse(L1.Addresses[name]);

    private NodeConfig NodeConfig(RollupNodeConfig rollup, NodeRole role, string? sequencerRpc) => new()
    {
        Genesis = Genesis,
        RpcPort = 0,
        BlockTime = TimeSpan.FromSeconds(1),
        Role = role,
        SequencerRpc = sequencerRpc,
        Rollup = rollup,
    };

    /// <summary>A replica of the node: only L1 and rollup.json (needs <c>withDerivation</c>).</summary>
    public Task<NodeHost> StartReplicaAsync() =>
        NodeHost.StartAsync(NodeConfig(_rollup, NodeRole.Replica, Node.RpcUrl), NullLoggerFactory.Instance);

    private RollupNodeConfig _rollup = null!;

    public L1TxSender Sender(byte[] key) => new(L1Client, key, (ulong)L1ChainId, NullLogger.Instance) { PollInterval = TimeSpan.FromMilliseconds(100) };

    public async ValueTask DisposeAsync()
    {
        if (Node is not null) await Node.DisposeAsync();
        await Anvil.DisposeAsync();
        if (L1 is not null) File.Delete(L1.FilePath);
    }
}
