using System.Diagnostics;
using OpenLedger.Primitives.Abi;
using OpenLedger.Tests.Shared;

namespace OpenLedger.Primitives.Tests.Anvil;

/// <summary>contracts/test/fixtures/Web3Probe.sol compiled by forge, once per test run.</summary>
public static class ProbeArtifact
{
    private static readonly Lazy<ContractArtifact> Compiled = new(Compile);

    public static ContractArtifact Value => Compiled.Value;
    public static string JsonPath => Path.Combine(TestPaths.RepoRoot, "out", "Web3Probe.sol", "Web3Probe.json");

    private static ContractArtifact Compile()
    {
        var forge = Path.Combine(TestPaths.RepoRoot, "node_modules", ".bin", "forge");
        string output = "";
        // Other forge runs in this tree can hold its cache lock for a moment: retry a few times.
        for (var attempt = 1; attempt <= 5; attempt++)
        {
            var psi = new ProcessStartInfo(forge, "build contracts/test/fixtures/Web3Probe.sol")
            {
                WorkingDirectory = TestPaths.RepoRoot,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            using var p = Process.Start(psi)!;
            var stdout = p.StandardOutput.ReadToEndAsync();
            var stderr = p.StandardError.ReadToEndAsync();
            if (!p.WaitForExit(120_000)) { p.Kill(true); throw new TimeoutException("forge build did not finish in 120 s"); }
            output = stdout.Result + stderr.Result;
            if (p.ExitCode == 0 && File.Exists(JsonPath)) return ContractArtifact.Load(JsonPath);
            Thread.Sleep(2000 * attempt);
        }
        throw new InvalidOperationException("forge build of Web3Probe.sol failed:\n" + output);
    }
}
