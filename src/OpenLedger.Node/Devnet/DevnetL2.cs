using OpenLedger.Chain.Genesis;
using OpenLedger.Node.Hosting;
using OpenLedger.Primitives;

namespace OpenLedger.Node.Devnet;

/// <summary>The devnet's L2: the dev-account genesis, the node, the printout a wallet user needs, and the L2 contracts.</summary>
public static class DevnetL2
{
    /// <summary>
    /// Starts the L2. With <paramref name="l1RpcUrl"/> it is a rollup: genesis holds the predeploys (built with forge from
    /// the checkout), is anchored to the L1's current head, and every block names an L1 origin read from that L1.
    /// </summary>
    /// <param name="presetAnchor">The L1 anchor and genesis time chosen before the L1 contracts were deployed (the output oracle needs the genesis time); resolved here when null.</param>
    /// <param name="portal">The L1 portal whose deposits the sequencer includes; null: no user deposits.</param>
    /// <param name="l1Addresses">DeployL1's contracts: with the SystemConfig, inbox and portal among them the node gets the devnet's
    /// rollup.json (<see cref="DevnetRollupConfig"/>) and derives its safe and finalized heads from L1.</param>
    public static async Task<NodeHost> StartAsync(DevnetOptions options, TextWriter output, CancellationToken ct, string? l1RpcUrl = null,
        DevnetAnchor? presetAnchor = null, Address? portal = null, IReadOnlyDictionary<string, string>? l1Addresses = null)
    {
        DevnetAnchor? anchor = null;
        var blockTime = options.BlockTimeMs == 0 ? (TimeSpan?)null : TimeSpan.FromMilliseconds(options.BlockTimeMs);
        RollupNodeConfig? rollup = null;
        ulong genesisTime = 0;
        string? artifacts = null;
        if (l1RpcUrl != null)
        {
            var root = ToolLocator.FindRepoRoot() ?? throw new InvalidOperationException("a rollup devnet needs the checkout (foundry.toml + package.json) to build its predeploys");
            if (blockTime is { } whole && (whole.TotalMilliseconds % 1000 != 0))
                throw new InvalidOperationException("--block-time-ms must be a whole number of seconds on a rollup devnet (L2 timestamps are parent + block time)");
            artifacts = await PredeployBuild.BuildAsync(ToolLocator.Find("forge"), root, ct);
            anchor = presetAnchor ?? await DevnetAnchor.ResolveAsync(options.DataDir, l1RpcUrl, ct);
            var l1Head = (anchor.Number, anchor.Hash);
            genesisTime = anchor.GenesisTime;
            rollup = new RollupNodeConfig
            {
                L1Rpc = l1RpcUrl,
                DepositContractAddress = portal,
                Sequencing = new Chain.Rollup.RollupSequencingConfig
                {
                    BlockTimeSeconds = blockTime is { } t ? (ulong)t.TotalSeconds : 1,
                    GenesisL1Number = l1Head.Number,
                    GenesisL1Hash = l1Head.Hash,
                },
            };
            await output.WriteLineAsync($"L2 genesis anchored to L1 block #{l1Head.Number} {l1Head.Hash}");
        }
        var (genesis, accounts) = DevnetGenesis.Create(timestamp: genesisTime);
        // Fee vaults pay out to governance (the L1 timelock's aliased address) on a rollup devnet with the bridge, else dev account 0.
        if (artifacts != null)
        {
            genesis = Chain.Rollup.PredeployGenesis.WithPredeploys(genesis, artifacts, DevnetGovernance.L2Owner(l1Addresses) ?? accounts[0].Address);
            genesis = PreinstallSource.Apply(genesis, ToolLocator.FindRepoRoot()!); // CREATE2 deployers, Multicall3, Permit2, Safe, ERC-4337
        }
        if (rollup != null && await DevnetRollupConfig.CreateAsync(l1RpcUrl!, l1Addresses, anchor!, GenesisHash(genesis), genesis.Timestamp, genesis.GasLimit,
                genesis.Config.ChainId, rollup.Sequencing.BlockTimeSeconds, ct) is { } rollupJson)
            rollup = RollupNodeConfig.FromRollupJson(rollupJson, rollup with { DepositContractAddress = null });
        var config = new NodeConfig
        {
            Genesis = genesis,
            DataDir = options.DataDir,
            RpcPort = options.L2Port,
            BlockTime = blockTime,
            Coinbase = rollup is null ? default : Chain.Rollup.Predeploys.SequencerFeeVault,
            Rollup = rollup,
            // anvil-style dev methods: all on a plain chain; on a rollup chain time travel and dev-account transactions (NodeHost.DevOptions).
            DevAccounts = accounts,
            // A development chain: traces and pool contents on, and legacy deployers (unprotected txs) allowed, as in anvil.
            EthRpc = new Rpc.Eth.EthRpcOptions { ExtraApis = new HashSet<string> { "debug", "txpool" } },
            AllowUnprotectedTxs = true,
        };
        var node = await NodeHost.StartAsync(config, Logging.Create(), ct);
        var currency = genesis.Config.Currency;
        await output.WriteLineAsync($"L2 (OpenLedger) JSON-RPC: {node.RpcUrl}  WebSocket: {node.WebSocketUrl}");
        await output.WriteLineAsync($"  MetaMask: network name \"OpenLedger Devnet\", RPC URL {node.RpcUrl}, chain id {genesis.Config.ChainId}, currency symbol {currency.Symbol} ({currency.Decimals} decimals)");
        await output.WriteLineAsync($"  block time: {(config.BlockTime is { } bt ? $"{bt.TotalMilliseconds:0} ms" : "instant")}, storage: {(config.DataDir ?? "in memory")}, head: {node.Chain.Head.Number}");
        await output.WriteLineAsync($"Available accounts ({DevnetGenesis.Prefund.ToBigInteger() / System.Numerics.BigInteger.Pow(10, currency.Decimals)} {currency.Symbol} each; mnemonic \"{Primitives.Wallet.DevAccounts.TestMnemonic}\"):");
        for (int i = 0; i < accounts.Count; i++)
            await output.WriteLineAsync($"  ({i}) {accounts[i].Address}  key {Hex.Encode(accounts[i].Key)}");
        await output.FlushAsync(ct);
        return node;
    }

    /// <summary>The hash genesis will have (computed on a throwaway in-memory chain): rollup.json names it.</summary>
    private static Primitives.Hash256 GenesisHash(Chain.Genesis.GenesisSpec genesis)
    {
        using var probe = Chain.Blockchain.Open(new State.Storage.MemoryKeyValueStore(), genesis, Chain.Rollup.Predeploys.SequencerFeeVault);
        return probe.Genesis.Hash;
    }

    private static bool HasCode(NodeHost node, string address) =>
        Address.TryParse(address, out var a) && node.Chain.StateAt(node.Chain.Head).GetAccount(a) is { } acc && acc.CodeHash != Keccak256.EmptyHash;

    /// <summary>Deploys DatanetRegistry, ModelRegistry and AttributionRewards on the L2 with forge; false when that fails.</summary>
    /// <param name="owner">Their owner (DeployL2's L2_OWNER): governance's aliased address on a rollup devnet; null: the deployer.</param>
    public static async Task<bool> DeployContractsAsync(NodeHost node, TextWriter output, CancellationToken ct, string? dataDir = null, Address? owner = null)
    {
        if (owner is { } o) await output.WriteLineAsync(DevnetGovernance.Describe(o));
        var root = ToolLocator.FindRepoRoot();
        if (root == null)
        {
            await output.WriteLineAsync("L2 contracts: not deployed: no checkout found (foundry.toml + package.json)");
            return true;
        }
        var file = Path.Combine(root, "deployments", $"{node.Chain.Config.ChainId}-l2.json");
        var resumed = await DeploymentRecord.TryResumeAsync(dataDir, "l2", file, address => Task.FromResult(HasCode(node, address)));
        if (resumed != null)
        {
            await output.WriteLineAsync($"L2 contracts resumed from {dataDir} ({Path.GetRelativePath(root, resumed.FilePath)}):");
            foreach (var (name, address) in resumed.Addresses)
                await output.WriteLineAsync($"  {name,-20} {address}");
            return true;
        }
        try
        {
            var forge = ToolLocator.Find("forge");
            await output.WriteLineAsync("L2 contracts: deploying with forge...");
            await output.FlushAsync(ct);
            var deployment = await ContractDeployer.DeployL2Async(forge, root, node.RpcUrl, node.Chain.Config.ChainId, ct: ct,
                environment: owner is { } l2Owner ? new Dictionary<string, string> { ["L2_OWNER"] = l2Owner.ToString() } : null);
            DeploymentRecord.Save(dataDir, "l2", deployment);
            await output.WriteLineAsync($"L2 contracts deployed ({Path.GetRelativePath(root, deployment.FilePath)}):");
            foreach (var (name, address) in deployment.Addresses)
                await output.WriteLineAsync($"  {name,-20} {address}");
            return true;
        }
        catch (FileNotFoundException e)
        {
            await output.WriteLineAsync($"L2 contracts: not deployed: {e.Message}");
            return true;
        }
        catch (Exception e) when (e is InvalidOperationException or TimeoutException or IOException or System.Text.Json.JsonException)
        {
            await Console.Error.WriteLineAsync($"error: L2 contracts: {e.Message}");
            return false;
        }
    }
}
