using System.CommandLine;

namespace OpenLedger.Node.Cli;

/// <summary>The `openledger` command tree. Exit codes: 0 ok, 1 failure, 2 usage error.</summary>
public static class CliApp
{
    public const int Ok = 0;
    public const int Failure = 1;
    public const int UsageError = 2;

    public static RootCommand BuildRoot()
    {
        var root = new RootCommand("OpenLedger: an EVM-compatible layer-2 rollup for attributable AI.");
        root.Add(VersionCommand.Create());
        root.Add(DevnetCommand.Create());
        root.Add(NodeCommand.Create());
        root.Add(AttributionCommand.Create());
        root.Add(ModelCommand.Create());
        root.Add(StateTestCommand.Create());
        root.Add(BenchCommand.Create());
        root.Add(BatcherCommand.Create());
        root.Add(OutputRoleCommands.Proposer());
        root.Add(OutputRoleCommands.Challenger());
        root.Add(BridgeCommand.Create());
        return root;
    }

    public static int Run(string[] args)
    {
        var root = BuildRoot();
        ParseResult parsed = root.Parse(args);
        if (parsed.Errors.Count > 0)
        {
            Console.Error.WriteLine($"error: {parsed.Errors[0].Message} (see `openledger --help`)");
            return UsageError;
        }

        try
        {
            return parsed.Invoke(new InvocationConfiguration { EnableDefaultExceptionHandler = false });
        }
        catch (CliException e)
        {
            Console.Error.WriteLine($"error: {e.Message}");
            return e.ExitCode;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // Whatever a command missed still ends as one `error:` line and a failure code, never a stack trace dump.
            Console.Error.WriteLine($"error: {e.GetType().Name}: {e.Message.ReplaceLineEndings(" ")}");
            return Failure;
        }
    }
}

/// <summary>An error meant for the user: printed as one line, no stack trace.</summary>
public sealed class CliException(string message, int exitCode = CliApp.Failure) : Exception(message)
{
    public int ExitCode { get; } = exitCode;
}
