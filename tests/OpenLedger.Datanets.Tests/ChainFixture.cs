using System.Numerics;
using Microsoft.Extensions.Logging.Abstractions;
using Nethereum.Hex.HexTypes;
using Nethereum.RPC.Eth.DTOs;
using OpenLedger.Datanets.Indexing;
using OpenLedger.Node.Devnet;
using OpenLedger.Node.Hosting;
using OpenLedger.Primitives;
using OpenLedger.Primitives.Abi;
using OpenLedger.Tests.Shared;

namespace OpenLedger.Datanets.Tests;

[CollectionDefinition(Name)]
public sealed class ChainCollection : ICollectionFixture<ChainFixture>
{
    public const string Name = "L2 node with the app contracts";
}

/// <summary>
/// Our L2 node in process (devnet genesis, a block per transaction) with DatanetRegistry, ModelRegistry and
/// AttributionRewards deployed by forge (DeployL2.s.sol), as the devnet deploys them. Transactions go through Nethereum.
/// </summary>
public sealed class ChainFixture : IAsyncLifetime, ITestChain
{
    public NodeHost Node { get; private set; } = null!;
    public IReadOnlyList<(Address Address, byte[] Key)> Accounts { get; private set; } = [];
    public ContractAddresses Contracts { get; private set; } = null!;
    public ulong ChainId => Node.Chain.Config.ChainId;
    public string RpcUrl => Node.RpcUrl;

    public async Task InitializeAsync()
    {
        var (genesis, accounts) = DevnetGenesis.Create((ulong)DateTimeOffset.UtcNow.ToUnixTimeSeconds());
        Accounts = accounts;
        Node = await NodeHost.StartAsync(new NodeConfig
        {
            Genesis = genesis,
            Coinbase = Address.Parse("0x000000000000000000000000000000000000c0b1"),
            RpcPort = 0,
            BlockTime = null,
        }, NullLoggerFactory.Instance);
        var d = await ContractDeployer.DeployL2Async(TestPaths.FoundryTool("forge"), TestPaths.RepoRoot, Node.RpcUrl, ChainId,
            Hex.Encode(accounts[0].Key), TimeSpan.FromMinutes(8));
        try
        {
            Contracts = ContractAddresses.Load(d.FilePath);
        }
        finally
        {
            File.Delete(d.FilePath);
        }
    }

    public async Task DisposeAsync() => await Node.DisposeAsync();
}

/// <summary>Transactions tests send, through Nethereum.</summary>
public static class ChainTx
{
    /// <summary>Sends a call from dev account <paramref name="account"/> and waits for its receipt; fails the test on revert.</summary>
    public static Task<TransactionReceipt> SendAsync(this ITestChain chain, int account, string to, string signature, object?[] args, BigInteger? value = null) =>
        SendAsync(chain.RpcUrl, chain.ChainId, chain.Accounts[account].Key, to, signature, args, value);

    public static async Task<TransactionReceipt> SendAsync(string rpcUrl, ulong chainId, byte[] key, string to, string signature, object?[] args, BigInteger? value = null)
    {
        var acct = new Nethereum.Web3.Accounts.Account(Hex.Encode(key), new BigInteger(chainId));
        var web3 = new Nethereum.Web3.Web3(acct, rpcUrl);
        web3.TransactionManager.UseLegacyAsDefault = false;
        var data = AbiFunction.FromSignature(signature).EncodeCall(args);
        var input = new TransactionInput(Hex.Encode(data), to, acct.Address, new HexBigInteger(3_000_000), new HexBigInteger(value ?? 0));
        var receipt = await web3.Eth.TransactionManager.SendTransactionAndWaitForReceiptAsync(input);
        Assert.True(receipt.Status.Value == 1, $"{signature} reverted (tx {receipt.TransactionHash})");
        return receipt;
    }

    /// <summary>createDatanet from dev account <paramref name="owner"/>; returns the new id (from the DatanetCreated log).</summary>
    public static async Task<long> CreateDatanetAsync(this ITestChain chain, int owner, string name, int kind, ulong maxFileBytes, BigInteger? fee = null)
    {
        var r = await chain.SendAsync(owner, chain.Contracts.DatanetRegistry, "createDatanet(string,string,string,uint8,uint128,uint64)",
            [name, "ipfs://meta/" + name, "CC-BY-4.0", new UInt256((ulong)kind), new UInt256((ulong)(fee ?? 0)), new UInt256(maxFileBytes)]);
        var created = RegistryEvents.Datanet[0];
        var log = r.Logs.First(l => Hash256.Parse(l.Topics[0].ToString()!) == created.Topic0);
        return (long)new HexBigInteger(log.Topics[1].ToString()).Value;
    }

    public static Task<TransactionReceipt> ContributeAsync(this ITestChain chain, int account, long datanetId, Hash256 hash, long size, BigInteger? fee = null) =>
        chain.SendAsync(account, chain.Contracts.DatanetRegistry, "contribute(uint256,bytes32,uint64,string)",
            [new UInt256((ulong)datanetId), hash.ToArray(), new UInt256((ulong)size), ""], fee);
}
