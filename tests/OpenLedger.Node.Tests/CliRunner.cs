using OpenLedger.Node.Cli;

namespace OpenLedger.Node.Tests;

/// <summary>
/// Runs the `openledger` CLI in-process with stdout and stderr captured. Console redirection is process-wide, so the
/// classes using it share the "Console" collection (never in parallel with each other).
/// </summary>
internal static class CliRunner
{
    public static (int Code, string Out, string Err) Run(params string[] args)
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
}
