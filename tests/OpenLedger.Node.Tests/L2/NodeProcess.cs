using System.Diagnostics;
using System.Text;

namespace OpenLedger.Node.Tests.L2;

/// <summary>`openledger node --config FILE` as a child process (the built openledger.dll beside the tests); killed on dispose.</summary>
public sealed class NodeProcess : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _log = new();

    public string RpcUrl { get; }

    private NodeProcess(Process process, string rpcUrl)
    {
        _process = process;
        RpcUrl = rpcUrl;
    }

    public string Log
    {
        get { lock (_log) return _log.ToString(); }
    }

    public static async Task<NodeProcess> StartAsync(string configPath, TimeSpan timeout, params string[] extraArgs)
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "openledger.dll");
        var psi = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in new[] { dll, "node", "--config", configPath }.Concat(extraArgs)) psi.ArgumentList.Add(a);
        psi.Environment["OPENLEDGER_LOG_LEVEL"] = Environment.GetEnvironmentVariable("OPENLEDGER_TEST_NODE_LOG_LEVEL") ?? "Warning";
        var p = Process.Start(psi) ?? throw new InvalidOperationException("could not start the node");
        var log = new StringBuilder();
        var url = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        p.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null) return;
            lock (log) log.AppendLine(e.Data);
            if (e.Data.StartsWith("L2 JSON-RPC: ", StringComparison.Ordinal)) url.TrySetResult(e.Data.Split(' ')[2]);
        };
        p.ErrorDataReceived += (_, e) => { if (e.Data != null) lock (log) log.AppendLine(e.Data); };
        p.Exited += (_, _) => url.TrySetException(new InvalidOperationException("node exited before listening"));
        p.EnableRaisingEvents = true;
        p.BeginOutputReadLine();
        p.BeginErrorReadLine();
        try
        {
            var rpc = await url.Task.WaitAsync(timeout);
            var node = new NodeProcess(p, rpc);
            lock (log) node._log.Append(log);
            p.OutputDataReceived += (_, e) => { if (e.Data != null) lock (node._log) node._log.AppendLine(e.Data); };
            p.ErrorDataReceived += (_, e) => { if (e.Data != null) lock (node._log) node._log.AppendLine(e.Data); };
            return node;
        }
        catch (Exception e)
        {
            try { p.Kill(entireProcessTree: true); } catch (InvalidOperationException) { }
            p.WaitForExit();
            string text;
            lock (log) text = log.ToString();
            p.Dispose();
            throw new InvalidOperationException($"node did not start: {e.Message}\n{text}", e);
        }
    }

    /// <summary>SIGKILL: no shutdown hooks, no flush: what a power cut looks like to the process.</summary>
    public void KillHard()
    {
        try { _process.Kill(entireProcessTree: true); } catch (InvalidOperationException) { }
        _process.WaitForExit();
    }

    public void Dispose()
    {
        KillHard();
        _process.Dispose();
    }
}
