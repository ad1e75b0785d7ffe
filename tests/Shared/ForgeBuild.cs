using System.Diagnostics;

namespace OpenLedger.Tests.Shared;

/// <summary>Compiles contract sources with the pinned forge (once per path per test run) and returns the artifacts folder (`out/`).</summary>
public static class ForgeBuild
{
    private static readonly Dictionary<string, Lazy<string>> Builds = [];

    public static string Artifacts(string sourcePath)
    {
        Lazy<string> build;
        lock (Builds)
        {
            if (!Builds.TryGetValue(sourcePath, out build!)) Builds[sourcePath] = build = new Lazy<string>(() => Run(sourcePath));
        }
        return build.Value;
    }

    private static string Run(string sourcePath)
    {
        var forge = Path.Combine(TestPaths.RepoRoot, "node_modules", ".bin", "forge");
        string output = "";
        // Other forge runs in this tree can hold its cache lock for a moment: retry a few times.
        for (var attempt = 1; attempt <= 5; attempt++)
        {
            var psi = new ProcessStartInfo(forge, ["build", sourcePath])
            {
                WorkingDirectory = TestPaths.RepoRoot,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            using var p = Process.Start(psi)!;
            var stdout = p.StandardOutput.ReadToEndAsync();
            var stderr = p.StandardError.ReadToEndAsync();
            if (!p.WaitForExit(300_000)) { p.Kill(true); throw new TimeoutException("forge build did not finish in 300 s"); }
            output = stdout.Result + stderr.Result;
            if (p.ExitCode == 0) return Path.Combine(TestPaths.RepoRoot, "out");
            Thread.Sleep(2000 * attempt);
        }
        throw new InvalidOperationException($"forge build {sourcePath} failed:\n" + output);
    }
}
