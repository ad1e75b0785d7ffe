using System.Diagnostics;
using Nethereum.JsonRpc.Client;
using Newtonsoft.Json.Linq;
using OpenLedger.Tests.Shared;

namespace OpenLedger.Rollup.Tests.Support;

/// <summary>A real anvil (the pinned Foundry binary) on a free loopback port, killed on dispose.</summary>
public sealed class Anvil : IAsyncDisposable
{
    private readonly Process _process;
    private int _id;
    public string Url { get; }
    public RpcClient Client { get; }

    /// <summary>anvil's third dev account: the batcher in these tests.</summary>
    public static readonly byte[] BatcherKey = Hex.Decode("0x5de4111afa1a4b94908f83103eb1f1706367c2e68ca870fc3fb9a804cdab365a");

    private Anvil(Process p, string url)
    {
        _process = p;
        Url = url;
        Client = new RpcClient(new Uri(url));
    }

    public static async Task<Anvil> StartAsync(string extraArgs = "")
    {
        int port = TestPaths.FreePort();
        var psi = new ProcessStartInfo(TestPaths.FoundryTool("anvil"), $"--host 127.0.0.1 --port {port} --silent {extraArgs}")
        {
            RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        };
        var p = Process.Start(psi) ?? throw new InvalidOperationException("anvil did not start");
        var a = new Anvil(p, $"http://127.0.0.1:{port}");
        for (int i = 0; ; i++)
        {
            try
            {
                await a.CallAsync("eth_chainId");
                return a;
            }
            catch (Exception) when (i < 300 && !p.HasExited)
            {
                await Task.Delay(100);
            }
        }
    }

    public Task<JToken?> CallAsync(string method, params object[] args) =>
        Client.SendRequestAsync<JToken?>(new RpcRequest(Interlocked.Increment(ref _id), method, args));

    public async ValueTask DisposeAsync()
    {
        try { _process.Kill(entireProcessTree: true); } catch (InvalidOperationException) { }
        await _process.WaitForExitAsync();
        _process.Dispose();
    }
}
