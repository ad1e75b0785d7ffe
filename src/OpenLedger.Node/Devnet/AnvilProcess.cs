using System.Diagnostics;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json;

namespace OpenLedger.Node.Devnet;

/// <summary>An anvil child process bound to 127.0.0.1, stopped (with its process tree) on dispose.</summary>
public sealed class AnvilProcess : IAsyncDisposable
{
    private readonly Process _process;

    public string RpcUrl { get; }

    /// <summary>CPU time anvil has used so far (user + system).</summary>
    public TimeSpan CpuTime
    {
        get
        {
            _process.Refresh();
            return _process.TotalProcessorTime;
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
        if (!IsPortFree(port))
            throw new InvalidOperationException($"port {port} on 127.0.0.1 is already in use");

        var psi = new ProcessStartInfo(anvilPath)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
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
                _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(10));
            }
        }
        catch (InvalidOperationException) { }
        catch (TimeoutException) { }
        _process.Dispose();
    }
}
