using System.Diagnostics;
using System.Net.Sockets;
using System.Text;
using OpenLedger.Node.Devnet;
using Xunit.Abstractions;

namespace OpenLedger.Node.Tests;

/// <summary>
/// Issue 21: `openledger devnet --datadir D` killed with -9 leaves no anvil behind, and a restart on D resumes with
/// the contracts it deployed (same addresses, code still there) instead of deploying new ones. (Serving and the prover
/// are left off here; DevnetEndToEndTests restarts the devnet with them after kill -9.)
/// </summary>
[Collection(DevnetCollection.Name)]
public sealed class DevnetRestartTests(ITestOutputHelper log) : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "ol-devnet-" + Guid.NewGuid().ToString("N"));
    private readonly string _root = ToolLocator.FindRepoRoot() ?? throw new InvalidOperationException("repository root not found");
    private readonly Dictionary<string, byte[]?> _saved = new();

    private string[] DeploymentFiles => [Path.Combine(_root, "deployments", "31337-l1.json"), Path.Combine(_root, "deployments", "1330660686-l2.json")];

    public void Dispose()
    {
        // The devnet writes the repository's deployments files: put back what a developer had there.
        foreach (var (file, content) in _saved)
        {
            if (content is null) { if (File.Exists(file)) File.Delete(file); }
            else File.WriteAllBytes(file, content);
        }
        try { Directory.Delete(_dir, recursive: true); } catch (IOException) { }
    }

    private sealed class Devnet(Process process, StringBuilder output)
    {
        public Process Process { get; } = process;
        public string Output { get { lock (output) return output.ToString(); } }
    }

    private async Task<Devnet> StartAsync(int l1, int l2)
    {
        var psi = new ProcessStartInfo("dotnet") { WorkingDirectory = _root, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in new[] { Path.Combine(AppContext.BaseDirectory, "openledger.dll"), "devnet", "--datadir", _dir, "--l1-port", l1.ToString(), "--l2-port", l2.ToString(), "--block-time-ms", "0", "--replica-port", "0", "--api-port", "0", "--no-serve" })
            psi.ArgumentList.Add(a);
        psi.Environment["OPENLEDGER_LOG_LEVEL"] = "Warning";
        var p = Process.Start(psi)!;
        var output = new StringBuilder();
        var ready = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        p.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null) return;
            lock (output) output.AppendLine(e.Data);
            if (e.Data.StartsWith("Press Ctrl-C", StringComparison.Ordinal)) ready.TrySetResult();
        };
        p.ErrorDataReceived += (_, e) => { if (e.Data != null) lock (output) output.AppendLine(e.Data); };
        p.EnableRaisingEvents = true;
        p.Exited += (_, _) => ready.TrySetException(new InvalidOperationException("devnet exited"));
        p.BeginOutputReadLine();
        p.BeginErrorReadLine();
        var devnet = new Devnet(p, output);
        try
        {
            await ready.Task.WaitAsync(TimeSpan.FromMinutes(8));
        }
        catch (Exception)
        {
            log.WriteLine(devnet.Output);
            try { p.Kill(entireProcessTree: true); } catch (InvalidOperationException) { }
            throw;
        }
        return devnet;
    }

    private static Dictionary<string, string> Addresses(string output, string layer)
    {
        var lines = output.Split('\n').Select(l => l.TrimEnd('\r')).ToList();
        int at = lines.FindIndex(l => l.StartsWith($"{layer} contracts deployed", StringComparison.Ordinal) || l.StartsWith($"{layer} contracts resumed", StringComparison.Ordinal));
        Assert.True(at >= 0, output);
        return lines.Skip(at + 1).TakeWhile(l => l.StartsWith("  ", StringComparison.Ordinal))
            .Select(l => l.Trim().Split(' ', StringSplitOptions.RemoveEmptyEntries)).ToDictionary(p => p[0], p => p[1]);
    }

    private static async Task<string> CastAsync(params string[] args)
    {
        var (code, output) = await L2.L2NodeFixture.RunToolAsync(ToolLocator.Find("cast"), args, TimeSpan.FromMinutes(1));
        Assert.True(code == 0, $"cast {string.Join(' ', args)} failed: {output}");
        return output.Trim();
    }

    private static bool PortFree(int port)
    {
        try
        {
            using var l = new TcpListener(System.Net.IPAddress.Loopback, port);
            l.Start();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    [Fact]
    public async Task KillDashNine_ThenRestart_ResumesWithTheSameContracts_AndLeavesNoAnvil()
    {
        foreach (var f in DeploymentFiles) _saved[f] = File.Exists(f) ? File.ReadAllBytes(f) : null;
        int l1 = AnvilProcess.FreePort(), l2 = AnvilProcess.FreePort();

        var first = await StartAsync(l1, l2);
        var l1First = Addresses(first.Output, "L1");
        var l2First = Addresses(first.Output, "L2");
        Assert.Contains("DatanetRegistry", l2First.Keys);
        first.Process.Kill(entireProcessTree: false); // SIGKILL to the devnet only: its anvil must go by itself
        first.Process.WaitForExit();
        for (int i = 0; i < 100 && !PortFree(l1); i++) await Task.Delay(100);
        Assert.True(PortFree(l1), "anvil still holds the L1 port after the devnet was killed");

        var second = await StartAsync(l1, l2);
        try
        {
            log.WriteLine(second.Output);
            Assert.Contains("L2 contracts resumed", second.Output);
            Assert.DoesNotContain("L2 contracts: deploying with forge", second.Output);
            Assert.Equal(l2First, Addresses(second.Output, "L2"));
            Assert.Contains("L1 contracts resumed", second.Output);
            Assert.DoesNotContain("L1 contracts: deploying with forge", second.Output);
            Assert.Equal(l1First, Addresses(second.Output, "L1"));
            Assert.Equal(l1First, ContractDeployer.ReadAddresses(DeploymentFiles[0]));
            Assert.Equal(l2First, ContractDeployer.ReadAddresses(DeploymentFiles[1]));

            // Both chains go on from the resumed state: the L1 token still answers, and an L2 transfer is mined.
            var supply = await CastAsync("call", l1First["OpenToken"], "totalSupply()(uint256)", "--rpc-url", $"http://127.0.0.1:{l1}");
            Assert.StartsWith("1000000000000000000000000000", supply);
            var receipt = await CastAsync("send", "--private-key", "0x2a871d0798f97d79848a013d4936a73bf4cc922c825d33c1cf7073dff6d409c6",
                "--rpc-url", $"http://127.0.0.1:{l2}", "0x000000000000000000000000000000000000dEaD", "--value", "1", "--json");
            Assert.Contains("\"status\":\"0x1\"", receipt);
        }
        finally
        {
            second.Process.Kill(entireProcessTree: true);
            second.Process.WaitForExit();
        }
    }

    [Fact]
    public async Task StaleAnvilFromAnEarlierRun_IsStopped()
    {
        int port = AnvilProcess.FreePort();
        // An anvil started without the watchdog, as an older devnet left it, with its pid file.
        var psi = new ProcessStartInfo(ToolLocator.Find("anvil")) { UseShellExecute = false, RedirectStandardOutput = true };
        foreach (var a in new[] { "--host", "127.0.0.1", "--port", port.ToString(), "--silent" }) psi.ArgumentList.Add(a);
        using var stale = Process.Start(psi)!;
        try
        {
            File.WriteAllText(AnvilProcess.PidFile(port), stale.Id.ToString());
            for (int i = 0; i < 100 && PortFree(port); i++) await Task.Delay(100);
            await using var anvil = await AnvilProcess.StartAsync(ToolLocator.Find("anvil"), port);
            Assert.True(stale.WaitForExit(10_000));
        }
        finally
        {
            if (!stale.HasExited) stale.Kill();
        }
    }
}
