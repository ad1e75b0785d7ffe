using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using OpenLedger.Chain.Rollup;
using OpenLedger.Node.Devnet;
using OpenLedger.Node.Hosting;
using OpenLedger.Node.L1;
using OpenLedger.Primitives;
using OpenLedger.Primitives.Transactions;
using OpenLedger.Tests.Shared;
using Xunit.Abstractions;

namespace OpenLedger.Node.Tests.L2;

/// <summary>
/// A rollup sequencer against a real L1 (anvil, read through Nethereum): blocks start with the L1 attributes deposit,
/// the origin follows L1 as it is mined, RPC shows deposits as op-geth does, viem's OP Stack formatters read them,
/// deposits are refused from RPC, and safe/finalized stay at genesis until derivation moves them.
/// </summary>
public sealed class RollupSequencerTests(ITestOutputHelper log) : IAsyncLifetime
{
    private AnvilProcess _anvil = null!;
    private NodeHost _node = null!;
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(60) };
    private static readonly IReadOnlyList<(Address Address, byte[] Key)> Accounts = DevnetGenesis.Create(0).Accounts;
    private L1BlockRef _genesisL1 = null!;
    private static readonly Address FeeRecipient = Address.Parse("0x00000000000000000000000000000000000fee01");

    public async Task InitializeAsync()
    {
        _anvil = await AnvilProcess.StartAsync(ToolLocator.Find("anvil"), TestPaths.FreePort(), ["--chain-id", "31337"]);
        _genesisL1 = await new NethereumL1Source(_anvil.RpcUrl).GetHeadAsync(default);
        var (genesis, _) = DevnetGenesis.Create(_genesisL1.Timestamp);
        genesis = PredeployGenesis.WithPredeploys(genesis, ForgeBuild.Artifacts("contracts/src/l2/predeploys"), FeeRecipient);
        _node = await NodeHost.StartAsync(new NodeConfig
        {
            Genesis = genesis,
            RpcPort = 0,
            BlockTime = null,
            Rollup = new RollupNodeConfig
            {
                L1Rpc = _anvil.RpcUrl,
                Sequencing = new RollupSequencingConfig { GenesisL1Number = _genesisL1.Number, GenesisL1Hash = _genesisL1.Hash },
            },
        }, NullLoggerFactory.Instance);
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _node.DisposeAsync();
        await _anvil.DisposeAsync();
    }

    private async Task<JsonElement> CallAsync(string url, string method, params object?[] args)
    {
        using var content = new StringContent(JsonSerializer.Serialize(new { jsonrpc = "2.0", id = 1, method, @params = args }), Encoding.UTF8);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        using var resp = await _http.PostAsync(url, content);
        return JsonDocument.Parse(await resp.Content.ReadAsStringAsync()).RootElement.Clone();
    }

    private async Task<JsonElement> ResultAsync(string method, params object?[] args)
    {
        var r = await CallAsync(_node.RpcUrl, method, args);
        Assert.False(r.TryGetProperty("error", out var err), $"{method}: {err}");
        return r.GetProperty("result");
    }

    private static ulong Q(JsonElement e) => ulong.Parse(e.GetString()!.AsSpan(2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture);

    private async Task<JsonElement> SendAndWaitAsync(int account, ulong nonce)
    {
        var tx = new Transaction
        {
            Type = TxType.DynamicFee, ChainId = _node.Chain.Config.ChainId, Nonce = nonce, MaxPriorityFeePerGas = new UInt256(1_000_000_000),
            MaxFeePerGas = new UInt256(100_000_000_000), GasLimit = 21_000, To = Accounts[9].Address, Value = UInt256.One,
        };
        tx.Sign(Accounts[account].Key);
        var hash = (await ResultAsync("eth_sendRawTransaction", "0x" + Convert.ToHexStringLower(tx.Encode()))).GetString()!;
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (true)
        {
            var r = await ResultAsync("eth_getTransactionReceipt", hash);
            if (r.ValueKind == JsonValueKind.Object) return r;
            Assert.True(DateTime.UtcNow < deadline, $"no receipt for {hash}");
            await Task.Delay(20);
        }
    }

    [Fact]
    public async Task Blocks_StartWithL1Attributes_FollowL1_AndRpcShowsDepositsAsOpGeth()
    {
        var r1 = await SendAndWaitAsync(0, 0);
        ulong n1 = Q(r1.GetProperty("blockNumber"));
        Assert.Equal(1UL, Q(r1.GetProperty("transactionIndex")));

        var block = await ResultAsync("eth_getBlockByNumber", "0x" + n1.ToString("x"), true);
        Assert.Equal("0x4200000000000000000000000000000000000011", block.GetProperty("miner").GetString());
        var dep = block.GetProperty("transactions")[0];
        Assert.Equal("0x7e", dep.GetProperty("type").GetString());
        Assert.Equal("0xdeaddeaddeaddeaddeaddeaddeaddeaddead0001", dep.GetProperty("from").GetString());
        Assert.Equal("0x4200000000000000000000000000000000000015", dep.GetProperty("to").GetString());
        Assert.Equal("0x0", dep.GetProperty("mint").GetString());
        Assert.Equal("0x0", dep.GetProperty("gasPrice").GetString());
        Assert.Equal("0x0", dep.GetProperty("v").GetString());
        Assert.Equal("0xf4240", dep.GetProperty("gas").GetString());
        Assert.Equal("0x1", dep.GetProperty("depositReceiptVersion").GetString());
        Assert.False(dep.TryGetProperty("isSystemTx", out _));
        Assert.False(dep.TryGetProperty("chainId", out _));
        Assert.Equal(DepositSource.L1InfoDeposit(_genesisL1.Hash, 1).ToString(), dep.GetProperty("sourceHash").GetString());
        var depReceipt = await ResultAsync("eth_getTransactionReceipt", dep.GetProperty("hash").GetString());
        Assert.Equal("0x1", depReceipt.GetProperty("status").GetString());
        Assert.Equal(dep.GetProperty("nonce").GetString(), depReceipt.GetProperty("depositNonce").GetString());
        Assert.Equal("0x1", depReceipt.GetProperty("depositReceiptVersion").GetString());
        Assert.False(r1.TryGetProperty("depositNonce", out _));

        // L1Block answers with the L1 origin (number() selector 0x8381f58a).
        var number = await ResultAsync("eth_call", new { to = "0x4200000000000000000000000000000000000015", data = "0x8381f58a" }, "latest");
        Assert.Equal(_genesisL1.Number, (ulong)UInt256.Parse(number.GetString()!));

        // Mine L1 blocks with timestamps the next L2 block reaches: the origin advances one L1 block per L2 block.
        var l2Time = Q(block.GetProperty("timestamp"));
        await CallAsync(_anvil.RpcUrl, "evm_mine", l2Time + 1);
        var r2 = await SendAndWaitAsync(0, 1);
        var b2 = await ResultAsync("eth_getBlockByNumber", r2.GetProperty("blockNumber").GetString(), true);
        var l1Head = await new NethereumL1Source(_anvil.RpcUrl).GetHeadAsync(default);
        Assert.Equal(l1Head.Number, _genesisL1.Number + 1);
        Assert.Equal(DepositSource.L1InfoDeposit(l1Head.Hash, 0).ToString(), b2.GetProperty("transactions")[0].GetProperty("sourceHash").GetString());
        number = await ResultAsync("eth_call", new { to = "0x4200000000000000000000000000000000000015", data = "0x8381f58a" }, "latest");
        Assert.Equal(l1Head.Number, (ulong)UInt256.Parse(number.GetString()!));

        // A client we did not write reads the deposit: viem with its OP Stack formatters.
        var (code, output) = await L2NodeFixture.RunToolAsync("node",
            [Path.Combine("tests", "js", "op-deposit-check.mjs"), _node.RpcUrl, _node.Chain.Config.ChainId.ToString(CultureInfo.InvariantCulture),
             Q(b2.GetProperty("number")).ToString(CultureInfo.InvariantCulture), l1Head.Hash.ToString(), "0"], TimeSpan.FromMinutes(2));
        log.WriteLine(output);
        Assert.True(code == 0, output);
        Assert.Contains("op deposit ok", output);
    }

    [Fact]
    public async Task Deposits_AreRefusedFromRpc_AndSafeFinalizedAreGenesis()
    {
        var deposit = Transaction.CreateDeposit(DepositSource.UserDeposit(_genesisL1.Hash, 0), Accounts[0].Address, Accounts[1].Address,
            new UInt256(1_000_000_000_000_000_000), UInt256.Zero, 100_000, false, []);
        var r = await CallAsync(_node.RpcUrl, "eth_sendRawTransaction", "0x" + Convert.ToHexStringLower(deposit.Encode()));
        var message = r.GetProperty("error").GetProperty("message").GetString()!;
        Assert.StartsWith("transaction type not supported", message);
        Assert.Contains("derived from L1", message);

        await SendAndWaitAsync(1, 0);
        Assert.True(_node.Chain.Head.Number >= 1);
        Assert.Equal("0x0", (await ResultAsync("eth_getBlockByNumber", "safe", false)).GetProperty("number").GetString());
        // Deposits (gas price 0) bid no tip: eth_feeHistory's percentiles come from the paying transaction alone (tip 1 gwei).
        var history = await ResultAsync("eth_feeHistory", "0x1", "latest", new[] { 0.0, 50.0, 100.0 });
        Assert.All(history.GetProperty("reward")[0].EnumerateArray(), r => Assert.Equal("0x3b9aca00", r.GetString()));
        Assert.Equal("0x0", (await ResultAsync("eth_getBlockByNumber", "finalized", false)).GetProperty("number").GetString());
    }
}
