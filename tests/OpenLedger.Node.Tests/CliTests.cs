using OpenLedger.Node.Cli;

namespace OpenLedger.Node.Tests;

[Collection("Console")]
public class CliTests
{
    private static (int Code, string Out, string Err) Run(params string[] args)
    {
        var (oldOut, oldErr) = (Console.Out, Console.Error);
        var (o, e) = (new StringWriter(), new StringWriter());
        Console.SetOut(o);
        Console.SetError(e);
        try
        {
            return (CliApp.Run(args), o.ToString(), e.ToString());
        }
        finally
        {
            Console.SetOut(oldOut);
            Console.SetError(oldErr);
        }
    }

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
}
