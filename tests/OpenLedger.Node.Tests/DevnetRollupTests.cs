using System.Diagnostics;
using System.Text;
using System.Text.Json;
using OpenLedger.Node.Devnet;
using OpenLedger.Primitives;
using OpenLedger.Primitives.Abi;
using Xunit.Abstractions;

namespace OpenLedger.Node.Tests;

/// <summary>
/// Issue 14/15: `openledger devnet` runs the batcher and a replica beside its sequencer, so safe and finalized move
/// past genesis on both nodes, the replica (every block derived from L1 alone) has the sequencer's block hashes, and
/// the proposer posts outputs of safe blocks that the replica computes identically.
/// </summary>
[Collection(DevnetCollection.Name)]
public sealed class DevnetRollupTests(ITestOutputHelper log) : IDisposable
{
    private readonly string _root = ToolLocator.FindRepoRoot() ?? throw new InvalidOperationException("repository root not found");
    private readonly Dictionary<string, byte[]?> _saved = new();
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(30) };

    public void Dispose()
    {
        foreach (var (file, content) in _saved)
        {
            if (content is null) { if (File.Exists(file)) File.Delete(file); }
            else File.WriteAllBytes(file, content);
        }
    }

    [Fact]
    public async Task Devnet_MovesSafeAndFinalized_OnSequencerAndReplica_AndProposesSafeOutputs()
    {
        foreach (var name in new[] { "31337-l1.json", "1330660686-l2.json", "1330660686-rollup.json", "1330660686-devnet.json" })
        {
            var f = Path.Combine(_root, "deployments", name);
            _saved[f] = File.Exists(f) ? File.ReadAllBytes(f) : null;
        }
        int l1 = AnvilProcess.FreePort(), l2 = AnvilProcess.FreePort(), api = AnvilProcess.FreePort(), replicaPort = AnvilProcess.FreePort();
        await using var devnet = await DevnetProcess.StartAsync(_root, log, "--l1-port", l1.ToString(), "--l2-port", l2.ToString(),
            "--api-port", api.ToString(), "--replica-port", replicaPort.ToString(), "--block-time-ms", "1000", "--no-serve");
        string sequencer = $"http://127.0.0.1:{l2}", replica = $"http://127.0.0.1:{replicaPort}", anvil = $"http://127.0.0.1:{l1}";
        Assert.Contains($"Replica (every block derived from L1 alone; transactions forwarded to the sequencer): {replica}", devnet.Output);
        Assert.Contains("from the sequencer's safe head", devnet.Output);
        var endpoints = JsonDocument.Parse(File.ReadAllText(Path.Combine(_root, "deployments", "1330660686-devnet.json"))).RootElement;
        Assert.Equal(replica, endpoints.GetProperty("replicaRpc").GetString());

        // Governance owns the L2: the registry and the fee vaults belong to the L1 timelock's aliased address.
        var l1Deployment = JsonDocument.Parse(File.ReadAllText(Path.Combine(_root, "deployments", "31337-l1.json"))).RootElement;
        var governance = Chain.Rollup.AddressAlias.ApplyL1ToL2(Address.Parse(l1Deployment.GetProperty("TimelockController").GetString()!));
        var registry = JsonDocument.Parse(File.ReadAllText(Path.Combine(_root, "deployments", "1330660686-l2.json"))).RootElement.GetProperty("DatanetRegistry").GetString()!;
        var owner = AbiFunction.FromSignature("owner()", "(address)");
        Assert.Equal(governance, (Address)owner.DecodeOutput(await CallAsync(sequencer, registry, owner.EncodeCall()))[0]!);
        var recipient = AbiFunction.FromSignature("recipient()", "(address)");
        Assert.Equal(governance, (Address)recipient.DecodeOutput(await CallAsync(sequencer, Chain.Rollup.Predeploys.SequencerFeeVault.ToString(), recipient.EncodeCall()))[0]!);

        // safe and finalized leave genesis on both nodes (the batcher posts, both derive, anvil finalizes L1).
        ulong finalized = 0;
        await WaitAsync(async () =>
        {
            finalized = Math.Min(await NumberAsync(sequencer, "finalized"), await NumberAsync(replica, "finalized"));
            return finalized > 0;
        }, TimeSpan.FromMinutes(4), "finalized to move past genesis on the sequencer and the replica", devnet);
        ulong safe = Math.Min(await NumberAsync(sequencer, "safe"), await NumberAsync(replica, "safe"));
        Assert.True(safe >= finalized);
        for (ulong n = 0; n <= safe; n++)
            Assert.Equal(await HashAsync(sequencer, n), await HashAsync(replica, n));
        await WaitAsync(() => Task.FromResult(devnet.Output.Contains("heads: unsafe #", StringComparison.Ordinal)), TimeSpan.FromSeconds(30), "a heads line", devnet);

        // The proposer's first output is of a block at or below safe, and the replica computes the same root.
        var oracle = l1Deployment.GetProperty("L2OutputOracle").GetString()!;
        var next = AbiFunction.FromSignature("nextOutputIndex()", "(uint256)");
        await WaitAsync(async () => !((UInt256)next.DecodeOutput(await CallAsync(anvil, oracle, next.EncodeCall()))[0]!).IsZero,
            TimeSpan.FromMinutes(2), "the proposer's first output", devnet);
        var get = AbiFunction.FromSignature("getL2Output(uint256)", "(bytes32,uint128,uint128)");
        var output = get.DecodeOutput(await CallAsync(anvil, oracle, get.EncodeCall(UInt256.Zero)));
        ulong block = (ulong)(UInt256)output[2]!;
        Assert.True(block > 0 && block <= await NumberAsync(sequencer, "safe"), $"output at block {block} is not safe");
        using var root = await RpcAsync(replica, "optimism_outputAtBlock", "0x" + block.ToString("x"));
        Assert.Equal(Hex.Encode((byte[])output[0]!), root.RootElement.GetProperty("result").GetProperty("outputRoot").GetString());
        log.WriteLine(devnet.Output);
    }

    private static async Task WaitAsync(Func<Task<bool>> done, TimeSpan timeout, string what, DevnetProcess devnet)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!await done())
        {
            Assert.True(DateTime.UtcNow < deadline, $"timed out waiting for {what}:\n{devnet.Output}");
            await Task.Delay(500);
        }
    }

    private static async Task<JsonDocument> RpcAsync(string url, string method, params object[] args)
    {
        var body = JsonSerializer.Serialize(new { jsonrpc = "2.0", id = 1, method, @params = args });
        var resp = await Http.PostAsync(url, new StringContent(body, Encoding.UTF8, "application/json"));
        var doc = JsonDocument.Parse(await resp.Content.ReadAsStringAsync());
        Assert.False(doc.RootElement.TryGetProperty("error", out var err), $"{method} on {url}: {err}");
        return doc;
    }

    private static async Task<ulong> NumberAsync(string url, string tag)
    {
        using var doc = await RpcAsync(url, "eth_getBlockByNumber", tag, false);
        return Convert.ToUInt64(doc.RootElement.GetProperty("result").GetProperty("number").GetString(), 16);
    }

    private static async Task<string> HashAsync(string url, ulong n)
    {
        using var doc = await RpcAsync(url, "eth_getBlockByNumber", "0x" + n.ToString("x"), false);
        return doc.RootElement.GetProperty("result").GetProperty("hash").GetString()!;
    }

    private static async Task<byte[]> CallAsync(string url, string to, byte[] data)
    {
        using var doc = await RpcAsync(url, "eth_call", new Dictionary<string, string> { ["to"] = to, ["data"] = Hex.Encode(data) }, "latest");
        return Hex.Decode(doc.RootElement.GetProperty("result").GetString()!);
    }
}

/// <summary>The tests that run `openledger devnet` write the same deployments files (chain ids 31337 and 1330660686): one at a time.</summary>
[CollectionDefinition(Name)]
public sealed class DevnetCollection
{
    public const string Name = "devnet process";
}

/// <summary>`openledger devnet` as a child process (the built openledger.dll), ready once it prints "Press Ctrl-C".</summary>
public sealed class DevnetProcess : IAsyncDisposable
{
    private readonly StringBuilder _output = new();
    public Process Process { get; private init; } = null!;
    public string Output { get { lock (_output) return _output.ToString(); } }

    public static async Task<DevnetProcess> StartAsync(string root, ITestOutputHelper log, params string[] args)
    {
        var psi = new ProcessStartInfo("dotnet") { WorkingDirectory = root, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in new[] { Path.Combine(AppContext.BaseDirectory, "openledger.dll"), "devnet" }.Concat(args)) psi.ArgumentList.Add(a);
        psi.Environment["OPENLEDGER_LOG_LEVEL"] = "Warning";
        var devnet = new DevnetProcess { Process = Process.Start(psi)! };
        var ready = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        devnet.Process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null) return;
            lock (devnet._output) devnet._output.AppendLine(e.Data);
            if (e.Data.StartsWith("Press Ctrl-C", StringComparison.Ordinal)) ready.TrySetResult();
        };
        devnet.Process.ErrorDataReceived += (_, e) => { if (e.Data != null) lock (devnet._output) devnet._output.AppendLine(e.Data); };
        devnet.Process.EnableRaisingEvents = true;
        devnet.Process.Exited += (_, _) => ready.TrySetException(new InvalidOperationException("devnet exited"));
        devnet.Process.BeginOutputReadLine();
        devnet.Process.BeginErrorReadLine();
        try
        {
            await ready.Task.WaitAsync(TimeSpan.FromMinutes(8));
        }
        catch (Exception)
        {
            log.WriteLine(devnet.Output);
            await devnet.DisposeAsync();
            throw;
        }
        return devnet;
    }

    public async ValueTask DisposeAsync()
    {
        try { Process.Kill(entireProcessTree: true); } catch (InvalidOperationException) { }
        await Process.WaitForExitAsync();
        Process.Dispose();
    }
}
