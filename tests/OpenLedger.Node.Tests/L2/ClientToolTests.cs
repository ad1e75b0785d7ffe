using System.Numerics;
using System.Text.Json;
using OpenLedger.Primitives;
using OpenLedger.Tests.Shared;
using Xunit.Abstractions;

namespace OpenLedger.Node.Tests.L2;

/// <summary>The node driven by the real clients dApp builders use: ethers, viem, forge script and cast.</summary>
[Collection(L2Collection.Name)]
public sealed class ClientToolTests(L2NodeFixture node, ITestOutputHelper log)
{
    private async Task RunScriptAsync(string script, int account)
    {
        var artifact = Path.Combine(await node.ArtifactsAsync(), "E2EProbe.sol", "E2EProbe.json");
        var (code, output) = await L2NodeFixture.RunToolAsync("node",
            [Path.Combine("tests", "js", script), node.Node.RpcUrl, node.Node.WebSocketUrl, L2NodeFixture.Hex0x(node.Accounts[account].Key), artifact, node.ChainId.ToString(System.Globalization.CultureInfo.InvariantCulture)],
            TimeSpan.FromMinutes(2));
        log.WriteLine(output);
        Assert.True(code == 0, $"{script} exited with {code}:\n{output}");
        Assert.Contains("e2e ok", output);
    }

    [Fact]
    public Task Ethers_DeploysTransfersReadsLogsAndSubscribes() => RunScriptAsync("ethers-e2e.mjs", 1);

    [Fact]
    public Task Viem_DeploysTransfersReadsLogsAndWatchesBlocks() => RunScriptAsync("viem-e2e.mjs", 2);

    [Fact]
    public async Task ForgeScript_DeploysOpenZeppelinErc20_TotalSupplyReadsBack()
    {
        var outDir = await node.ArtifactsAsync();
        var key = L2NodeFixture.Hex0x(node.Accounts[3].Key);
        var (code, output) = await L2NodeFixture.RunToolAsync(TestPaths.FoundryTool("forge"),
            ["script", "tests/js/contracts/DeployToken.s.sol", "--broadcast", "--rpc-url", node.Node.RpcUrl, "--private-key", key,
             "--out", outDir, "--cache-path", node.ForgeCachePath, "--slow"],
            TimeSpan.FromMinutes(4));
        log.WriteLine(output);
        Assert.True(code == 0, "forge script failed:\n" + output);
        Assert.Contains("ONCHAIN EXECUTION COMPLETE & SUCCESSFUL", output);

        // The token's address is CREATE(sender, nonce 0): the script is account 3's first transaction.
        var sender = node.Accounts[3].Address;
        var token = ContractAddress(sender, 0);
        var codeHex = (await node.ResultAsync("eth_getCode", token, "latest")).GetString()!;
        Assert.True(codeHex.Length > 2, $"no code at {token}");
        var supply = (await node.ResultAsync("eth_call", new { to = token, data = "0x18160ddd" }, "latest")).GetString()!;
        Assert.Equal(BigInteger.Pow(10, 27), BigInteger.Parse("0" + supply[2..], System.Globalization.NumberStyles.HexNumber));
        var balanceOf = "0x70a08231" + sender.ToLowerHex()[2..].PadLeft(64, '0');
        var balance = (await node.ResultAsync("eth_call", new { to = token, data = balanceOf }, "latest")).GetString()!;
        Assert.Equal(BigInteger.Pow(10, 27), BigInteger.Parse("0" + balance[2..], System.Globalization.NumberStyles.HexNumber));
    }

    [Fact]
    public async Task Cast_SendCallReceiptBlock()
    {
        var cast = TestPaths.FoundryTool("cast");
        var rpc = node.Node.RpcUrl;
        var key = L2NodeFixture.Hex0x(node.Accounts[4].Key);
        var to = "0x00000000000000000000000000000000000ca57e";

        var (code, output) = await L2NodeFixture.RunToolAsync(cast, ["send", "--rpc-url", rpc, "--private-key", key, to, "--value", "1234", "--json"], TimeSpan.FromMinutes(1));
        Assert.True(code == 0, "cast send failed:\n" + output);
        var sent = JsonDocument.Parse(output).RootElement;
        Assert.Equal("0x1", sent.GetProperty("status").GetString());
        var hash = sent.GetProperty("transactionHash").GetString()!;
        var blockNumber = sent.GetProperty("blockNumber").GetString()!;

        (code, output) = await L2NodeFixture.RunToolAsync(cast, ["balance", "--rpc-url", rpc, to], TimeSpan.FromMinutes(1));
        Assert.True(code == 0, "cast balance failed:\n" + output);
        Assert.Equal("1234", output.Trim());

        (code, output) = await L2NodeFixture.RunToolAsync(cast, ["receipt", "--rpc-url", rpc, hash, "--json"], TimeSpan.FromMinutes(1));
        Assert.True(code == 0, "cast receipt failed:\n" + output);
        var receipt = JsonDocument.Parse(output).RootElement;
        Assert.Equal(hash, receipt.GetProperty("transactionHash").GetString());
        Assert.Equal("0x5208", receipt.GetProperty("gasUsed").GetString());
        var blockHash = receipt.GetProperty("blockHash").GetString()!;

        (code, output) = await L2NodeFixture.RunToolAsync(cast, ["block", "--rpc-url", rpc, blockNumber, "--json"], TimeSpan.FromMinutes(1));
        Assert.True(code == 0, "cast block failed:\n" + output);
        var block = JsonDocument.Parse(output).RootElement;
        Assert.Equal(blockHash, block.GetProperty("hash").GetString());
        Assert.Contains(block.GetProperty("transactions").EnumerateArray(), t => t.GetString() == hash);

        // cast call: the E2EProbe deployed by cast itself, then a view call.
        var bytecode = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(await node.ArtifactsAsync(), "E2EProbe.sol", "E2EProbe.json")))
            .RootElement.GetProperty("bytecode").GetProperty("object").GetString()!;
        (code, output) = await L2NodeFixture.RunToolAsync(cast, ["send", "--rpc-url", rpc, "--private-key", key, "--create", bytecode, "--json"], TimeSpan.FromMinutes(1));
        Assert.True(code == 0, "cast send --create failed:\n" + output);
        var probe = JsonDocument.Parse(output).RootElement.GetProperty("contractAddress").GetString()!;
        (code, output) = await L2NodeFixture.RunToolAsync(cast, ["send", "--rpc-url", rpc, "--private-key", key, probe, "store(uint256,uint256)", "5", "77", "--json"], TimeSpan.FromMinutes(1));
        Assert.True(code == 0, "cast send store failed:\n" + output);
        Assert.Single(JsonDocument.Parse(output).RootElement.GetProperty("logs").EnumerateArray());
        (code, output) = await L2NodeFixture.RunToolAsync(cast, ["call", "--rpc-url", rpc, probe, "values(uint256)(uint256)", "5"], TimeSpan.FromMinutes(1));
        Assert.True(code == 0, "cast call failed:\n" + output);
        Assert.Equal("77", output.Trim());
    }

    /// <summary>The address of a contract created by <paramref name="sender"/> with <paramref name="nonce"/> (nonce &lt; 128).</summary>
    private static string ContractAddress(Address sender, byte nonce)
    {
        var rlp = new byte[23];
        rlp[0] = 0xd6;
        rlp[1] = 0x94;
        sender.Bytes.CopyTo(rlp.AsSpan(2));
        rlp[22] = nonce == 0 ? (byte)0x80 : nonce;
        return L2NodeFixture.Hex0x(Keccak256.Compute(rlp).Bytes[12..]);
    }
}
