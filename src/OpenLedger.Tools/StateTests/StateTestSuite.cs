using System.Collections.Concurrent;
using System.Text.RegularExpressions;
using OpenLedger.Evm;
using OpenLedger.Evm.Execution;

namespace OpenLedger.Tools.StateTests;

/// <summary>Runs many state-test files in parallel (one big-stack thread per core); results come back in file order.</summary>
public static class StateTestSuite
{
    /// <summary>Expands files and directories (recursively, *.json) into a sorted file list.</summary>
    public static List<string> CollectFiles(IEnumerable<string> paths)
    {
        var files = new List<string>();
        foreach (var p in paths)
        {
            if (Directory.Exists(p)) files.AddRange(Directory.EnumerateFiles(p, "*.json", SearchOption.AllDirectories).Order(StringComparer.Ordinal));
            else if (File.Exists(p)) files.Add(p);
            else throw new FileNotFoundException($"no such file or directory: {p}", p);
        }
        return files;
    }

    public static (List<StateTestResult> Results, int Skipped) Run(IReadOnlyList<string> files, ForkSpec spec, Regex? filter = null,
        TextWriter? trace = null, int threads = 0)
    {
        if (threads <= 0) threads = Environment.ProcessorCount;
        if (trace != null) threads = 1; // traces of concurrent tests would interleave
        var perFile = new (List<StateTestResult> Results, int Skipped)[files.Count];
        var queue = new ConcurrentQueue<int>(Enumerable.Range(0, files.Count));
        var errors = new ConcurrentQueue<Exception>();
        var workers = new List<Thread>();
        for (int i = 0; i < Math.Min(threads, Math.Max(1, files.Count)); i++)
        {
            var t = new Thread(() =>
            {
                var runner = new StateTestRunner(spec, filter, trace);
                while (queue.TryDequeue(out int n))
                {
                    try { perFile[n] = runner.RunFile(files[n]); }
                    catch (Exception e) { errors.Enqueue(e); perFile[n] = ([new StateTestResult(Path.GetFileName(files[n]), spec.Name, 0, false, "", e.ToString(), files[n])], 0); }
                }
            }, EvmThread.StackBytes);
            t.Start();
            workers.Add(t);
        }
        foreach (var t in workers) t.Join();
        var all = new List<StateTestResult>();
        int skipped = 0;
        foreach (var (r, s) in perFile)
        {
            if (r != null) all.AddRange(r);
            skipped += s;
        }
        return (all, skipped);
    }
}
