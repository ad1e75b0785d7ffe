using System.Diagnostics;
using System.Text;

namespace OpenLedger.Node.Devnet;

/// <summary>Compiles our predeploy contracts (contracts/src/l2/predeploys) with forge so genesis can take their runtime code from `out/`.</summary>
public static class PredeployBuild
{
    public static async Task<string> BuildAsync(string forgePath, string repoRoot, CancellationToken ct)
    {
        var psi = new ProcessStartInfo(forgePath, ["build", "contracts/src/l2/predeploys"])
        {
            WorkingDirectory = repoRoot,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        var log = new StringBuilder();
        using var process = Process.Start(psi) ?? throw new InvalidOperationException($"could not start {forgePath}");
        process.OutputDataReceived += (_, e) => { if (e.Data != null) lock (log) log.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data != null) lock (log) log.AppendLine(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(ct);
        cts.CancelAfter(TimeSpan.FromMinutes(10));
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            try { process.Kill(entireProcessTree: true); } catch (InvalidOperationException) { }
            if (ct.IsCancellationRequested) throw;
            throw new TimeoutException("forge build contracts/src/l2/predeploys did not finish within 10 minutes");
        }
        if (process.ExitCode != 0)
        {
            lock (log) throw new InvalidOperationException($"forge build contracts/src/l2/predeploys exited with code {process.ExitCode}:\n{log}");
        }
        return Path.Combine(repoRoot, "out");
    }
}
