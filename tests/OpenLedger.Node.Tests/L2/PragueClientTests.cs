using System.Text.Json;
using OpenLedger.Tests.Shared;
using Xunit.Abstractions;

namespace OpenLedger.Node.Tests.L2;

/// <summary>Prague/Osaka on the devnet through real clients: EIP-7702 with viem and cast, header fields with ethers.</summary>
[Collection(L2Collection.Name)]
public sealed class PragueClientTests(L2NodeFixture node, ITestOutputHelper log)
{
    [Fact]
    public async Task Viem_delegates_a_fresh_account_with_a_type_4_transaction_and_ethers_reads_the_headers()
    {
        var artifact = Path.Combine(await node.ArtifactsAsync(), "E2EProbe.sol", "E2EProbe.json");
        var (code, output) = await L2NodeFixture.RunToolAsync("node",
            [Path.Combine("tests", "js", "prague-e2e.mjs"), node.Node.RpcUrl, L2NodeFixture.Hex0x(node.Accounts[10].Key), artifact,
             node.ChainId.ToString(System.Globalization.CultureInfo.InvariantCulture)],
            TimeSpan.FromMinutes(2));
        log.WriteLine(output);
        Assert.True(code == 0, $"prague-e2e.mjs exited with {code}:\n{output}");
        Assert.Contains("prague e2e ok", output);
    }

    [Fact]
    public async Task Contract_compiled_by_default_solc_for_osaka_with_clz_deploys_and_runs()
    {
        var (code, output) = await L2NodeFixture.RunToolAsync("node",
            [Path.Combine("tests", "js", "clz-e2e.mjs"), node.Node.RpcUrl, L2NodeFixture.Hex0x(node.Accounts[11].Key),
             node.ChainId.ToString(System.Globalization.CultureInfo.InvariantCulture)],
            TimeSpan.FromMinutes(2));
        log.WriteLine(output);
        Assert.True(code == 0, $"clz-e2e.mjs exited with {code}:\n{output}");
        Assert.Contains("clz e2e ok", output);
    }

    [Fact]
    public async Task Cast_send_auth_delegates_the_sender_and_calls_run_through_it()
    {
        var cast = TestPaths.FoundryTool("cast");
        var rpc = node.Node.RpcUrl;
        var key = L2NodeFixture.Hex0x(node.Accounts[12].Key);
        var eoa = node.Accounts[12].Address.ToString();
        var bytecode = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(await node.ArtifactsAsync(), "E2EProbe.sol", "E2EProbe.json")))
            .RootElement.GetProperty("bytecode").GetProperty("object").GetString()!;
        var (code, output) = await L2NodeFixture.RunToolAsync(cast, ["send", "--rpc-url", rpc, "--private-key", key, "--create", bytecode, "--json"], TimeSpan.FromMinutes(1));
        Assert.True(code == 0, "cast send --create failed:\n" + output);
        var probe = JsonDocument.Parse(output).RootElement.GetProperty("contractAddress").GetString()!;

        // Self-sponsored: cast signs the authorization with the sender's key (nonce + 1) and sends a type-4 call to itself.
        (code, output) = await L2NodeFixture.RunToolAsync(cast,
            ["send", "--rpc-url", rpc, "--private-key", key, "--auth", probe, eoa, "store(uint256,uint256)", "3", "33", "--json"], TimeSpan.FromMinutes(1));
        log.WriteLine(output);
        Assert.True(code == 0, "cast send --auth failed:\n" + output);
        var receipt = JsonDocument.Parse(output).RootElement;
        Assert.Equal("0x1", receipt.GetProperty("status").GetString());
        Assert.Equal("0x4", receipt.GetProperty("type").GetString());

        (code, output) = await L2NodeFixture.RunToolAsync(cast, ["code", "--rpc-url", rpc, eoa], TimeSpan.FromMinutes(1));
        Assert.True(code == 0, output);
        Assert.Equal("0xef0100" + probe[2..].ToLowerInvariant(), output.Trim().ToLowerInvariant());
        (code, output) = await L2NodeFixture.RunToolAsync(cast, ["call", "--rpc-url", rpc, eoa, "values(uint256)(uint256)", "3"], TimeSpan.FromMinutes(1));
        Assert.True(code == 0, output);
        Assert.Equal("33", output.Trim());

        // The delegated sender keeps sending ordinary transactions, and calls into itself keep running the probe's code.
        (code, output) = await L2NodeFixture.RunToolAsync(cast, ["send", "--rpc-url", rpc, "--private-key", key, eoa, "store(uint256,uint256)", "4", "44", "--json"], TimeSpan.FromMinutes(1));
        Assert.True(code == 0, "plain call through the delegation failed:\n" + output);
        (code, output) = await L2NodeFixture.RunToolAsync(cast, ["call", "--rpc-url", rpc, eoa, "values(uint256)(uint256)", "4"], TimeSpan.FromMinutes(1));
        Assert.Equal("44", output.Trim());
    }
}
