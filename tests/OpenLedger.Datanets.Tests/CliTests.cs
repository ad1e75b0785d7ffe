using OpenLedger.Node.Cli;

namespace OpenLedger.Datanets.Tests;

/// <summary>The API's command-line options refuse bad values with exit code 2 and one error line.</summary>
[Collection("Console")]
public sealed class CliTests
{
    private static (int Code, string Err) Run(params string[] args)
    {
        var (oldOut, oldErr) = (Console.Out, Console.Error);
        var (o, e) = (new StringWriter(), new StringWriter());
        Console.SetOut(o);
        Console.SetError(e);
        try { return (CliApp.Run(args), e.ToString()); }
        finally
        {
            Console.SetOut(oldOut);
            Console.SetError(oldErr);
        }
    }

    [Fact]
    public void ApiOptions_AreValidated()
    {
        var config = Path.Combine(global::OpenLedger.Tests.Shared.TestPaths.RepoRoot, "deploy", "node.example.json");
        var (code, err) = Run("node", "--config", config, "--db", "postgres://u@h/d");
        Assert.Equal(2, code);
        Assert.Contains("add --api", err);
        (code, err) = Run("node", "--config", config, "--api", "--api-port", "70000");
        Assert.Equal(2, code);
        Assert.Contains("--api-port", err);
        (code, err) = Run("devnet", "--api-port", "8545");
        Assert.Equal(2, code);
        Assert.Contains("--api-port", err);
        (code, err) = Run("bench", "datanets", "--events", "5");
        Assert.Equal(2, code);
        Assert.Contains("--events", err);
        (code, err) = Run("bench", "datanets", "--db", "mysql://x");
        Assert.Equal(2, code);
        Assert.Contains("--db", err);
    }
}
