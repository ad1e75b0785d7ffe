using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using OpenLedger.Chain.Blocks;
using OpenLedger.Chain.Receipts;
using OpenLedger.Primitives;
using OpenLedger.Primitives.Transactions;
using OpenLedger.Primitives.Wallet;
using OpenLedger.State.World;
using OpenLedger.Tests.Shared;

namespace OpenLedger.Chain.Tests;

/// <summary>
/// Our header hash, transactions root, receipts root and logs bloom must equal what a real client
/// (anvil, Cancun rules) computes for the same block.
/// </summary>
public sealed class AnvilParityTests : IAsyncLifetime
{
    private Process _anvil = null!;
    private string _url = "";
    private readonly HttpClient _http = new();

    public async Task InitializeAsync()
    {
        int port = TestPaths.FreePort();
        _url = $"http://127.0.0.1:{port}";
        var psi = new ProcessStartInfo(TestPaths.FoundryTool("anvil"), ["--port", port.ToString(), "--hardfork", "cancun", "--silent"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        _anvil = Process.Start(psi)!;
        for (int i = 0; i < 100; i++)
        {
            try
            {
                await Rpc("eth_chainId");
                return;
            }
            catch (HttpRequestException)
            {
                await Task.Delay(100);
            }
        }
        throw new TimeoutException("anvil did not start");
    }

    public Task DisposeAsync()
    {
        _anvil.Kill(entireProcessTree: true);
        _anvil.WaitForExit(5000);
        _anvil.Dispose();
        _http.Dispose();
        return Task.CompletedTask;
    }

    private async Task<JsonElement> Rpc(string method, params object[] args)
    {
        var resp = await _http.PostAsJsonAsync(_url, new { jsonrpc = "2.0", id = 1, method, @params = args });
        var doc = JsonDocument.Parse(await resp.Content.ReadAsStringAsync()).RootElement;
        if (doc.TryGetProperty("error", out var e)) throw new InvalidOperationException(e.ToString());
        return doc.GetProperty("result").Clone();
    }

    [Fact]
    public async Task HeaderHash_TxRoot_ReceiptRoot_AndBloom_MatchAnvil()
    {
        // A contract whose constructor emits a LOG1, so the block carries a log and a bloom; then a plain transfer.
        // init code: PUSH1 0x2a PUSH1 0 MSTORE; PUSH32 topic PUSH1 32 PUSH1 0 LOG1; STOP
        var topic = Keccak256.Compute("Hello()"u8).ToArray();
        var init = new List<byte> { 0x60, 0x2a, 0x60, 0x00, 0x52, 0x7f };
        init.AddRange(topic);
        init.AddRange([0x60, 0x20, 0x60, 0x00, 0xa1, 0x00]);

        var key = DevAccounts.PrivateKeys(1)[0];
        ulong chainId = ulong.Parse(( await Rpc("eth_chainId")).GetString()![2..], System.Globalization.NumberStyles.HexNumber);
        await Rpc("evm_setAutomine", false);
        var create = new Transaction { Type = TxType.DynamicFee, ChainId = chainId, Nonce = 0, MaxFeePerGas = new UInt256(100_000_000_000), MaxPriorityFeePerGas = new UInt256(1_000_000_000), GasLimit = 200_000, Data = [.. init] };
        create.Sign(key);
        var transfer = new Transaction { Type = TxType.Legacy, ChainId = chainId, Nonce = 1, GasPrice = new UInt256(50_000_000_000), GasLimit = 21_000, To = Address.Parse("0x70997970C51812Dc3A010c7D01B50E20D17Dc79C"), Value = new UInt256(12345) };
        transfer.Sign(key);
        await Rpc("eth_sendRawTransaction", Hex.Encode(create.Encode()));
        await Rpc("eth_sendRawTransaction", Hex.Encode(transfer.Encode()));
        await Rpc("evm_mine");

        var b = await Rpc("eth_getBlockByNumber", "latest", false);
        var header = new BlockHeader
        {
            ParentHash = Hash256.Parse(b.GetProperty("parentHash").GetString()!),
            OmmersHash = Hash256.Parse(b.GetProperty("sha3Uncles").GetString()!),
            Coinbase = Address.Parse(b.GetProperty("miner").GetString()!),
            StateRoot = Hash256.Parse(b.GetProperty("stateRoot").GetString()!),
            TransactionsRoot = Hash256.Parse(b.GetProperty("transactionsRoot").GetString()!),
            ReceiptsRoot = Hash256.Parse(b.GetProperty("receiptsRoot").GetString()!),
            LogsBloom = Hex.Decode(b.GetProperty("logsBloom").GetString()!),
            Difficulty = UInt256.Parse(b.GetProperty("difficulty").GetString()!),
            Number = (ulong)UInt256.Parse(b.GetProperty("number").GetString()!),
            GasLimit = (ulong)UInt256.Parse(b.GetProperty("gasLimit").GetString()!),
            GasUsed = (ulong)UInt256.Parse(b.GetProperty("gasUsed").GetString()!),
            Timestamp = (ulong)UInt256.Parse(b.GetProperty("timestamp").GetString()!),
            ExtraData = Hex.Decode(b.GetProperty("extraData").GetString()!),
            MixHash = Hash256.Parse(b.GetProperty("mixHash").GetString()!),
            Nonce = (ulong)UInt256.Parse(b.GetProperty("nonce").GetString()!),
            BaseFeePerGas = UInt256.Parse(b.GetProperty("baseFeePerGas").GetString()!),
            WithdrawalsRoot = Hash256.Parse(b.GetProperty("withdrawalsRoot").GetString()!),
            BlobGasUsed = (ulong)UInt256.Parse(b.GetProperty("blobGasUsed").GetString()!),
            ExcessBlobGas = (ulong)UInt256.Parse(b.GetProperty("excessBlobGas").GetString()!),
            ParentBeaconBlockRoot = Hash256.Parse(b.GetProperty("parentBeaconBlockRoot").GetString()!),
        };
        Assert.Equal(Hash256.Parse(b.GetProperty("hash").GetString()!), header.Hash);
        Assert.Equal(header.Encode(), BlockHeader.Decode(header.Encode()).Encode());

        var txHashes = b.GetProperty("transactions").EnumerateArray().Select(t => t.GetString()!).ToArray();
        Assert.Equal(2, txHashes.Length);
        var rawTxs = new List<byte[]>();
        var receipts = new List<byte[]>();
        var blockBloom = new Bloom();
        foreach (var h in txHashes)
        {
            rawTxs.Add(Hex.Decode((await Rpc("eth_getRawTransactionByHash", h)).GetString()!));
            var r = await Rpc("eth_getTransactionReceipt", h);
            var logs = r.GetProperty("logs").EnumerateArray().Select(l => new LogEntry(
                Address.Parse(l.GetProperty("address").GetString()!),
                l.GetProperty("topics").EnumerateArray().Select(t => Hash256.Parse(t.GetString()!)).ToArray(),
                Hex.Decode(l.GetProperty("data").GetString()!))).ToList();
            var receipt = new Receipt
            {
                Type = (TxType)(int)(ulong)UInt256.Parse(r.GetProperty("type").GetString()!),
                Success = r.GetProperty("status").GetString() == "0x1",
                CumulativeGasUsed = (ulong)UInt256.Parse(r.GetProperty("cumulativeGasUsed").GetString()!),
                Logs = logs,
                Bloom = Bloom.FromLogs(logs),
            };
            Assert.Equal(r.GetProperty("logsBloom").GetString(), receipt.Bloom.ToString());
            blockBloom.Accumulate(receipt.Bloom);
            receipts.Add(receipt.EncodeConsensus());
        }
        Assert.Single(Block.DecodeBody(Block.EncodeBody(rawTxs)), t => t.SequenceEqual(rawTxs[1]));
        Assert.Equal(header.TransactionsRoot, DerivedRoots.Compute(rawTxs));
        Assert.Equal(header.ReceiptsRoot, DerivedRoots.Compute(receipts));
        Assert.Equal(Hex.Encode(header.LogsBloom), blockBloom.ToString());
        Assert.True(blockBloom.MayContain(topic));
    }
}
