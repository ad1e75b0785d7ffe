using System.Diagnostics;
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
using OpenLedger.Rollup.Batcher;
using OpenLedger.Rollup.Config;
using OpenLedger.Rollup.L1;
using OpenLedger.Rpc.Dev;
using OpenLedger.State.Storage;
using OpenLedger.Tests.Shared;
using Xunit.Abstractions;

namespace OpenLedger.Node.Tests.L2;

/// <summary>
/// Time travel on a rollup devnet: a sequencer in dev mode (the dev accounts, 1 s blocks, L1 = anvil) moves an hour
/// forward (past the 1800 s sequencer drift); L1's clock moves first, every L2 block of the hour is produced, a
/// transaction sent right after the jump runs at the new time (a contract stores block.timestamp); the batcher posts
/// the blocks and a replica with only L1 and rollup.json derives them hash for hash. Answers are compared with anvil's
/// (the L1 here) for the same requests; methods a replica could not follow are refused, saying why.
/// </summary>
public sealed class RollupTimeTravelTests(ITestOutputHelper log) : IAsyncLifetime
{
    private const ulong Jump = 3600;
    private static readonly byte[] BatcherKey = Hex.Decode("0x5de4111afa1a4b94908f83103eb1f1706367c2e68ca870fc3fb9a804cdab365a");
    private static readonly IReadOnlyList<(Address Address, byte[] Key)> Accounts = DevnetGenesis.Create(0).Accounts;
    // Runtime TIMESTAMP PUSH0 SSTORE STOP (any call stores block.timestamp in slot 0), deployed by PUSH4 code PUSH0 MSTORE PUSH1 4 PUSH1 28 RETURN.
    private const string StampInit = "0x63425f55005f526004601cf3";
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(300) };
    private readonly List<string> _tempFiles = [];
    private AnvilProcess _anvil = null!;
    private Chain.Genesis.GenesisSpec _genesis = null!;
    private RollupConfig _rollup = null!;

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
            GenesisSystemConfig = new SystemConfig(Primitives.Crypto.Secp256k1.AddressFromPrivateKey(BatcherKey), Hash256.Zero, SystemConfig.EcotoneScalar(1368, 810949), _genesis.GasLimit),
            BlockTime = 1, MaxSequencerDrift = 1800, SeqWindowSize = 3600, ChannelTimeout = 50,
            L1ChainId = 31337, L2ChainId = _genesis.Config.ChainId,
            BatchInboxAddress = Address.Parse("0xff00000000000000000000000000000000000901"),
            DepositContractAddress = Address.Parse("0x00000000000000000000000000000000000000d0"),
            L1SystemConfigAddress = Address.Parse("0x00000000000000000000000000000000000000c0"),
            FjordTime = 0, GraniteTime = 0,
        };
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _anvil.DisposeAsync();
        foreach (var f in _tempFiles) File.Delete(f);
    }

    private NodeConfig Config(NodeRole role, string? sequencerRpc = null) => new()
    {
        Genesis = _genesis,
        RpcPort = 0,
        BlockTime = TimeSpan.FromSeconds(1), // as the devnet: a block every second, empty ones included
        Role = role,
        SequencerRpc = sequencerRpc,
        DevAccounts = Accounts, // as `openledger devnet` sets them (a config file cannot)
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

    private static (int Code, string Message) Error(JsonElement r)
    {
        Assert.True(r.TryGetProperty("error", out var e), $"expected an error, got {r}");
        return (e.GetProperty("code").GetInt32(), e.GetProperty("message").GetString()!);
    }

    private static ulong Q(JsonElement e) => ulong.Parse(e.GetString()!.AsSpan(2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture);

    private async Task<JsonElement> BlockAsync(string url, string tag) => await ResultAsync(url, "eth_getBlockByNumber", tag, false);

    private async Task<JsonElement> ReceiptAsync(string url, string hash)
    {
        var deadline = DateTime.UtcNow.AddSeconds(120);
        while (true)
        {
            var r = await ResultAsync(url, "eth_getTransactionReceipt", hash);
            if (r.ValueKind == JsonValueKind.Object) return r;
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"no receipt for {hash}");
            await Task.Delay(100);
        }
    }

    private static async Task WaitForAsync(Func<bool> condition, string what, int seconds)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(seconds);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"timed out waiting for {what}");
            await Task.Delay(100);
        }
    }

    [Fact]
    public async Task An_hour_forward_every_block_produced_the_new_time_seen_by_a_contract_and_a_replica_derives_the_same_chain()
    {
        await using var sequencer = await NodeHost.StartAsync(Config(NodeRole.Sequencer), NullLoggerFactory.Instance);
        string l2 = sequencer.RpcUrl, l1 = _anvil.RpcUrl;
        string from = Accounts[1].Address.ToString();

        // eth_sendTransaction signs for a dev account on the rollup devnet too (an ordinary signed transaction).
        var deploy = await ReceiptAsync(l2, (await ResultAsync(l2, "eth_sendTransaction", new { from, data = StampInit })).GetString()!);
        Assert.Equal("0x1", deploy.GetProperty("status").GetString());
        string stamp = deploy.GetProperty("contractAddress").GetString()!;
        Assert.Equal(from, deploy.GetProperty("from").GetString(), ignoreCase: true);

        // An hour forward: evm_increaseTime answers at once with the total offset, a JSON number as anvil's.
        var head0 = await BlockAsync(l2, "latest");
        ulong n0 = Q(head0.GetProperty("number")), t0 = Q(head0.GetProperty("timestamp"));
        ulong l1Before = Q((await BlockAsync(l1, "latest")).GetProperty("timestamp"));
        var sw = Stopwatch.StartNew();
        var offset = await ResultAsync(l2, "evm_increaseTime", Jump);
        Assert.Equal(JsonValueKind.Number, offset.ValueKind);
        Assert.True(offset.GetInt64() >= (long)Jump);
        var anvilOffset = await ResultAsync(l1, "evm_increaseTime", 0); // the same request to anvil: the same shape, and L1 moved by the jump
        Assert.Equal(JsonValueKind.Number, anvilOffset.ValueKind);
        Assert.True(anvilOffset.GetInt64() >= (long)Jump);
        Assert.True(Q((await BlockAsync(l1, "latest")).GetProperty("timestamp")) >= l1Before + Jump, "L1 has a block at the new time before L2 needs it");

        // A transaction sent right after the jump waits for the new time, as on anvil (the skipped blocks hold the pool).
        var touch = (await ResultAsync(l2, "eth_sendTransaction", new { from, to = stamp })).GetString()!;
        var mined = await ResultAsync(l2, "evm_mine");
        Assert.Equal("0x0", mined.GetString());
        Assert.Equal("0x0", (await ResultAsync(l1, "evm_mine")).GetString());
        log.WriteLine($"{Jump} s caught up in {sw.Elapsed.TotalSeconds:0.0} s (loaded machine)");
        var receipt = await ReceiptAsync(l2, touch);
        Assert.Equal("0x1", receipt.GetProperty("status").GetString());
        ulong touchedAt = Q(receipt.GetProperty("blockTimestamp"));
        Assert.True(touchedAt >= t0 + Jump, $"the transaction ran at {touchedAt}, before the jump's target {t0 + Jump}");
        var stored = await ResultAsync(l2, "eth_getStorageAt", stamp, "0x0", receipt.GetProperty("blockNumber").GetString());
        Assert.Equal(touchedAt, (ulong)UInt256.Parse(stored.GetString()!));

        // Every second of the hour is a block: timestamps step by the block time, numbers by one.
        var head1 = await BlockAsync(l2, "latest");
        ulong n1 = Q(head1.GetProperty("number")), t1 = Q(head1.GetProperty("timestamp"));
        Assert.True(t1 >= t0 + Jump);
        Assert.Equal(t1 - t0, n1 - n0);
        var skipped = sequencer.Chain.Store.GetBlock(sequencer.Chain.Store.GetCanonicalHash(n0 + Jump / 2)!.Value)!;
        Assert.Single(skipped.Transactions); // the L1 attributes deposit only: past the drift, and held for the jump
        Assert.True(skipped.Transactions[0].IsDeposit);

        // An exact next timestamp, then evm_mine: the block has it (same null result and error text as anvil's).
        ulong target = t1 + 100;
        var set = await CallAsync(l2, "evm_setNextBlockTimestamp", target);
        Assert.Equal(JsonValueKind.Null, set.GetProperty("result").ValueKind);
        await ResultAsync(l2, "evm_mine");
        var atTarget = await BlockAsync(l2, "latest");
        Assert.Equal(target, Q(atTarget.GetProperty("timestamp")));
        var oursPast = Error(await CallAsync(l2, "evm_setNextBlockTimestamp", 5));
        var anvilPast = Error(await CallAsync(l1, "evm_setNextBlockTimestamp", 5));
        Assert.Equal(anvilPast, oursPast);

        // anvil_mine: blocks now, null as anvil answers; an interval that is not a multiple of the block time is refused.
        ulong before = sequencer.Chain.Head.Number;
        var m = await CallAsync(l2, "anvil_mine", "0x3");
        Assert.Equal(JsonValueKind.Null, m.GetProperty("result").ValueKind);
        Assert.Equal(JsonValueKind.Null, (await CallAsync(l1, "anvil_mine", "0x1")).GetProperty("result").ValueKind);
        Assert.True(sequencer.Chain.Head.Number >= before + 3);
        var badInterval = Error(await CallAsync(l2, "anvil_mine", "0x2", "0x0"));
        Assert.Equal(-32602, badInterval.Code);
        Assert.Contains("multiple of 1", badInterval.Message);
        var tooFar = Error(await CallAsync(l2, "evm_increaseTime", RollupDevModule.MaxJumpSeconds + 1));
        Assert.Equal(-32602, tooFar.Code);

        // What L1 cannot carry is refused, saying why and what to do.
        foreach (var (method, args) in new (string, object[])[]
                 {
                     ("anvil_setBalance", [from, "0x1"]), ("anvil_setCode", [from, "0x00"]), ("anvil_setStorageAt", [stamp, "0x0", "0x1"]),
                     ("anvil_setNonce", [from, "0x1"]), ("evm_snapshot", []), ("evm_revert", ["0x0"]), ("anvil_impersonateAccount", [from]),
                 })
        {
            var (code, message) = Error(await CallAsync(l2, method, args));
            Assert.Equal(-32601, code);
            Assert.StartsWith($"{method} is not available on a rollup devnet: a replica deriving the chain from L1 could not reproduce it", message);
            Assert.Contains("openledger devnet --no-rollup", message);
        }

        // The batcher posts everything (an hour of empty blocks compresses to little); the sequencer's own derivation
        // confirms its blocks, and a replica with only L1 and rollup.json derives the same chain.
        var client = new Nethereum.JsonRpc.Client.RpcClient(new Uri(l1));
        var batcher = new BatcherService(_rollup, new RpcL1Source(client, _rollup.L1SystemConfigAddress), RpcL2BlockSource.Create(l2),
            new L1TxSender(client, BatcherKey, 31337, NullLogger.Instance), new BatcherOptions(), NullLogger.Instance);
        var channels = new HashSet<string>();
        batcher.FrameMined += (id, _, _, _) => channels.Add(id);
        sw.Restart();
        ulong posted = sequencer.Chain.Head.Number;
        while (batcher.SafeHead is null || batcher.SafeHead.Number < posted)
            if (!await batcher.PostNextChannelAsync(CancellationToken.None)) await Task.Delay(200);
        log.WriteLine($"batcher posted {posted} blocks in {channels.Count} channel(s), {sw.Elapsed.TotalSeconds:0.0} s");
        Assert.True(channels.Count <= 2, $"an hour of empty blocks fits one span-batch channel (and a second for the blocks sealed meanwhile), not {channels.Count}");
        sw.Restart();
        await using var replica = await NodeHost.StartAsync(Config(NodeRole.Replica, sequencerRpc: l2), NullLoggerFactory.Instance);
        await WaitForAsync(() => replica.Chain.Head.Number >= posted, "the replica deriving the posted blocks", 240);
        log.WriteLine($"replica derived {replica.Chain.Head.Number} blocks in {sw.Elapsed.TotalSeconds:0.0} s");
        for (ulong n = 0; n <= posted; n++)
            Assert.Equal(sequencer.Chain.Store.GetCanonicalHash(n), replica.Chain.Store.GetCanonicalHash(n));
        await WaitForAsync(() => sequencer.Chain.Safe.Number >= posted, "the sequencer's safe head", 120);
        Assert.Equal(0, sequencer.Derivation!.Engine.Reorgs);

        // On the replica the dev methods point at the sequencer.
        var onReplica = Error(await CallAsync(replica.RpcUrl, "evm_increaseTime", 1));
        Assert.Equal((-32601, "evm_increaseTime is not available on a replica: it derives every block from L1; send dev methods to the sequencer's RPC"), onReplica);
    }
}
