using OpenLedger.Node.Cli;

namespace OpenLedger.Node.Tests;

[Collection("Console")]
public class CliTests
{
    private static (int Code, string Out, string Err) Run(params string[] args) => CliRunner.Run(args);

    [Fact]
    public void Version_PrintsClientVersion_AndExitsZero()
    {
        var (code, output, _) = Run("version");
        Assert.Equal(0, code);
        Assert.StartsWith("OpenLedger/v", output.Trim());
    }

    [Fact]
    public void UnknownCommand_IsUsageError_WithOneLineOnStderr()
    {
        var (code, _, err) = Run("no-such-command");
        Assert.Equal(2, code);
        Assert.Single(err.Trim().Split('\n'));
        Assert.StartsWith("error:", err);
    }

    [Fact]
    public void Devnet_RejectsPortOutOfRange_AsUsageError()
    {
        var (code, _, err) = Run("devnet", "--l1-port", "70000");
        Assert.Equal(2, code);
        Assert.Contains("--l1-port", err);
    }

    [Fact]
    public void Devnet_RejectsABadServePort_AsUsageError()
    {
        var (code, _, err) = Run("devnet", "--serve-port", "70000");
        Assert.Equal(2, code);
        Assert.Contains("--serve-port", err);
        (code, _, err) = Run("devnet", "--l2-port", "9545", "--serve-port", "9545");
        Assert.Equal(2, code);
        Assert.Contains("--serve-port", err);
    }

    [Fact]
    public void BenchPrecompiles_OneRound_ExitsZero_AndReportsEveryPrecompile()
    {
        var (code, output, err) = Run("bench", "precompiles", "--rounds", "1");
        Assert.True(code == 0, err);
        foreach (var name in new[] { "ecrecover", "sha256", "ripemd160", "identity", "modexp256", "modexp1024", "modexp2048", "bn254_add",
                     "bn254_mul", "bn254_pairing2", "bn254_pairing4", "blake2f_12", "blake2f_1k", "blake2f_100k", "point_evaluation" })
            Assert.Contains(name, output);
        Assert.Contains("x ecrecover", output);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("-3")]
    [InlineData("1001")]
    [InlineData("many")]
    public void BenchPrecompiles_BadRounds_IsUsageError(string rounds)
    {
        var (code, _, err) = Run("bench", "precompiles", "--rounds", rounds);
        Assert.Equal(2, code);
        Assert.Contains("--rounds", err);
    }

    [Fact]
    public void BenchPrecompiles_FilterMatchingNothing_IsUsageError()
    {
        var (code, _, err) = Run("bench", "precompiles", "--filter", "no-such-precompile");
        Assert.Equal(2, code);
        Assert.Contains("--filter", err);
    }
}
