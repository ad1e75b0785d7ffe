using System.Globalization;
using System.Net.Http.Json;
using System.Numerics;
using System.Text.Json;
using OpenLedger.Node.Devnet;

namespace OpenLedger.Node.Tests;

/// <summary>End to end: anvil + forge script DeployL1.s.sol, then reads the chain over JSON-RPC.</summary>
public class DevnetDeployTests
{
    // A chain id of its own, so the test never overwrites a developer's deployments/31337-l1.json.
    private const long ChainId = 31338;

    [Fact]
    public async Task DeployL1_WritesAddresses_AndOpenTokenHasFixedSupply()
    {
        var root = ToolLocator.FindRepoRoot() ?? throw new InvalidOperationException("repository root not found");
        int port = AnvilProcess.FreePort();
        await using var anvil = await AnvilProcess.StartAsync(ToolLocator.Find("anvil"), port, ["--chain-id", ChainId.ToString(CultureInfo.InvariantCulture)]);

        var deployment = await ContractDeployer.DeployL1Async(ToolLocator.Find("forge"), root, anvil.RpcUrl, ChainId, timeout: TimeSpan.FromMinutes(10));
        try
        {
            Assert.Equal(Path.Combine(root, "deployments", $"{ChainId}-l1.json"), deployment.FilePath);
            foreach (var name in new[] { "OpenToken", "TimelockController", "OpenGovernor", "StakingManager", "TeamVesting", "InvestorVesting" })
            {
                Assert.True(deployment.Addresses.ContainsKey(name), $"{name} missing from {deployment.FilePath}");
                var code = await RpcAsync(anvil.RpcUrl, "eth_getCode", deployment.Addresses[name], "latest");
                Assert.True(code.Length > 2, $"{name} has no code at {deployment.Addresses[name]}");
            }

            var token = deployment.Addresses["OpenToken"];
            var supply = await RpcAsync(anvil.RpcUrl, "eth_call", new { to = token, data = "0x18160ddd" }, "latest"); // totalSupply()
            Assert.Equal(BigInteger.Pow(10, 27), ParseUint(supply));

            // The community share (51.71%) sits in the timelock: balanceOf(timelock).
            var timelock = deployment.Addresses["TimelockController"];
            var balanceCall = "0x70a08231" + timelock[2..].ToLowerInvariant().PadLeft(64, '0');
            var balance = await RpcAsync(anvil.RpcUrl, "eth_call", new { to = token, data = balanceCall }, "latest");
            Assert.Equal(BigInteger.Parse("517100000") * BigInteger.Pow(10, 18), ParseUint(balance));
        }
        finally
        {
            File.Delete(deployment.FilePath);
        }
    }

    [Fact]
    public async Task DeployL1_FailingForge_ThrowsWithExitCode()
    {
        var root = Path.Combine(Path.GetTempPath(), "ol-deploy-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(root);
        try
        {
            var e = await Assert.ThrowsAsync<InvalidOperationException>(() =>
                ContractDeployer.DeployL1Async("/bin/false", root, "http://127.0.0.1:1", ChainId));
            Assert.Contains("exited with code 1", e.Message);
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    [Fact]
    public void ReadAddresses_KeepsStringEntries_SkipsNumbers()
    {
        var file = Path.GetTempFileName();
        try
        {
            File.WriteAllText(file, """{"OpenToken":"0x00000000000000000000000000000000000000aa","chainId":31337}""");
            var addresses = ContractDeployer.ReadAddresses(file);
            Assert.Single(addresses);
            Assert.Equal("0x00000000000000000000000000000000000000aa", addresses["OpenToken"]);
        }
        finally
        {
            File.Delete(file);
        }
    }

    private static BigInteger ParseUint(string hex) =>
        BigInteger.Parse("0" + hex[2..], NumberStyles.HexNumber, CultureInfo.InvariantCulture);

    private static async Task<string> RpcAsync(string url, string method, params object[] args)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        var resp = await http.PostAsJsonAsync(url, new { jsonrpc = "2.0", id = 1, method, @params = args });
        resp.EnsureSuccessStatusCode();
        using var doc = JsonDocument.Parse(await resp.Content.ReadAsStringAsync());
        if (doc.RootElement.TryGetProperty("error", out var err)) throw new InvalidOperationException($"{method}: {err}");
        return doc.RootElement.GetProperty("result").GetString()!;
    }
}
