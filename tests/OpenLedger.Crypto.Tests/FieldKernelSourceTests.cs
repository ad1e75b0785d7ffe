using System.Diagnostics;
using OpenLedger.Tests.Shared;

namespace OpenLedger.Crypto.Tests;

/// <summary>
/// The committed assembly (field_kernels_x86_64.s) is generated: running its generator must reproduce it byte for
/// byte, so neither can be edited without the other. python3 is installed by deploy/lib.sh.
/// </summary>
public class FieldKernelSourceTests
{
    [Fact]
    public async Task Committed_assembly_matches_its_generator()
    {
        string dir = Path.Combine(TestPaths.RepoRoot, "src", "OpenLedger.Crypto", "FieldMath", "Native");
        // The system interpreter where there is one (a version manager's shim on PATH may point elsewhere).
        string python = File.Exists("/usr/bin/python3") ? "/usr/bin/python3" : "python3";
        var psi = new ProcessStartInfo(python, "gen_field_kernels_x86_64.py")
        {
            WorkingDirectory = dir,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(psi) ?? throw new InvalidOperationException("python3 did not start");
        var stderr = process.StandardError.ReadToEndAsync();
        string generated = await process.StandardOutput.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);
        Assert.True(process.ExitCode == 0, $"generator failed: {await stderr}");
        string committed = File.ReadAllText(Path.Combine(dir, "field_kernels_x86_64.s"));
        Assert.True(committed == generated,
            "field_kernels_x86_64.s differs from its generator: run `python3 gen_field_kernels_x86_64.py > field_kernels_x86_64.s`");
    }
}
