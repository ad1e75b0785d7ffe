using System.Numerics;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging.Abstractions;
using Nethereum.Hex.HexTypes;
using Nethereum.RPC.Eth.DTOs;
using OpenLedger.Node.Devnet;
using OpenLedger.Node.Hosting;
using OpenLedger.Primitives;
using OpenLedger.Primitives.Abi;
using OpenLedger.Settlement.Chain;
using OpenLedger.Tests.Shared;

namespace OpenLedger.Settlement.Tests;

/// <summary>
/// Our L2 node in process, in dev mode (instant sealing, evm_increaseTime), with the app contracts deployed by forge
/// (DeployL2.s.sol, as the devnet deploys them) and the epoch, challenge and withdrawal windows set at deployment.
/// Account 0 deployed everything: admin, poster and settler.
/// </summary>
public sealed class SettlementChain : IAsyncDisposable
{
    public const ulong EpochLength = 3600;
    public const ulong ChallengeWindow = 600;

    public NodeHost Node { get; private init; } = null!;
    public IReadOnlyList<(Address Address, byte[] Key)> Accounts { get; private init; } = [];
    public IReadOnlyDictionary<string, string> Contracts { get; private init; } = null!;
    public string ContractsFile { get; private init; } = "";
    public ChainClient Chain { get; private init; } = null!;
    public PaymentsContract Payments { get; private init; } = null!;
    public RewardsContract Rewards { get; private init; } = null!;
    public ulong ChainId => Node.Chain.Config.ChainId;
    public string RpcUrl => Node.RpcUrl;

    public Address Contract(string name) => Address.Parse(Contracts[name]);

    public static async Task<SettlementChain> StartAsync(ulong chainId)
    {
        var (genesis, accounts) = DevnetGenesis.Create((ulong)DateTimeOffset.UtcNow.ToUnixTimeSeconds());
        genesis = genesis with { Config = genesis.Config with { ChainId = chainId } };
        var node = await NodeHost.StartAsync(new NodeConfig
        {
            Genesis = genesis,
            Coinbase = Address.Parse("0x000000000000000000000000000000000000c0b1"),
            RpcPort = 0,
            BlockTime = null,
            DevAccounts = accounts,
        }, NullLoggerFactory.Instance);
        var d = await ContractDeployer.DeployL2Async(TestPaths.FoundryTool("forge"), TestPaths.RepoRoot, node.RpcUrl, chainId,
            Hex.Encode(accounts[0].Key), TimeSpan.FromMinutes(8), environment: new Dictionary<string, string>
            {
                ["EPOCH_LENGTH"] = EpochLength.ToString(), ["CHALLENGE_WINDOW"] = ChallengeWindow.ToString(), ["WITHDRAW_DELAY"] = "600",
            });
        // Keep a copy outside deployments/ (a developer's devnet file must survive the tests) for the CLI's --contracts.
        var file = Path.Combine(Path.GetTempPath(), $"ol-settlement-{chainId}-{Guid.NewGuid():N}.json");
        File.Copy(d.FilePath, file);
        File.Delete(d.FilePath);
        var chain = new ChainClient(node.RpcUrl);
        return new SettlementChain
        {
            Node = node, Accounts = accounts, Contracts = d.Addresses, ContractsFile = file, Chain = chain,
            Payments = new PaymentsContract(chain, Address.Parse(d.Addresses["InferencePayments"])),
            Rewards = new RewardsContract(chain, Address.Parse(d.Addresses["AttributionRewards"])),
        };
    }

    /// <summary>Sends a call from dev account <paramref name="account"/> through Nethereum and fails on revert.</summary>
    public async Task<TransactionReceipt> SendAsync(int account, string to, string signature, object?[] args, BigInteger? value = null)
    {
        var acct = new Nethereum.Web3.Accounts.Account(Hex.Encode(Accounts[account].Key), new BigInteger(ChainId));
        var web3 = new Nethereum.Web3.Web3(acct, RpcUrl);
        web3.TransactionManager.UseLegacyAsDefault = false;
        var data = AbiFunction.FromSignature(signature).EncodeCall(args);
        var input = new TransactionInput(Hex.Encode(data), to, acct.Address, new HexBigInteger(5_000_000), new HexBigInteger(value ?? 0));
        var receipt = await web3.Eth.TransactionManager.SendTransactionAndWaitForReceiptAsync(input);
        Assert.True(receipt.Status.Value == 1, $"{signature} reverted (tx {receipt.TransactionHash})");
        return receipt;
    }

    /// <summary>Moves the chain's clock forward and seals a block at the new time (dev methods, as anvil's).</summary>
    public async Task AdvanceAsync(ulong seconds)
    {
        using var http = new HttpClient();
        foreach (var (method, p) in new[] { ("evm_increaseTime", new JsonArray(seconds)), ("evm_mine", new JsonArray()) })
        {
            var body = new JsonObject { ["jsonrpc"] = "2.0", ["id"] = 1, ["method"] = method, ["params"] = p };
            using var res = await http.PostAsync(RpcUrl, new StringContent(body.ToJsonString(), System.Text.Encoding.UTF8, "application/json"));
            var text = await res.Content.ReadAsStringAsync();
            Assert.True(res.IsSuccessStatusCode && !text.Contains("\"error\""), $"{method}: {text}");
        }
    }

    /// <summary>
    /// Moves the clock until the latest block is at or after <paramref name="timestamp"/>. Blocks sealed faster than
    /// one a second run ahead of the wall clock, so one jump of (target − latest) can fall short; repeat until there.
    /// </summary>
    public async Task AdvanceToAsync(ulong timestamp)
    {
        for (ulong latest; (latest = await Chain.LatestTimestampAsync()) < timestamp;)
            await AdvanceAsync(timestamp - latest);
    }

    public async ValueTask DisposeAsync()
    {
        await Node.DisposeAsync();
        File.Delete(ContractsFile);
    }
}
