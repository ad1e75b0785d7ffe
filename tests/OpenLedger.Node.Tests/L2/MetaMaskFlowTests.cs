using System.Text.Json;
using System.Text.RegularExpressions;
using OpenLedger.Primitives;

namespace OpenLedger.Node.Tests.L2;

/// <summary>
/// The calls MetaMask makes when a user adds the network and sends a transfer, in its order, as raw
/// JSON-RPC over HTTP, with the shapes MetaMask relies on (0x quantities, 32-byte hashes, receipt status).
/// </summary>
[Collection(L2Collection.Name)]
public sealed partial class MetaMaskFlowTests(L2NodeFixture node)
{
    [GeneratedRegex("^0x(0|[1-9a-f][0-9a-f]*)$")]
    private static partial Regex Quantity();

    [GeneratedRegex("^0x[0-9a-f]{64}$")]
    private static partial Regex Hash32();

    private static string AssertQuantity(JsonElement e, string what)
    {
        Assert.True(e.ValueKind == JsonValueKind.String && Quantity().IsMatch(e.GetString()!), $"{what}: not a hex quantity: {e}");
        return e.GetString()!;
    }

    [Fact]
    public async Task AddNetworkThenTransfer_EveryCallAnswersInTheExpectedShape()
    {
        var (from, key) = node.Accounts[5];
        var to = "0x000000000000000000000000000000000000beef";

        // Adding the network: chain id (must match what the user typed), net_version, head.
        var chainId = await node.ResultAsync("eth_chainId");
        Assert.Equal("0x" + node.ChainId.ToString("x"), chainId.GetString());
        var netVersion = await node.ResultAsync("net_version");
        Assert.Equal(node.ChainId.ToString(System.Globalization.CultureInfo.InvariantCulture), netVersion.GetString());
        AssertQuantity(await node.ResultAsync("eth_blockNumber"), "eth_blockNumber");

        // The account view.
        var balance = await node.ResultAsync("eth_getBalance", from.ToLowerHex(), "latest");
        AssertQuantity(balance, "eth_getBalance");
        Assert.Equal(DevnetPrefundHex(), balance.GetString());

        // Fee suggestion: MetaMask asks for 5 blocks with percentiles 10/20/30 (its "low/market/aggressive").
        var history = await node.ResultAsync("eth_feeHistory", "0x5", "latest", new[] { 10, 20, 30 });
        AssertQuantity(history.GetProperty("oldestBlock"), "oldestBlock");
        var baseFees = history.GetProperty("baseFeePerGas").EnumerateArray().ToArray();
        var blocks = history.GetProperty("gasUsedRatio").GetArrayLength();
        Assert.Equal(blocks + 1, baseFees.Length); // includes the next block's base fee
        foreach (var b in baseFees) AssertQuantity(b, "baseFeePerGas[]");
        var rewards = history.GetProperty("reward").EnumerateArray().ToArray();
        Assert.Equal(blocks, rewards.Length);
        Assert.All(rewards, r =>
        {
            Assert.Equal(3, r.GetArrayLength());
            foreach (var x in r.EnumerateArray()) AssertQuantity(x, "reward[][]");
        });
        var nextBaseFee = UInt256.Parse(baseFees[^1].GetString()!);
        var tip = UInt256.Parse((await node.ResultAsync("eth_maxPriorityFeePerGas")).GetString()!);

        var gas = await node.ResultAsync("eth_estimateGas", new { from = from.ToLowerHex(), to, value = "0x1000" });
        Assert.Equal("0x5208", gas.GetString());
        var nonceHex = AssertQuantity(await node.ResultAsync("eth_getTransactionCount", from.ToLowerHex(), "pending"), "eth_getTransactionCount");
        var nonce = L2NodeFixture.Q(JsonDocument.Parse($"\"{nonceHex}\"").RootElement);

        var tx = node.Sign(key, nonce, Address.Parse(to), new UInt256(0x1000), maxFee: nextBaseFee * new UInt256(2) + tip, tip: tip);
        var hash = await node.ResultAsync("eth_sendRawTransaction", L2NodeFixture.Hex0x(tx.Encode()));
        Assert.Matches(Hash32(), hash.GetString()!);
        Assert.Equal(tx.Hash.ToString(), hash.GetString());

        var receipt = await node.WaitReceiptAsync(hash.GetString()!);
        Assert.Equal("0x1", receipt.GetProperty("status").GetString());
        Assert.Equal("0x2", receipt.GetProperty("type").GetString());
        Assert.Equal(hash.GetString(), receipt.GetProperty("transactionHash").GetString());
        Assert.Equal(from.ToLowerHex(), receipt.GetProperty("from").GetString());
        Assert.Equal(to, receipt.GetProperty("to").GetString());
        Assert.Equal("0x5208", receipt.GetProperty("gasUsed").GetString());
        foreach (var f in new[] { "blockNumber", "cumulativeGasUsed", "effectiveGasPrice", "transactionIndex" })
            AssertQuantity(receipt.GetProperty(f), f);
        Assert.Matches(Hash32(), receipt.GetProperty("blockHash").GetString()!);
        Assert.Equal(JsonValueKind.Array, receipt.GetProperty("logs").ValueKind);
        var price = UInt256.Parse(receipt.GetProperty("effectiveGasPrice").GetString()!);
        Assert.True(price <= nextBaseFee * new UInt256(2) + tip && price >= tip, $"effectiveGasPrice {price}");

        var block = await node.ResultAsync("eth_getBlockByNumber", receipt.GetProperty("blockNumber").GetString(), false);
        Assert.Equal(receipt.GetProperty("blockHash").GetString(), block.GetProperty("hash").GetString());
        Assert.Contains(block.GetProperty("transactions").EnumerateArray(), t => t.GetString() == hash.GetString());
        foreach (var f in new[] { "number", "timestamp", "gasLimit", "gasUsed", "baseFeePerGas" })
            AssertQuantity(block.GetProperty(f), f);
        var full = await node.ResultAsync("eth_getBlockByNumber", receipt.GetProperty("blockNumber").GetString(), true);
        var txObject = Assert.Single(full.GetProperty("transactions").EnumerateArray(), t => t.GetProperty("hash").GetString() == hash.GetString());
        Assert.Equal(from.ToLowerHex(), txObject.GetProperty("from").GetString());
        Assert.Equal(nonceHex, txObject.GetProperty("nonce").GetString());

        // The wallet then shows the new balance: prefund - value - gas * price.
        var after = UInt256.Parse((await node.ResultAsync("eth_getBalance", from.ToLowerHex(), "latest")).GetString()!);
        Assert.Equal(UInt256.Parse(DevnetPrefundHex()) - new UInt256(0x1000) - new UInt256(21_000) * price, after);
    }

    private string DevnetPrefundHex() => Hosting.DevnetGenesis.Prefund.ToHexString();
}
