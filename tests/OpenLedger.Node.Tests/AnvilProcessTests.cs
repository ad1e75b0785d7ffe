using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using OpenLedger.Node.Devnet;

namespace OpenLedger.Node.Tests;

public class AnvilProcessTests
{
    [Fact]
    public async Task StartsAnvilOnLoopback_AnswersChainId_AndStopsOnDispose()
    {
        int port = AnvilProcess.FreePort();
        int pid;
        await using (var anvil = await AnvilProcess.StartAsync(ToolLocator.Find("anvil"), port, ["--chain-id", "31337"]))
        {
            Assert.Equal($"http://127.0.0.1:{port}", anvil.RpcUrl);
            using var http = new HttpClient();
            var resp = await http.PostAsJsonAsync(anvil.RpcUrl, new { jsonrpc = "2.0", id = 1, method = "eth_chainId", @params = Array.Empty<object>() });
            using var doc = JsonDocument.Parse(await resp.Content.ReadAsStringAsync());
            Assert.Equal("0x7a69", doc.RootElement.GetProperty("result").GetString());
            pid = FindListeningAnvil(port);
        }
        Assert.True(pid <= 0 || !ProcessAlive(pid), "anvil still running after dispose");
    }

    [Fact]
    public async Task RefusesAPortInUse()
    {
        using var l = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        l.Start();
        int port = ((System.Net.IPEndPoint)l.LocalEndpoint).Port;
        var e = await Assert.ThrowsAsync<InvalidOperationException>(() => AnvilProcess.StartAsync(ToolLocator.Find("anvil"), port));
        Assert.Contains("in use", e.Message);
    }

    private static int FindListeningAnvil(int port)
    {
        foreach (var p in Process.GetProcessesByName("anvil"))
        {
            try
            {
                var cmd = File.ReadAllText($"/proc/{p.Id}/cmdline").Replace('\0', ' ');
                if (cmd.Contains($"--port {port}")) return p.Id;
            }
            catch (IOException) { }
        }
        return -1;
    }

    private static bool ProcessAlive(int pid)
    {
        try
        {
            using var p = Process.GetProcessById(pid);
            return !p.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }
}
