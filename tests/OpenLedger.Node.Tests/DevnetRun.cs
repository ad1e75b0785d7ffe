using System.Diagnostics;
using System.Text;
using OpenLedger.Tests.Shared;

namespace OpenLedger.Node.Tests;

/// <summary>
/// `openledger devnet` as a child process in the repository root. It writes the repository's deployments files, so
/// classes that run one share the <see cref="DevnetCollection"/> (never two at once) and put the files back.
/// </summary>
public sealed class DevnetRun : IAsyncDisposable
{
    private readonly StringBuilder _output = new();
    private readonly Dictionary<string, byte[]?> _saved = new();
    private Process? _process;

    public DevnetRun()
    {
        foreach (var f in new[] { "31337-l1.json", "1330660686-l2.json", "1330660686-services.json" })
        {
            var path = Path.Combine(Root, "deployments", f);
            _saved[path] = File.Exists(path) ? File.ReadAllBytes(path) : null;
        }
    }

    public string Root { get; } = TestPaths.RepoRoot;
    public string Output { get { lock (_output) return _output.ToString(); } }

    /// <summary>Starts the devnet with <paramref name="args"/> and waits until it says it is ready.</summary>
    public async Task StartAsync(IEnumerable<string> args, IReadOnlyDictionary<string, string> env, TimeSpan timeout)
    {
        var psi = new ProcessStartInfo("dotnet") { WorkingDirectory = Root, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        psi.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "openledger.dll"));
        psi.ArgumentList.Add("devnet");
        foreach (var a in args) psi.ArgumentList.Add(a);
        foreach (var (k, v) in env) psi.Environment[k] = v;
        var p = Process.Start(psi) ?? throw new InvalidOperationException("could not start the devnet");
        _process = p;
        var ready = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        p.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null) return;
            lock (_output) _output.AppendLine(e.Data);
            if (e.Data.StartsWith("Press Ctrl-C", StringComparison.Ordinal)) ready.TrySetResult();
        };
        p.ErrorDataReceived += (_, e) => { if (e.Data != null) lock (_output) _output.AppendLine(e.Data); };
        p.EnableRaisingEvents = true;
        p.Exited += (_, _) => ready.TrySetException(new InvalidOperationException("the devnet exited:\n" + Output));
        p.BeginOutputReadLine();
        p.BeginErrorReadLine();
        try { await ready.Task.WaitAsync(timeout); }
        catch (TimeoutException) { throw new TimeoutException($"the devnet was not ready within {timeout}:\n{Output}"); }
    }

    /// <summary>The rest of the first output line that starts with <paramref name="prefix"/> (after the latest start).</summary>
    public string Line(string prefix)
    {
        var lines = Output.Split('\n').Select(l => l.TrimEnd('\r')).ToList();
        var hit = lines.LastOrDefault(l => l.StartsWith(prefix, StringComparison.Ordinal))
            ?? throw new Xunit.Sdk.XunitException($"the devnet printed no line starting with \"{prefix}\":\n{Output}");
        return hit[prefix.Length..].Trim();
    }

    /// <summary>SIGKILL to the devnet process only: what it started must go by itself (anvil's watchdog).</summary>
    public void KillDashNine()
    {
        if (_process is not { HasExited: false } p) return;
        p.Kill(entireProcessTree: false);
        p.WaitForExit();
        lock (_output) _output.AppendLine("---- killed -9 ----");
    }

    /// <summary>Runs `openledger ARGS` (the same build) in the private checkout; returns exit code, stdout and stderr.</summary>
    public async Task<(int Code, string Stdout, string Stderr)> CliAsync(params string[] args)
    {
        var psi = new ProcessStartInfo("dotnet") { WorkingDirectory = Root, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        psi.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "openledger.dll"));
        foreach (var a in args) psi.ArgumentList.Add(a);
        psi.Environment["OPENLEDGER_LOG_LEVEL"] = "Warning";
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        try { await p.WaitForExitAsync(cts.Token); }
        catch (OperationCanceledException) { p.Kill(entireProcessTree: true); throw new TimeoutException($"openledger {string.Join(' ', args)} did not finish in 5 minutes"); }
        return (p.ExitCode, await stdout, await stderr);
    }

    /// <summary>Contract addresses the devnet printed under "{layer} contracts deployed/resumed".</summary>
    public Dictionary<string, string> Addresses(string layer)
    {
        var lines = Output.Split('\n').Select(l => l.TrimEnd('\r')).ToList();
        int at = lines.FindLastIndex(l => l.StartsWith($"{layer} contracts deployed", StringComparison.Ordinal) || l.StartsWith($"{layer} contracts resumed", StringComparison.Ordinal));
        if (at < 0) throw new Xunit.Sdk.XunitException($"no {layer} contracts in the devnet's output:\n{Output}");
        return lines.Skip(at + 1).TakeWhile(l => l.StartsWith("  ", StringComparison.Ordinal))
            .Select(l => l.Trim().Split(' ', StringSplitOptions.RemoveEmptyEntries)).ToDictionary(p => p[0], p => p[1]);
    }

    public async ValueTask DisposeAsync()
    {
        if (_process is { HasExited: false } p)
        {
            p.Kill(entireProcessTree: true);
            await p.WaitForExitAsync();
        }
        _process?.Dispose();
        // Put back what a developer had in deployments/.
        foreach (var (file, content) in _saved)
        {
            if (content is null) { if (File.Exists(file)) File.Delete(file); }
            else File.WriteAllBytes(file, content);
        }
    }
}
