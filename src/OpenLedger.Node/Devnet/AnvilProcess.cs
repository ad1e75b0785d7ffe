using System.Diagnostics;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json;

namespace OpenLedger.Node.Devnet;

/// <summary>
/// An anvil child process bound to 127.0.0.1, stopped (with its process tree) on dispose. anvil runs under a small
/// shell watchdog that reads our end of a pipe: when this process dies, even by kill -9, the pipe closes and the
/// watchdog stops anvil, so a crashed devnet never leaves its L1 holding the port. anvil's pid is kept in a pid file
/// per port; an anvil a crash left behind anyway (from before the watchdog, or a killed watchdog) is recognized and stopped.
/// </summary>
public sealed class AnvilProcess : IAsyncDisposable
{
    private readonly Process _process; // the watchdog shell
    private Process? _anvil;

    public string RpcUrl { get; }

    /// <summary>CPU time anvil has used so far (user + system).</summary>
    public TimeSpan CpuTime
    {
        get
        {
            var p = _anvil ?? _process;
            p.Refresh();
            return p.TotalProcessorTime;
        }
    }
    public int Port { get; }

    private AnvilProcess(Process process, int port)
    {
        _process = process;
        Port = port;
        RpcUrl = $"http://127.0.0.1:{port}";
    }

    /// <summary>Starts anvil and waits until it answers eth_chainId.</summary>
    public static async Task<AnvilProcess> StartAsync(string anvilPath, int port, IEnumerable<string>? extraArgs = null, CancellationToken ct = default)
    {
        var pidFile = PidFile(port);
        if (!IsPortFree(port))
        {
            if (!await StopStaleAsync(pidFile, port))
                throw new InvalidOperationException($"port {port} on 127.0.0.1 is already in use (not by an anvil this tool started)");
        }

        var psi = new ProcessStartInfo("/bin/sh")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        // $0 = anvil, $@ = its arguments; the watchdog ends anvil when stdin (our pipe) reaches EOF.
        psi.ArgumentList.Add("-c");
        // The shell exits with anvil's code when anvil exits on its own.
        // (A background job's stdin is /dev/null in sh, so the pipe is handed to the watcher as fd 3.)
        psi.ArgumentList.Add("exec 3<&0; \"$0\" \"$@\" </dev/null 3<&- & child=$!; echo $child > \"$OPENLEDGER_ANVIL_PIDFILE\"; (read _ <&3; kill $child 2>/dev/null) & watcher=$!; exec 3<&-; wait $child; code=$?; kill $watcher 2>/dev/null; exit $code");
        psi.ArgumentList.Add(anvilPath);
        psi.Environment["OPENLEDGER_ANVIL_PIDFILE"] = pidFile;
        foreach (var a in new[] { "--host", "127.0.0.1", "--port", port.ToString(), "--silent" }) psi.ArgumentList.Add(a);
        foreach (var a in extraArgs ?? []) psi.ArgumentList.Add(a);

        var process = Process.Start(psi) ?? throw new InvalidOperationException($"could not start {anvilPath}");
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        var anvil = new AnvilProcess(process, port);
        try
        {
            await anvil.WaitReadyAsync(TimeSpan.FromSeconds(30), ct);
            if (int.TryParse(File.ReadAllText(pidFile).Trim(), out int anvilPid)) anvil._anvil = Process.GetProcessById(anvilPid);
        }
        catch
        {
            await anvil.DisposeAsync();
            throw;
        }
        return anvil;
    }

    public static int FreePort()
    {
        using var l = new TcpListener(System.Net.IPAddress.Loopback, 0);
        l.Start();
        return ((System.Net.IPEndPoint)l.LocalEndpoint).Port;
    }

    /// <summary>Where the anvil on <paramref name="port"/> records its pid.</summary>
    public static string PidFile(int port) => Path.Combine(Path.GetTempPath(), $"openledger-anvil-{port}.pid");

    /// <summary>Stops an anvil a previous run left on the port (its pid file names a live anvil); false when the port is someone else's.</summary>
    private static async Task<bool> StopStaleAsync(string pidFile, int port)
    {
        if (!File.Exists(pidFile) || !int.TryParse(File.ReadAllText(pidFile).Trim(), out int pid)) return false;
        string cmdline;
        try
        {
            cmdline = File.ReadAllText($"/proc/{pid}/cmdline");
        }
        catch (IOException)
        {
            return false; // no such process
        }
        catch (UnauthorizedAccessException)
        {
            return false;
        }
        if (!cmdline.Contains("anvil", StringComparison.Ordinal) || !cmdline.Contains(port.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal))
            return false;
        Console.Error.WriteLine($"note: stopping anvil (pid {pid}) left on port {port} by an earlier run");
        try
        {
            using var stale = Process.GetProcessById(pid);
            stale.Kill();
            await stale.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(10));
        }
        catch (ArgumentException) { }
        catch (InvalidOperationException) { }
        catch (TimeoutException) { return false; }
        for (int i = 0; i < 50 && !IsPortFree(port); i++) await Task.Delay(100);
        return IsPortFree(port);
    }

    private static bool IsPortFree(int port)
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

    private async Task WaitReadyAsync(TimeSpan timeout, CancellationToken ct)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            ct.ThrowIfCancellationRequested();
            if (_process.HasExited)
                throw new InvalidOperationException($"anvil exited with code {_process.ExitCode} before it was ready");
            try
            {
                var resp = await http.PostAsJsonAsync(RpcUrl, new { jsonrpc = "2.0", id = 1, method = "eth_chainId", @params = Array.Empty<object>() }, ct);
                if (resp.IsSuccessStatusCode)
                {
                    using var doc = JsonDocument.Parse(await resp.Content.ReadAsStringAsync(ct));
                    if (doc.RootElement.TryGetProperty("result", out _)) return;
                }
            }
            catch (HttpRequestException) { }
            catch (TaskCanceledException) when (!ct.IsCancellationRequested) { }
            await Task.Delay(100, ct);
        }
        throw new TimeoutException($"anvil did not answer on {RpcUrl} within {timeout.TotalSeconds:0}s");
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.StandardInput.Close(); // the watchdog stops anvil
                if (!_process.WaitForExit(TimeSpan.FromSeconds(5))) _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(10));
            }
        }
        catch (InvalidOperationException) { }
        catch (TimeoutException) { }
        catch (IOException) { }
        _anvil?.Dispose();
        _process.Dispose();
    }
}
