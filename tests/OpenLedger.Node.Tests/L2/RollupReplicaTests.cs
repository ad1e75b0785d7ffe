using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using OpenLedger.Chain;
using OpenLedger.Chain.Rollup;
using OpenLedger.Node.Devnet;
using OpenLedger.Node.Hosting;
using OpenLedger.Node.L1;
using OpenLedger.Primitives;
using OpenLedger.Primitives.Transactions;
using OpenLedger.Rollup.Batcher;
using OpenLedger.Rollup.Config;
using OpenLedger.Rollup.Encoding;
using OpenLedger.Rollup.L1;
using OpenLedger.State.Storage;
using OpenLedger.Tests.Shared;
using Xunit.Abstractions;

namespace OpenLedger.Node.Tests.L2;

/// <summary>
/// The rollup end to end on a real L1 (anvil): our sequencer node makes blocks, the batcher posts them to anvil, and a
/// replica node that has only the L1 RPC and rollup.json derives the same chain, hash for hash, through
/// Blockchain.BuildBlock. The sequencer's own derivation moves its safe head; both answer optimism_syncStatus as
/// op-node does; the replica forwards transactions to the sequencer and answers as it answered; L1 reorgs are rewound.
/// </summary>
public sealed class RollupReplicaTests(ITestOutputHelper log) : IAsyncLifetime
{
    private static readonly byte[] BatcherKey = Hex.Decode("0x5de4111afa1a4b94908f83103eb1f1706367c2e68ca870fc3fb9a804cdab365a");
    private static readonly IReadOnlyList<(Address Address, byte[] Key)> Accounts = DevnetGenesis.Create(0).Accounts;
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(60) };
    private readonly List<string> _tempFiles = [];
    private AnvilProcess _anvil = null!;
    private Chain.Genesis.GenesisSpec _genesis = null!;
    private RollupConfig _rollup = null!;
    private string _rollupPath = null!;

    public async Task InitializeAsync()
    {
        _anvil = await AnvilProcess.StartAsync(ToolLocator.Find("anvil"), TestPaths.FreePort(), ["--chain-id", "31337"]);
        var l1Genesis = await new NethereumL1Source(_anvil.RpcUrl).GetHeadAsync(default);
        var (genesis, _) = DevnetGenesis.Create(l1Genesis.Timestamp);
        _genesis = PredeployGenesis.WithPredeploys(genesis, ForgeBuild.Artifacts("contracts/src/l2/predeploys"), Accounts[0].Address);
        Hash256 l2GenesisHash;
        using (var probe = Blockchain.Open(new MemoryKeyValueStore(), _genesis, Predeploys.SequencerFeeVault)) l2GenesisHash = probe.Genesis.Hash;
        _rollup = new RollupConfig
        {
            GenesisL1 = new BlockId(l1Genesis.Hash, l1Genesis.Number),
            GenesisL2 = new BlockId(l2GenesisHash, 0),
            GenesisL2Time = _genesis.Timestamp,
            GenesisSystemConfig = new SystemConfig(Secp256k1Address(BatcherKey), Hash256.Zero, SystemConfig.EcotoneScalar(1368, 810949), _genesis.GasLimit),
            BlockTime = 1, MaxSequencerDrift = 600, SeqWindowSize = 3600, ChannelTimeout = 50,
            L1ChainId = 31337, L2ChainId = _genesis.Config.ChainId,
            BatchInboxAddress = Address.Parse("0xff00000000000000000000000000000000000901"),
            DepositContractAddress = Address.Parse("0x00000000000000000000000000000000000000d0"),
            L1SystemConfigAddress = Address.Parse("0x00000000000000000000000000000000000000c0"),
            FjordTime = 0, GraniteTime = 0,
        };
        _rollupPath = TempFile("rollup.json", RollupConfigJson.Serialize(_rollup));
    }

    private static Address Secp256k1Address(byte[] key) => Primitives.Crypto.Secp256k1.AddressFromPrivateKey(key);

    private string TempFile(string name, string text)
    {
        var path = Path.Combine(Path.GetTempPath(), $"{Guid.NewGuid():N}-{name}");
        File.WriteAllText(path, text);
        _tempFiles.Add(path);
        return path;
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _anvil.DisposeAsync();
        foreach (var f in _tempFiles) File.Delete(f);
    }

    private NodeConfig Config(NodeRole role, string? dataDir = null, string? sequencerRpc = null) => new()
    {
        Genesis = _genesis,
        RpcPort = 0,
        BlockTime = null, // instant: a block per transaction, timestamps parent + 1 s
        DataDir = dataDir,
        Role = role,
        SequencerRpc = sequencerRpc,
        Rollup = RollupNodeConfig.FromRollupJson(_rollup, new RollupNodeConfig
        {
            L1Rpc = _anvil.RpcUrl,
            Sequencing = new RollupSequencingConfig { BlockTimeSeconds = 1, GenesisL1Number = 0, GenesisL1Hash = default },
        }),
    };

    private async Task<JsonElement> CallAsync(string url, string method, params object?[] args)
    {
        using var content = new StringContent(JsonSerializer.Serialize(new { jsonrpc = "2.0", id = 1, method, @params = args }), Encoding.UTF8);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        using var resp = await _http.PostAsync(url, content);
        return JsonDocument.Parse(await resp.Content.ReadAsStringAsync()).RootElement.Clone();
    }

    private async Task<JsonElement> ResultAsync(string url, string method, params object?[] args)
    {
        var r = await CallAsync(url, method, args);
        Assert.False(r.TryGetProperty("error", out var err), $"{method}: {err}");
        return r.GetProperty("result");
    }

    /// <summary>Mixed transactions: 1559 and legacy transfers, a contract creation that stores a word, calls to it.</summary>
    private static Transaction Tx(int account, ulong nonce, ulong chainId)
    {
        var create = nonce % 5 == 2;
        var tx = new Transaction
        {
            Type = nonce % 2 == 0 ? TxType.DynamicFee : TxType.Legacy, ChainId = chainId, Nonce = nonce,
            MaxPriorityFeePerGas = new UInt256(1_000_000), MaxFeePerGas = new UInt256(10_000_000_000), GasPrice = new UInt256(10_000_000_000),
            GasLimit = create ? 100_000UL : 30_000UL, To = create ? null : Accounts[9].Address, Value = new UInt256(nonce + 1),
            Data = create ? [0x60, 0x2a, 0x60, 0x00, 0x55, 0x00] : nonce % 3 == 0 ? [0x01, 0x02] : [],
        };
        tx.Sign(Accounts[account].Key);
        return tx;
    }

    private async Task SendAndWaitAsync(string url, Transaction tx)
    {
        var hash = (await ResultAsync(url, "eth_sendRawTransaction", Hex.Encode(tx.Encode()))).GetString()!;
        await WaitForAsync(async () => (await ResultAsync(url, "eth_getTransactionReceipt", hash)).ValueKind == JsonValueKind.Object, $"receipt of {hash}");
    }

    private static async Task WaitForAsync(Func<Task<bool>> condition, string what, int seconds = 60)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(seconds);
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"timed out waiting for {what}");
            await Task.Delay(50);
        }
    }

    private async Task PostAllAsync(NodeHost sequencer)
    {
        var logger = NullLogger.Instance;
        var client = new Nethereum.JsonRpc.Client.RpcClient(new Uri(_anvil.RpcUrl));
        var batcher = new BatcherService(_rollup, new RpcL1Source(client, _rollup.L1SystemConfigAddress), RpcL2BlockSource.Create(sequencer.RpcUrl),
            new L1TxSender(client, BatcherKey, 31337, logger),
            new BatcherOptions { SpanBatches = true, Compression = CompressionAlgorithm.Brotli, MaxBlocksPerChannel = 8, MaxFrameSize = 1000 }, logger);
        while (await batcher.PostNextChannelAsync(CancellationToken.None)) { }
        Assert.Equal(sequencer.Chain.Head.Number, batcher.SafeHead!.Number);
    }

    /// <summary>Builds blocks on the sequencer from two accounts, moving L1 along so blocks change epochs.</summary>
    private async Task SequenceAsync(NodeHost sequencer, int blocks, ulong firstNonce = 0)
    {
        ulong chainId = sequencer.Chain.Config.ChainId;
        for (int i = 0; i < blocks; i++)
        {
            if (i % 4 == 3) await ResultAsync(_anvil.RpcUrl, "evm_mine");
            await SendAndWaitAsync(sequencer.RpcUrl, Tx(1 + i % 2, firstNonce + (ulong)(i / 2), chainId));
        }
    }

    private static void AssertSameChain(Blockchain a, Blockchain b)
    {
        Assert.Equal(a.Head.Number, b.Head.Number);
        for (ulong n = 0; n <= a.Head.Number; n++) Assert.Equal(a.Store.GetCanonicalHash(n), b.Store.GetCanonicalHash(n));
        Assert.Equal(a.Head.StateRoot, b.Head.StateRoot);
    }

    [Fact]
    public async Task Replica_derives_the_sequencers_blocks_from_anvil_hash_for_hash_and_both_move_safe()
    {
        await using var sequencer = await NodeHost.StartAsync(Config(NodeRole.Sequencer), NullLoggerFactory.Instance);
        await SequenceAsync(sequencer, 24);
        Assert.Equal(0UL, sequencer.Chain.Safe.Number);
        await PostAllAsync(sequencer);
        ulong posted = sequencer.Chain.Head.Number;
        var headInfo = L1BlockInfo.FromBlock(sequencer.Chain.Store.GetBlock(sequencer.Chain.Head.Hash)!)!;
        Assert.True(headInfo.Number > _rollup.GenesisL1.Number, "the blocks must span several L1 epochs");

        // The sequencer's own derivation confirms its blocks: safe reaches what was posted, the blocks unchanged.
        await WaitForAsync(() => Task.FromResult(sequencer.Chain.Safe.Number >= posted), "sequencer safe head");
        Assert.Equal(0, sequencer.Derivation!.Engine.Reorgs);
        var safeTag = await ResultAsync(sequencer.RpcUrl, "eth_getBlockByNumber", "safe", false);
        Assert.Equal(sequencer.Chain.Store.GetCanonicalHash(posted).ToString(), safeTag.GetProperty("hash").GetString());

        // A replica with only L1 and rollup.json: every block derived and executed, the same hashes and state.
        await using var replica = await NodeHost.StartAsync(Config(NodeRole.Replica, sequencerRpc: sequencer.RpcUrl), NullLoggerFactory.Instance);
        Assert.Null(replica.Sequencer);
        await WaitForAsync(() => Task.FromResult(replica.Chain.Head.Number >= posted), "replica head", 120);
        AssertSameChain(sequencer.Chain, replica.Chain);
        Assert.Equal(replica.Chain.Head.Hash, replica.Chain.Safe.Hash);

        // optimism_syncStatus as op-node writes it, on both.
        foreach (var url in new[] { sequencer.RpcUrl, replica.RpcUrl })
        {
            var s = await ResultAsync(url, "optimism_syncStatus");
            foreach (var f in new[] { "current_l1", "current_l1_finalized", "head_l1", "safe_l1", "finalized_l1" })
            {
                var r = s.GetProperty(f);
                Assert.Equal(JsonValueKind.Number, r.GetProperty("number").ValueKind);
                Assert.Equal(66, r.GetProperty("hash").GetString()!.Length);
                Assert.Equal(66, r.GetProperty("parentHash").GetString()!.Length);
                Assert.Equal(JsonValueKind.Number, r.GetProperty("timestamp").ValueKind);
            }
            var safe = s.GetProperty("safe_l2");
            Assert.Equal(posted, safe.GetProperty("number").GetUInt64());
            Assert.Equal(sequencer.Chain.Store.GetCanonicalHash(posted).ToString(), safe.GetProperty("hash").GetString());
            var block = sequencer.Chain.Store.GetBlock(sequencer.Chain.Store.GetCanonicalHash(posted)!.Value)!;
            var info = L1BlockInfo.FromBlock(block)!;
            Assert.Equal(info.Hash.ToString(), safe.GetProperty("l1origin").GetProperty("hash").GetString());
            Assert.Equal(info.Number, safe.GetProperty("l1origin").GetProperty("number").GetUInt64());
            Assert.Equal(info.SequenceNumber, safe.GetProperty("sequenceNumber").GetUInt64());
            Assert.True(s.GetProperty("unsafe_l2").GetProperty("number").GetUInt64() >= posted);
            var headL1 = s.GetProperty("head_l1").GetProperty("number").GetUInt64();
            Assert.True(headL1 >= s.GetProperty("current_l1").GetProperty("number").GetUInt64());
            Assert.True(s.GetProperty("finalized_l2").GetProperty("number").GetUInt64() <= posted);
        }

        // The replica forwards transactions: a good one lands on the sequencer, a bad one gets the sequencer's error.
        var next = Tx(1, 12, sequencer.Chain.Config.ChainId);
        var hash = (await ResultAsync(replica.RpcUrl, "eth_sendRawTransaction", Hex.Encode(next.Encode()))).GetString()!;
        Assert.Equal(next.Hash.ToString(), hash);
        await WaitForAsync(async () => (await ResultAsync(sequencer.RpcUrl, "eth_getTransactionReceipt", hash)).ValueKind == JsonValueKind.Object, "forwarded tx");
        var stale = Hex.Encode(Tx(1, 0, sequencer.Chain.Config.ChainId).Encode());
        var fromReplica = (await CallAsync(replica.RpcUrl, "eth_sendRawTransaction", stale)).GetProperty("error");
        var fromSequencer = (await CallAsync(sequencer.RpcUrl, "eth_sendRawTransaction", stale)).GetProperty("error");
        Assert.Equal(fromSequencer.GetProperty("code").GetInt32(), fromReplica.GetProperty("code").GetInt32());
        Assert.Equal(fromSequencer.GetProperty("message").GetString(), fromReplica.GetProperty("message").GetString());
        Assert.Contains("nonce too low", fromReplica.GetProperty("message").GetString());
        Assert.Equal(0, replica.Chain.Pool.Count);
        log.WriteLine($"{posted} blocks derived hash-identical; L1 head {await ResultAsync(_anvil.RpcUrl, "eth_blockNumber")}");
    }

    [Fact]
    public async Task An_L1_reorg_under_the_safe_head_is_rewound_and_sequencer_and_replica_converge_again()
    {
        await using var sequencer = await NodeHost.StartAsync(Config(NodeRole.Sequencer), NullLoggerFactory.Instance);
        ulong fork = _rollup.GenesisL1.Number + 1;
        await ResultAsync(_anvil.RpcUrl, "evm_mine");
        await SequenceAsync(sequencer, 16);
        var before = L1BlockInfo.FromBlock(sequencer.Chain.Store.GetBlock(sequencer.Chain.Head.Hash)!)!;
        Assert.True(before.Number > fork, $"the head's origin {before.Number} must be above the fork point {fork}");
        await PostAllAsync(sequencer);
        ulong posted = sequencer.Chain.Head.Number;
        await using var replica = await NodeHost.StartAsync(Config(NodeRole.Replica, sequencerRpc: sequencer.RpcUrl), NullLoggerFactory.Instance);
        await WaitForAsync(() => Task.FromResult(replica.Chain.Safe.Number >= posted && sequencer.Chain.Safe.Number >= posted), "both safe at the posted head", 120);
        var oldHash = sequencer.Chain.Head.Hash;

        // L1 loses every block after the fork point (origins and batches) and grows another branch.
        ulong l1Head = ulong.Parse((await ResultAsync(_anvil.RpcUrl, "eth_blockNumber")).GetString()![2..], NumberStyles.HexNumber);
        await ResultAsync(_anvil.RpcUrl, "anvil_rollback", l1Head - fork);
        for (int i = 0; i < 3; i++)
        {
            await ResultAsync(_anvil.RpcUrl, "eth_sendTransaction", new { from = "0xf39fd6e51aad88f6f4ce6ab8827279cfffb92266", to = "0x0000000000000000000000000000000000000b0b", value = "0x" + (i + 1).ToString("x") });
            await ResultAsync(_anvil.RpcUrl, "evm_mine");
        }

        // Both notice: safe goes back to a block whose L1 data is still there.
        await WaitForAsync(() => Task.FromResult(sequencer.Chain.Safe.Number < posted && replica.Chain.Safe.Number < posted), "safe heads rewound", 60);

        // The sequencer drops the blocks on vanished origins (their transactions go back to its pool) and goes on.
        await SequenceAsync(sequencer, 6, firstNonce: 8);
        Assert.DoesNotContain(oldHash, Enumerable.Range(0, (int)sequencer.Chain.Head.Number + 1).Select(n => sequencer.Chain.Store.GetCanonicalHash((ulong)n)!.Value));
        for (ulong n = 1; n <= sequencer.Chain.Head.Number; n++)
        {
            var info = L1BlockInfo.FromBlock(sequencer.Chain.Store.GetBlock(sequencer.Chain.Store.GetCanonicalHash(n)!.Value)!)!;
            Assert.Equal(info.Hash.ToString(), (await ResultAsync(_anvil.RpcUrl, "eth_getBlockByNumber", "0x" + info.Number.ToString("x"), false)).GetProperty("hash").GetString());
        }

        // A fresh batcher posts the new chain; the replica re-derives it (replacing its stale blocks) and both agree.
        await PostAllAsync(sequencer);
        ulong head = sequencer.Chain.Head.Number;
        await WaitForAsync(() => Task.FromResult(replica.Chain.Safe.Number >= head && sequencer.Chain.Safe.Number >= head), "both safe at the new head", 120);
        AssertSameChain(sequencer.Chain, replica.Chain);
    }

    /// <summary>The genesis in geth's JSON (what a replica process reads from its config).</summary>
    private static string GenesisJson(Chain.Genesis.GenesisSpec g)
    {
        static string Q(UInt256 v) => "0x" + (Convert.ToHexStringLower(v.ToBigEndian()).TrimStart('0') is { Length: > 0 } h ? h : "0");
        var config = new Dictionary<string, object> { ["chainId"] = g.Config.ChainId, ["shanghaiTime"] = 0, ["cancunTime"] = 0 };
        if (g.Config.PragueTime is { } p) config["pragueTime"] = p;
        if (g.Config.OsakaTime is { } o) config["osakaTime"] = o;
        if (g.Config.Optimism) config["optimism"] = new Dictionary<string, object>();
        config["eip1559"] = new Dictionary<string, object>
        {
            ["elasticityMultiplier"] = g.Config.BaseFeeElasticity, ["baseFeeChangeDenominator"] = g.Config.BaseFeeChangeDenominator, ["minBaseFee"] = Q(g.Config.MinBaseFee),
        };
        var alloc = g.Alloc.ToDictionary(a => a.Key.ToString(), a => new Dictionary<string, object>
        {
            ["balance"] = Q(a.Value.Balance), ["nonce"] = a.Value.Nonce, ["code"] = Hex.Encode(a.Value.Code),
            ["storage"] = a.Value.Storage.ToDictionary(kv => "0x" + Convert.ToHexStringLower(kv.Key.ToBigEndian()), kv => "0x" + Convert.ToHexStringLower(kv.Value.ToBigEndian())),
        });
        return JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["config"] = config, ["alloc"] = alloc, ["gasLimit"] = g.GasLimit, ["timestamp"] = g.Timestamp, ["extraData"] = Hex.Encode(g.ExtraData),
            ["baseFeePerGas"] = Q(g.BaseFeePerGas), ["coinbase"] = g.Coinbase.ToString(), ["mixHash"] = g.MixHash.ToString(),
        });
    }

    [Fact]
    public async Task A_replica_process_killed_with_sigkill_resumes_from_its_stored_safe_head()
    {
        await using var sequencer = await NodeHost.StartAsync(Config(NodeRole.Sequencer), NullLoggerFactory.Instance);
        await SequenceAsync(sequencer, 10);
        await PostAllAsync(sequencer);
        ulong first = sequencer.Chain.Head.Number;

        var dir = Path.Combine(Path.GetTempPath(), $"replica-{Guid.NewGuid():N}");
        Directory.CreateDirectory(dir);
        try
        {
            File.WriteAllText(Path.Combine(dir, "genesis.json"), GenesisJson(_genesis));
            var config = Path.Combine(dir, "config.json");
            File.WriteAllText(config, JsonSerializer.Serialize(new { datadir = "data", genesis = "genesis.json", rpc = new { port = TestPaths.FreePort() } }));
            string[] args = ["--role", "replica", "--l1-rpc", _anvil.RpcUrl, "--rollup-config", _rollupPath, "--sequencer-rpc", sequencer.RpcUrl];
            using (var replica = await NodeProcess.StartAsync(config, TimeSpan.FromSeconds(60), args))
            {
                await WaitForAsync(async () => (await SafeNumberAsync(replica.RpcUrl)) >= first, "replica process safe head", 120);
                replica.KillHard();
            }

            // More blocks while the replica is down.
            await SequenceAsync(sequencer, 6, firstNonce: 5);
            await PostAllAsync(sequencer);
            ulong second = sequencer.Chain.Head.Number;

            using var restarted = await NodeProcess.StartAsync(config, TimeSpan.FromSeconds(60), args);
            // It restarts where it was (safe head from the store, not genesis) and derives on.
            var resumed = restarted.Log.Split('\n').Single(l => l.StartsWith("L2 JSON-RPC: ", StringComparison.Ordinal));
            Assert.EndsWith($"derivation resumes at safe block {first}", resumed.TrimEnd());
            await WaitForAsync(async () => (await SafeNumberAsync(restarted.RpcUrl)) >= second, "restarted replica safe head", 120);
            for (ulong n = 0; n <= second; n++)
            {
                var b = await ResultAsync(restarted.RpcUrl, "eth_getBlockByNumber", "0x" + n.ToString("x"), false);
                Assert.Equal(sequencer.Chain.Store.GetCanonicalHash(n).ToString(), b.GetProperty("hash").GetString());
            }
            Assert.DoesNotContain("deriving from genesis", restarted.Log);
        }
        finally
        {
            try { Directory.Delete(dir, recursive: true); } catch (IOException) { }
        }
    }

    private async Task<ulong> SafeNumberAsync(string url)
    {
        var b = await ResultAsync(url, "eth_getBlockByNumber", "safe", false);
        return ulong.Parse(b.GetProperty("number").GetString()![2..], NumberStyles.HexNumber);
    }

    [Fact]
    public async Task A_replica_from_genesis_derives_1000_blocks_of_mixed_transactions_hash_identical()
    {
        await using var sequencer = await NodeHost.StartAsync(Config(NodeRole.Sequencer), NullLoggerFactory.Instance);
        ulong chainId = sequencer.Chain.Config.ChainId;
        // Straight into the sequencer's pool (what eth_sendRawTransaction does), one block per transaction, L1 moving along.
        for (int i = 0; i < 1000; i++)
        {
            if (i % 50 == 49) await ResultAsync(_anvil.RpcUrl, "evm_mine");
            var sealedBlock = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            void OnBlock(Chain.NewBlock _) => sealedBlock.TrySetResult();
            sequencer.Chain.BlockCommitted += OnBlock;
            sequencer.Chain.Pool.Add(Tx(1 + i % 3, (ulong)(i / 3), chainId));
            await sealedBlock.Task.WaitAsync(TimeSpan.FromSeconds(30));
            sequencer.Chain.BlockCommitted -= OnBlock;
        }
        await WaitForAsync(() => Task.FromResult(sequencer.Chain.Pool.Count == 0), "pool drained");
        Assert.True(sequencer.Chain.Head.Number >= 1000);

        var logger = NullLogger.Instance;
        var client = new Nethereum.JsonRpc.Client.RpcClient(new Uri(_anvil.RpcUrl));
        var batcher = new BatcherService(_rollup, new RpcL1Source(client, _rollup.L1SystemConfigAddress), RpcL2BlockSource.Create(sequencer.RpcUrl),
            new L1TxSender(client, BatcherKey, 31337, logger), new BatcherOptions { SpanBatches = true, Compression = CompressionAlgorithm.Zlib, MaxBlocksPerChannel = 250 }, logger);
        while (await batcher.PostNextChannelAsync(CancellationToken.None)) { }
        ulong head = sequencer.Chain.Head.Number;

        await using var replica = await NodeHost.StartAsync(Config(NodeRole.Replica), NullLoggerFactory.Instance);
        await WaitForAsync(() => Task.FromResult(replica.Chain.Safe.Number >= head), "replica safe head", 300);
        AssertSameChain(sequencer.Chain, replica.Chain);
        Assert.True(sequencer.Chain.TotalTransactions >= 2000);
        log.WriteLine($"{head} blocks derived hash-identical");
    }

    /// <summary>
    /// A stand-in L1 SystemConfig: emits <c>ConfigUpdate(uint256 indexed version = 0, uint8 indexed updateType, bytes data)</c>
    /// with updateType = calldata word 0 and data = the rest of the calldata (already ABI-encoded bytes). Hand-assembled:
    /// size = CALLDATASIZE - 32; CALLDATACOPY(0, 32, size); LOG3(0, size, topic, 0, CALLDATALOAD(0)).
    /// </summary>
    private static byte[] ConfigUpdateEmitter() =>
        [0x60, 0x20, 0x36, 0x03, 0x80, 0x60, 0x20, 0x60, 0x00, 0x37, 0x60, 0x00, 0x35, 0x60, 0x00, 0x7f,
         .. Keccak256.Compute("ConfigUpdate(uint256,uint8,bytes)"u8).Bytes, 0x83, 0x60, 0x00, 0xa3, 0x00];

    private static byte[] Word(UInt256 v) => v.ToBigEndian();

    [Fact]
    public async Task L1_system_config_updates_reach_sequencer_and_derivation_alike()
    {
        await ResultAsync(_anvil.RpcUrl, "anvil_setCode", _rollup.L1SystemConfigAddress.ToString(), Hex.Encode(ConfigUpdateEmitter()));
        await using var sequencer = await NodeHost.StartAsync(Config(NodeRole.Sequencer), NullLoggerFactory.Instance);
        await SequenceAsync(sequencer, 4);

        // L1 governance changes the L2 gas limit (type 2) and the fee scalars (type 1, Ecotone encoding).
        byte[] Update(ulong type, byte[] inner) => [.. Word(new UInt256(type)), .. Word(new UInt256(32)), .. Word(new UInt256((ulong)inner.Length)), .. inner];
        var newScalar = SystemConfig.EcotoneScalar(2000, 900000);
        foreach (var data in new[] { Update(2, Word(new UInt256(25_000_000))), Update(1, [.. new byte[32], .. newScalar.Bytes]) })
            await ResultAsync(_anvil.RpcUrl, "eth_sendTransaction", new { from = "0xf39fd6e51aad88f6f4ce6ab8827279cfffb92266", to = _rollup.L1SystemConfigAddress.ToString(), data = Hex.Encode(data), gas = "0x30000" });
        await ResultAsync(_anvil.RpcUrl, "evm_mine");
        await SequenceAsync(sequencer, 16, firstNonce: 2);

        var head = sequencer.Chain.Store.GetBlock(sequencer.Chain.Head.Hash)!;
        Assert.Equal(25_000_000UL, head.Header.GasLimit);
        var info = L1BlockInfo.FromBlock(head)!;
        Assert.Equal(2000u, info.SystemConfig.BaseFeeScalar);
        Assert.Equal(900000u, info.SystemConfig.BlobBaseFeeScalar);

        await PostAllAsync(sequencer);
        await using var replica = await NodeHost.StartAsync(Config(NodeRole.Replica), NullLoggerFactory.Instance);
        await WaitForAsync(() => Task.FromResult(replica.Chain.Safe.Number >= sequencer.Chain.Head.Number && sequencer.Chain.Safe.Number >= sequencer.Chain.Head.Number),
            "replica and sequencer safe heads", 120);
        AssertSameChain(sequencer.Chain, replica.Chain);
        Assert.Equal(0, sequencer.Derivation!.Engine.Reorgs); // derivation confirmed the sequencer's blocks as they were
    }
}
