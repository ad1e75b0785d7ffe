using System.Diagnostics;
using OpenLedger.Primitives;
using OpenLedger.Tests.Shared;
using OpenLedger.Web3.Eth;
using OpenLedger.Web3.Rpc;

namespace OpenLedger.Web3.Tests;

/// <summary>A real anvil on 127.0.0.1 on a free port, killed on dispose. Subclasses choose anvil's flags.</summary>
public class AnvilFixture : IAsyncLifetime
{
    /// <summary>anvil's default dev account 0.</summary>
    public static readonly byte[] DevKey0 = Hex.Decode("0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80");
    public static readonly Address DevAddress0 = Address.Parse("0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266");
    /// <summary>anvil's default dev account 1.</summary>
    public static readonly byte[] DevKey1 = Hex.Decode("0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d");
    public static readonly Address DevAddress1 = Address.Parse("0x70997970C51812dc3A010C7d01b50e0d17dc79C8");
    public const ulong ChainId = 31337;

    private Process? _process;
    public string Url { get; private set; } = "";
    public int Port { get; private set; }
    public EthClient Eth { get; private set; } = null!;

    protected virtual string ExtraArgs => "";

    public virtual async Task InitializeAsync()
    {
        Port = TestPaths.FreePort();
        Url = $"http://127.0.0.1:{Port}";
        var psi = new ProcessStartInfo(TestPaths.FoundryTool("anvil"), $"--host 127.0.0.1 --port {Port} --silent {ExtraArgs}")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        _process = Process.Start(psi) ?? throw new InvalidOperationException("anvil did not start");
        _process.OutputDataReceived += (_, _) => { };
        _process.ErrorDataReceived += (_, _) => { };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        Eth = new EthClient(Url, new JsonRpcClientOptions { Timeout = TimeSpan.FromSeconds(20), MaxRetries = 0 });
        using var probe = new EthClient(Url, new JsonRpcClientOptions { Timeout = TimeSpan.FromSeconds(2), MaxRetries = 0 });
        for (var i = 0; ; i++)
        {
            try
            {
                await probe.ChainIdAsync();
                return;
            }
            catch (RpcTransportException) when (i < 300 && !_process.HasExited)
            {
                await Task.Delay(100);
            }
        }
    }

    public Task DisposeAsync()
    {
        Eth?.Dispose();
        if (_process is { HasExited: false })
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit(5000);
        }
        _process?.Dispose();
        return Task.CompletedTask;
    }
}

/// <summary>anvil that mines only on evm_mine, for replacement and pending-nonce tests.</summary>
public sealed class ManualMiningAnvilFixture : AnvilFixture
{
    protected override string ExtraArgs => "--no-mining";
}
