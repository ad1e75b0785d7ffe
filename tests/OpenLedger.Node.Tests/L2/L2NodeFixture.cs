using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using OpenLedger.Node.Hosting;
using OpenLedger.Primitives;
using OpenLedger.Primitives.Crypto;
using OpenLedger.Primitives.Wallet;
using OpenLedger.Primitives.Transactions;
using OpenLedger.Tests.Shared;

namespace OpenLedger.Node.Tests.L2;

[CollectionDefinition(Name)]
public sealed class L2Collection : ICollectionFixture<L2NodeFixture>
{
    public const string Name = "L2 node";
}

/// <summary>
/// One in-process node for the client tests: in-memory store, port 0, instant sealing, devnet genesis.
/// Each test class signs with its own dev account so nonces never collide. The contracts under
/// tests/js/contracts are compiled once by forge into a temporary folder.
/// </summary>
public sealed class L2NodeFixture : IAsyncLifetime
{
    private readonly SemaphoreSlim _buildLock = new(1, 1);
    private string? _artifacts;

    public NodeHost Node { get; private set; } = null!;
    private const int ExtraAccountCount = 3;
    public IReadOnlyList<(Address Address, byte[] Key)> Accounts { get; private set; } = [];
    public ulong ChainId => Node.Chain.Config.ChainId;
    public string WorkDir { get; } = Path.Combine(Path.GetTempPath(), "ol-l2-" + Guid.NewGuid().ToString("N"));
    public HttpClient Http { get; } = new() { Timeout = TimeSpan.FromSeconds(60) };

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(WorkDir);
        var (genesis, accounts) = DevnetGenesis.Create((ulong)DateTimeOffset.UtcNow.ToUnixTimeSeconds());
        // Three more funded accounts beyond the devnet's ten: the classes sharing this node each send from their own
        // accounts, so no class sees another's nonces or balances.
        var extra = DevAccounts.PrivateKeys(ExtraAccountCount + accounts.Count).Skip(accounts.Count)
            .Select(k => (Secp256k1.AddressFromPrivateKey(k), k)).ToArray();
        genesis = genesis with
        {
            Alloc = genesis.Alloc.Concat(extra.Select(a => KeyValuePair.Create(a.Item1,
                new OpenLedger.Chain.Genesis.GenesisAccount(DevnetGenesis.Prefund, 0, [], new Dictionary<UInt256, UInt256>())))).ToDictionary(),
        };
        Accounts = [.. accounts, .. extra];
        var config = new NodeConfig
        {
            Genesis = genesis,
            Coinbase = Address.Parse("0x000000000000000000000000000000000000c0b1"),
            RpcPort = 0,
            BlockTime = null,
            EthRpc = new OpenLedger.Rpc.Eth.EthRpcOptions { ExtraApis = new HashSet<string> { "txpool", "debug" } },
        };
        Node = await NodeHost.StartAsync(config, NullLoggerFactory.Instance);
    }

    public async Task DisposeAsync()
    {
        Http.Dispose();
        await Node.DisposeAsync();
        try { Directory.Delete(WorkDir, recursive: true); } catch (IOException) { }
    }

    public static string Hex0x(ReadOnlySpan<byte> b) => "0x" + Convert.ToHexStringLower(b);

    /// <summary>`forge build tests/js/contracts` into a temporary out folder (once); returns that folder.</summary>
    public async Task<string> ArtifactsAsync()
    {
        await _buildLock.WaitAsync();
        try
        {
            if (_artifacts != null) return _artifacts;
            var outDir = Path.Combine(WorkDir, "out");
            var (code, output) = await RunToolAsync(TestPaths.FoundryTool("forge"),
                ["build", "tests/js/contracts", "--out", outDir, "--cache-path", Path.Combine(WorkDir, "cache")], TimeSpan.FromMinutes(4));
            Assert.True(code == 0, "forge build tests/js/contracts failed:\n" + output);
            return _artifacts = outDir;
        }
        finally
        {
            _buildLock.Release();
        }
    }

    public string ForgeCachePath => Path.Combine(WorkDir, "cache");

    /// <summary>Runs a tool in the repository root; returns its exit code and combined output. Kills it on timeout.</summary>
    public static async Task<(int Code, string Output)> RunToolAsync(string file, IEnumerable<string> args, TimeSpan timeout, IDictionary<string, string>? env = null)
    {
        var psi = new ProcessStartInfo(file)
        {
            WorkingDirectory = TestPaths.RepoRoot,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in args) psi.ArgumentList.Add(a);
        if (env != null) foreach (var (k, v) in env) psi.Environment[k] = v;
        using var p = Process.Start(psi) ?? throw new InvalidOperationException($"could not start {file}");
        var output = new StringBuilder();
        var lockObj = new object();
        p.OutputDataReceived += (_, e) => { if (e.Data != null) lock (lockObj) output.AppendLine(e.Data); };
        p.ErrorDataReceived += (_, e) => { if (e.Data != null) lock (lockObj) output.AppendLine(e.Data); };
        p.BeginOutputReadLine();
        p.BeginErrorReadLine();
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await p.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            p.Kill(entireProcessTree: true);
            await p.WaitForExitAsync();
            lock (lockObj) return (-1, $"{Path.GetFileName(file)} timed out after {timeout.TotalSeconds} s\n{output}");
        }
        p.WaitForExit(); // flush the async readers
        lock (lockObj) return (p.ExitCode, output.ToString());
    }

    /// <summary>Posts a raw body; returns the HTTP status and the parsed JSON (or null when the body is not JSON).</summary>
    public async Task<(int Status, JsonElement? Json, string Body)> PostRawAsync(string body, string? url = null)
    {
        using var content = new StringContent(body, Encoding.UTF8);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        using var resp = await Http.PostAsync(url ?? Node.RpcUrl, content);
        var text = await resp.Content.ReadAsStringAsync();
        JsonElement? json = null;
        try { json = JsonDocument.Parse(text).RootElement.Clone(); } catch (JsonException) { }
        return ((int)resp.StatusCode, json, text);
    }

    /// <summary>One JSON-RPC call; returns the whole response object (result or error).</summary>
    public async Task<JsonElement> CallAsync(string method, params object?[] args)
    {
        var body = JsonSerializer.Serialize(new { jsonrpc = "2.0", id = 1, method, @params = args });
        var (status, json, text) = await PostRawAsync(body);
        Assert.True(status == 200 && json is not null, $"{method}: HTTP {status}: {text}");
        return json!.Value;
    }

    /// <summary>The call's result; fails the test with the node's error if there is one.</summary>
    public async Task<JsonElement> ResultAsync(string method, params object?[] args)
    {
        var r = await CallAsync(method, args);
        Assert.False(r.TryGetProperty("error", out var err), $"{method} returned an error: {err}");
        return r.GetProperty("result");
    }

    public static ulong Q(JsonElement e) => ulong.Parse(e.GetString()!.AsSpan(2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture);

    /// <summary>A signed EIP-1559 transaction of this chain.</summary>
    public Transaction Sign(byte[] key, ulong nonce, Address? to, UInt256 value, byte[]? data = null, ulong gas = 21_000, UInt256? maxFee = null, UInt256? tip = null)
    {
        var tx = new Transaction
        {
            Type = TxType.DynamicFee,
            ChainId = ChainId,
            Nonce = nonce,
            MaxPriorityFeePerGas = tip ?? new UInt256(1_000_000_000),
            MaxFeePerGas = maxFee ?? new UInt256(100_000_000_000),
            GasLimit = gas,
            To = to,
            Value = value,
            Data = data ?? [],
        };
        tx.Sign(key);
        return tx;
    }

    /// <summary>Polls eth_getTransactionReceipt until it is there (instant sealing: a few ms).</summary>
    public async Task<JsonElement> WaitReceiptAsync(string hash, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(20));
        while (true)
        {
            var r = await ResultAsync("eth_getTransactionReceipt", hash);
            if (r.ValueKind == JsonValueKind.Object) return r;
            Assert.True(DateTime.UtcNow < deadline, $"no receipt for {hash}");
            await Task.Delay(20);
        }
    }
}
