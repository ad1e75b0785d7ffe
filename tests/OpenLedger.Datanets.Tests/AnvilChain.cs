using System.Net.Http.Json;
using System.Text.Json;
using OpenLedger.Datanets.Indexing;
using OpenLedger.Node.Devnet;
using OpenLedger.Primitives;
using OpenLedger.Primitives.Wallet;
using OpenLedger.Tests.Shared;

namespace OpenLedger.Datanets.Tests;

/// <summary>anvil with the L2 app contracts deployed by forge: a chain whose head a test can replace (evm_snapshot/evm_revert) to make a reorg.</summary>
public sealed class AnvilChain : ITestChain, IAsyncDisposable
{
    private readonly AnvilProcess _anvil;
    private readonly HttpClient _http = new();

    private AnvilChain(AnvilProcess anvil, ulong chainId, ContractAddresses contracts)
    {
        _anvil = anvil;
        ChainId = chainId;
        Contracts = contracts;
        Accounts = DevAccounts.PrivateKeys(10).Select(k => (OpenLedger.Primitives.Crypto.Secp256k1.AddressFromPrivateKey(k), k)).ToList();
    }

    public string RpcUrl => _anvil.RpcUrl;
    public ulong ChainId { get; }
    public ContractAddresses Contracts { get; }
    public IReadOnlyList<(Address Address, byte[] Key)> Accounts { get; }

    public static async Task<AnvilChain> StartAsync(ulong chainId)
    {
        var anvil = await AnvilProcess.StartAsync(TestPaths.FoundryTool("anvil"), TestPaths.FreePort(), ["--chain-id", chainId.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        try
        {
            var d = await ContractDeployer.DeployL2Async(TestPaths.FoundryTool("forge"), TestPaths.RepoRoot, anvil.RpcUrl, chainId, timeout: TimeSpan.FromMinutes(8));
            try { return new AnvilChain(anvil, chainId, ContractAddresses.Load(d.FilePath)); }
            finally { File.Delete(d.FilePath); }
        }
        catch
        {
            await anvil.DisposeAsync();
            throw;
        }
    }

    public async Task<JsonElement> RpcAsync(string method, params object[] args)
    {
        var resp = await _http.PostAsJsonAsync(RpcUrl, new { jsonrpc = "2.0", id = 1, method, @params = args });
        var doc = JsonDocument.Parse(await resp.Content.ReadAsStringAsync()).RootElement;
        Assert.False(doc.TryGetProperty("error", out var err), $"{method}: {err}");
        return doc.GetProperty("result").Clone();
    }

    public async ValueTask DisposeAsync()
    {
        _http.Dispose();
        await _anvil.DisposeAsync();
    }
}
