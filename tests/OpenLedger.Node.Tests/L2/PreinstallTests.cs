using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using OpenLedger.Chain.Genesis;
using OpenLedger.Chain.Rollup;
using OpenLedger.Node.Devnet;
using OpenLedger.Node.Hosting;
using OpenLedger.Primitives;
using OpenLedger.Primitives.Transactions;
using OpenLedger.Tests.Shared;
using Xunit.Abstractions;

namespace OpenLedger.Node.Tests.L2;

/// <summary>
/// The preinstalls, read from the npm packages at setup and checked against their code hashes: at their addresses in
/// genesis, Permit2 with this chain's domain separator, the CREATE2 deployer deploying at the address forge expects,
/// viem's multicall working; a package whose code was altered is refused naming the contract.
/// </summary>
public sealed class PreinstallTests(ITestOutputHelper log) : IAsyncLifetime
{
    private static readonly IReadOnlyList<(Address Address, byte[] Key)> Accounts = DevnetGenesis.Create(0).Accounts;
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(60) };
    private NodeHost _node = null!;

    public async Task InitializeAsync()
    {
        var genesis = PreinstallSource.Apply(DevnetGenesis.Create(0).Genesis, TestPaths.RepoRoot);
        _node = await NodeHost.StartAsync(new NodeConfig { Genesis = genesis, RpcPort = 0, BlockTime = null }, NullLoggerFactory.Instance);
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _node.DisposeAsync();
    }

    private async Task<JsonElement> ResultAsync(string method, params object?[] args)
    {
        using var content = new StringContent(JsonSerializer.Serialize(new { jsonrpc = "2.0", id = 1, method, @params = args }), Encoding.UTF8);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        using var resp = await _http.PostAsync(_node.RpcUrl, content);
        var r = JsonDocument.Parse(await resp.Content.ReadAsStringAsync()).RootElement.Clone();
        Assert.False(r.TryGetProperty("error", out var err), $"{method}: {err}");
        return r.GetProperty("result");
    }

    [Fact]
    public async Task Preinstalls_are_at_their_addresses_with_their_published_code()
    {
        ulong chainId = _node.Chain.Config.ChainId;
        foreach (var p in Preinstalls.All)
        {
            var code = Hex.Decode((await ResultAsync("eth_getCode", p.Address.ToString(), "latest")).GetString()!);
            Assert.NotEmpty(code);
            if (p.Address != Preinstalls.Permit2) Assert.Equal(p.CodeHash, Keccak256.Compute(code));
        }
        // Permit2's immutables name this chain (DOMAIN_SEPARATOR() = 0x3644e515).
        var separator = await ResultAsync("eth_call", new { to = Preinstalls.Permit2.ToString(), data = "0x3644e515" }, "latest");
        Assert.Equal(Preinstalls.Permit2DomainSeparator(chainId).ToString(), separator.GetString());

        // A client we did not write: viem's multicall through Multicall3.
        var (code2, output) = await L2NodeFixture.RunToolAsync("node",
            [Path.Combine("tests", "js", "multicall-check.mjs"), _node.RpcUrl, chainId.ToString(CultureInfo.InvariantCulture)], TimeSpan.FromMinutes(2));
        log.WriteLine(output);
        Assert.True(code2 == 0, output);
        Assert.Contains("multicall ok", output);
    }

    [Fact]
    public async Task The_create2_deployer_deploys_where_forge_expects()
    {
        // salt ++ init code that returns the one-byte runtime 0x2a... (PUSH1 0x2a PUSH1 0 MSTORE8 PUSH1 1 PUSH1 0 RETURN)
        byte[] init = [0x60, 0x2a, 0x60, 0x00, 0x53, 0x60, 0x01, 0x60, 0x00, 0xf3];
        var salt = Keccak256.Compute("openledger preinstall test"u8);
        var deployer = Address.Parse("0x4e59b44847b379578588920cA78FbF26c0B4956C");
        var tx = new Transaction
        {
            Type = TxType.DynamicFee, ChainId = _node.Chain.Config.ChainId, Nonce = 0, GasLimit = 200_000, To = deployer,
            MaxFeePerGas = new UInt256(10_000_000_000), MaxPriorityFeePerGas = new UInt256(1_000_000), Data = [.. salt.Bytes, .. init],
        };
        tx.Sign(Accounts[3].Key);
        var hash = (await ResultAsync("eth_sendRawTransaction", Hex.Encode(tx.Encode()))).GetString();
        JsonElement receipt;
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while ((receipt = await ResultAsync("eth_getTransactionReceipt", hash)).ValueKind != JsonValueKind.Object)
        {
            Assert.True(DateTime.UtcNow < deadline, "no receipt");
            await Task.Delay(20);
        }
        Assert.Equal("0x1", receipt.GetProperty("status").GetString());
        var expected = new Address(Keccak256.Compute([0xff, .. deployer.Bytes, .. salt.Bytes, .. Keccak256.Compute(init).Bytes]).Bytes[12..]);
        Assert.Equal("0x2a", (await ResultAsync("eth_getCode", expected.ToString(), "latest")).GetString());
    }

    [Fact]
    public void An_altered_package_is_refused_naming_the_contract()
    {
        var codes = new Dictionary<string, byte[]>();
        foreach (var p in Preinstalls.All) codes[p.Name] = [0x00];
        var e = Assert.Throws<GenesisException>(() => Preinstalls.WithPreinstalls(DevnetGenesis.Create(0).Genesis, codes, 0, 0));
        Assert.Contains("MultiCall3", e.Message);
        Assert.Contains("not the published", e.Message);
    }
}
