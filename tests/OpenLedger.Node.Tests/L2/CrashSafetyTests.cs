using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using OpenLedger.Chain;
using OpenLedger.Chain.Genesis;
using OpenLedger.Primitives;
using OpenLedger.Primitives.Crypto;
using OpenLedger.Primitives.Transactions;
using OpenLedger.Primitives.Wallet;
using OpenLedger.State.Storage;
using OpenLedger.Tests.Shared;
using Xunit.Abstractions;

namespace OpenLedger.Node.Tests.L2;

/// <summary>
/// kill -9 under load, restart on the same data directory, and check what survived: an unbroken chain
/// 0..head, every acknowledged receipt in the same block, and a head whose every block re-executes from
/// genesis (in a fresh in-memory chain) to the same block hash, hence the same state root.
/// </summary>
public sealed class CrashSafetyTests(ITestOutputHelper log) : IDisposable
{
    private const ulong ChainId = 1330660686;
    private static readonly Address Coinbase = Address.Parse("0x000000000000000000000000000000000000c0b2");
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "ol-crash-" + Guid.NewGuid().ToString("N"));
    private readonly IReadOnlyList<byte[]> _keys = DevAccounts.PrivateKeys(10);

    public void Dispose()
    {
        try { Directory.Delete(_dir, recursive: true); } catch (IOException) { }
    }

    private string GenesisJson()
    {
        var alloc = string.Join(",", _keys.Select(k => $"\"{Secp256k1.AddressFromPrivateKey(k).ToLowerHex()}\":{{\"balance\":\"10000000000000000000000\"}}"));
        return $"{{\"config\":{{\"chainId\":{ChainId}}},\"gasLimit\":\"0x1c9c380\",\"baseFeePerGas\":\"0x3b9aca00\",\"timestamp\":\"0x6500000\",\"alloc\":{{{alloc}}}}}";
    }

    [Fact]
    public async Task KillDashNine_UnderLoad_RestartKeepsAcknowledgedBlocksAndReplayableState()
    {
        Directory.CreateDirectory(_dir);
        var datadir = Path.Combine(_dir, "data");
        var genesisJson = GenesisJson();
        var genesis = GenesisSpec.Parse(genesisJson);
        int seed = Environment.TickCount;
        var random = new Random(seed);
        log.WriteLine($"seed {seed}");
        var acknowledged = new Dictionary<string, string>(); // tx hash -> block hash, from receipts the node returned
        ulong lastVerifiedHead = 0;
        string? lastVerifiedHash = null;

        for (int round = 0; round < 3; round++)
        {
            var config = Path.Combine(_dir, $"config{round}.json");
            await File.WriteAllTextAsync(config,
                $"{{\"datadir\":\"{datadir}\",\"genesis\":{genesisJson},\"coinbase\":\"{Coinbase.ToLowerHex()}\",\"rpc\":{{\"port\":{TestPaths.FreePort()}}},\"sequencer\":{{\"blockTimeMs\":0}}}}");
            using var node = await NodeProcess.StartAsync(config, TimeSpan.FromSeconds(60));
            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };

            // The restarted node serves the head verified after the previous kill (or a later one).
            var head = L2NodeFixture.Q(await RpcAsync(http, node.RpcUrl, "eth_blockNumber"));
            Assert.True(head >= lastVerifiedHead, $"round {round}: head {head} is behind the verified head {lastVerifiedHead}");
            if (lastVerifiedHash != null)
            {
                var b = await RpcAsync(http, node.RpcUrl, "eth_getBlockByNumber", "0x" + lastVerifiedHead.ToString("x"), false);
                Assert.Equal(lastVerifiedHash, b.GetProperty("hash").GetString());
            }

            using var stop = new CancellationTokenSource();
            var load = Task.Run(() => LoadAsync(http, node.RpcUrl, round, acknowledged, stop.Token));
            await Task.Delay(random.Next(2500, 5000));
            node.KillHard();
            await stop.CancelAsync();
            var sent = await load;
            int acked;
            lock (acknowledged) acked = acknowledged.Count;
            log.WriteLine($"round {round}: sent {sent} transactions, {acked} acknowledged so far");
            if (Environment.GetEnvironmentVariable("OPENLEDGER_TEST_NODE_LOG_LEVEL") != null) log.WriteLine(node.Log);
            Assert.True(sent > 0, $"round {round}: the load generator sent nothing\n{node.Log}");

            (lastVerifiedHead, lastVerifiedHash) = Verify(datadir, genesis, acknowledged);
            log.WriteLine($"round {round}: head {lastVerifiedHead} verified");
        }
        Assert.True(acknowledged.Count > 0, "no transaction was acknowledged in any round");
        Assert.True(lastVerifiedHead > 0);
    }

    /// <summary>Batches of signed transactions from all ten accounts, then their receipts; runs until cancelled or the node dies.</summary>
    private async Task<int> LoadAsync(HttpClient http, string url, int round, Dictionary<string, string> acknowledged, CancellationToken ct)
    {
        int sent = 0;
        try
        {
            var nonces = new ulong[_keys.Count];
            for (int i = 0; i < _keys.Count; i++)
                // "pending": the pool's journal brings back what was accepted but not mined before the kill.
                nonces[i] = L2NodeFixture.Q(await RpcAsync(http, url, "eth_getTransactionCount", Secp256k1.AddressFromPrivateKey(_keys[i]).ToLowerHex(), "pending"));
            var outstanding = new List<string>();
            int iteration = 0;
            while (!ct.IsCancellationRequested)
            {
                var batch = new List<object>();
                for (int i = 0; i < _keys.Count; i++)
                {
                    var tx = NewTransaction(i, nonces[i]++, round, iteration);
                    batch.Add(new { jsonrpc = "2.0", id = batch.Count, method = "eth_sendRawTransaction", @params = new[] { "0x" + Convert.ToHexStringLower(tx.Encode()) } });
                    outstanding.Add(tx.Hash.ToString());
                }
                var answers = await BatchAsync(http, url, batch, ct);
                foreach (var a in answers.EnumerateArray())
                    Assert.False(a.TryGetProperty("error", out var e), $"eth_sendRawTransaction failed: {e}");
                sent += batch.Count;
                iteration++;

                var receipts = await BatchAsync(http, url, outstanding.Select((h, i) => (object)new { jsonrpc = "2.0", id = i, method = "eth_getTransactionReceipt", @params = new[] { h } }).ToList(), ct);
                var done = new HashSet<string>();
                foreach (var r in receipts.EnumerateArray())
                {
                    var result = r.GetProperty("result");
                    if (result.ValueKind != JsonValueKind.Object) continue;
                    var hash = result.GetProperty("transactionHash").GetString()!;
                    Assert.Equal("0x1", result.GetProperty("status").GetString());
                    lock (acknowledged) acknowledged[hash] = result.GetProperty("blockHash").GetString()!;
                    done.Add(hash);
                }
                outstanding.RemoveAll(done.Contains);
            }
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or OperationCanceledException or IOException)
        {
            // The node was killed mid-request: expected.
        }
        return sent;
    }

    /// <summary>Transfers to fresh addresses and, every fifth, a contract creation that writes storage.</summary>
    private Transaction NewTransaction(int account, ulong nonce, int round, int iteration)
    {
        bool create = (iteration + account) % 5 == 0;
        var to = new byte[20];
        to[0] = 0xee;
        to[17] = (byte)round;
        to[18] = (byte)account;
        to[19] = (byte)iteration;
        var tx = new Transaction
        {
            Type = TxType.DynamicFee,
            ChainId = ChainId,
            Nonce = nonce,
            MaxPriorityFeePerGas = new UInt256((ulong)(1 + account) * 1_000_000),
            MaxFeePerGas = new UInt256(50_000_000_000),
            GasLimit = create ? 100_000UL : 21_000UL,
            To = create ? null : new Address(to),
            Value = new UInt256(1_000 + (ulong)iteration),
            // PUSH1 iteration PUSH1 0 SSTORE PUSH1 0 PUSH1 0 RETURN: stores a word, deploys empty code.
            Data = create ? [0x60, (byte)iteration, 0x60, 0x00, 0x55, 0x60, 0x00, 0x60, 0x00, 0xf3] : [],
        };
        tx.Sign(_keys[account]);
        return tx;
    }

    private (ulong Head, string HeadHash) Verify(string datadir, GenesisSpec genesis, Dictionary<string, string> acknowledged)
    {
        using var chain = Blockchain.Open(new RocksDbKeyValueStore(datadir), genesis, Coinbase);
        var head = chain.Head;
        var store = chain.Store;

        // 1. Every block 0..head is there, linked to its parent, with a body and one receipt per transaction.
        var hashes = new Hash256[head.Number + 1];
        for (ulong n = 0; n <= head.Number; n++)
        {
            var hash = store.GetCanonicalHash(n) ?? throw new Xunit.Sdk.XunitException($"block {n} of {head.Number} has no canonical hash");
            var block = store.GetBlock(hash) ?? throw new Xunit.Sdk.XunitException($"block {n} ({hash}) has no header or body");
            Assert.Equal(n, block.Header.Number);
            if (n > 0) Assert.Equal(hashes[n - 1], block.Header.ParentHash);
            var receipts = store.GetReceipts(hash) ?? throw new Xunit.Sdk.XunitException($"block {n} has no receipts");
            Assert.Equal(block.Transactions.Count, receipts.Count);
            hashes[n] = hash;
        }
        Assert.Equal(head.Hash, hashes[head.Number]);

        // 2. Every receipt the node handed out before the kill is still there, in the same block.
        lock (acknowledged)
        {
            foreach (var (tx, blockHash) in acknowledged)
            {
                var loc = store.GetTxLocation(new Hash256(Convert.FromHexString(tx.AsSpan(2))));
                Assert.True(loc is not null, $"acknowledged transaction {tx} is gone after the crash");
                Assert.Equal(blockHash, loc!.Value.BlockHash.ToString());
                Assert.True(loc.Value.BlockNumber <= head.Number);
            }
        }

        // 3. Replay: the same transactions on a fresh in-memory chain produce the same blocks (hash covers the state root).
        using var replay = Blockchain.Open(new MemoryKeyValueStore(), genesis, Coinbase);
        Assert.Equal(hashes[0], replay.Head.Hash);
        for (ulong n = 1; n <= head.Number; n++)
        {
            var original = store.GetBlock(hashes[n])!;
            foreach (var tx in original.Transactions) replay.Pool.Add(tx);
            var produced = replay.ProduceBlock(original.Header.Timestamp, allowEmpty: true)!;
            Assert.True(produced.Block.Hash == original.Hash,
                $"block {n}: replay gives {produced.Block.Hash} (state root {produced.Block.Header.StateRoot}, {produced.Block.Transactions.Count} txs), " +
                $"stored {original.Hash} (state root {original.Header.StateRoot}, {original.Transactions.Count} txs)");
        }
        // The state at the head is readable and holds what the replay computed.
        Assert.NotNull(chain.StateAt(head).GetAccount(Secp256k1.AddressFromPrivateKey(_keys[0])));
        return (head.Number, head.Hash.ToString());
    }

    private static async Task<JsonElement> RpcAsync(HttpClient http, string url, string method, params object?[] args)
    {
        using var resp = await http.PostAsJsonAsync(url, new { jsonrpc = "2.0", id = 1, method, @params = args });
        var doc = JsonDocument.Parse(await resp.Content.ReadAsStringAsync());
        Assert.False(doc.RootElement.TryGetProperty("error", out var e), $"{method}: {e}");
        return doc.RootElement.GetProperty("result").Clone();
    }

    private static async Task<JsonElement> BatchAsync(HttpClient http, string url, List<object> calls, CancellationToken ct)
    {
        using var resp = await http.PostAsJsonAsync(url, calls, ct);
        return JsonDocument.Parse(await resp.Content.ReadAsStringAsync(ct)).RootElement.Clone();
    }
}
