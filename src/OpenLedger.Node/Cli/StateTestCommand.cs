using System.CommandLine;
using System.Text.Json;
using System.Text.RegularExpressions;
using OpenLedger.Evm;
using OpenLedger.Tools.StateTests;

namespace OpenLedger.Node.Cli;

/// <summary>
/// `openledger statetest FILE|DIR... [--fork Cancun] [--filter REGEX] [--trace]`: runs ethereum/tests GeneralStateTests.
/// stdout: one JSON array, an entry per result {"name","fork","index","pass","stateRoot","error"} (geth `evm statetest` shape);
/// stderr: EIP-3155 traces with --trace, then `statetest: N passed, M failed, K skipped`. Exit 0 only when none failed.
/// </summary>
public static class StateTestCommand
{
    public static Command Create()
    {
        var paths = new Argument<string[]>("paths") { Description = "State-test JSON files or directories (searched recursively).", Arity = ArgumentArity.OneOrMore };
        var fork = new Option<string>("--fork") { Description = "Fork whose post states are checked: Shanghai, Cancun, Prague or Osaka.", DefaultValueFactory = _ => "Cancun" };
        var filter = new Option<string?>("--filter") { Description = "Only tests whose name matches this regular expression." };
        var trace = new Option<bool>("--trace") { Description = "Write an EIP-3155 JSON trace of every transaction to stderr." };
        var cmd = new Command("statetest", "Run Ethereum GeneralStateTests against the OpenLedger EVM.") { paths, fork, filter, trace };
        cmd.SetAction(parse =>
        {
            var spec = ForkSpec.ByName(parse.GetValue(fork)!) is { ExecutionSupported: true } s ? s
                : throw new CliException($"unknown or unsupported fork '{parse.GetValue(fork)}' (known: Shanghai, Cancun, Prague, Osaka)", CliApp.UsageError);
            Regex? regex = null;
            if (parse.GetValue(filter) is { } f)
            {
                try { regex = new Regex(f, RegexOptions.CultureInvariant); }
                catch (ArgumentException e) { throw new CliException($"bad --filter: {e.Message}", CliApp.UsageError); }
            }
            List<string> files;
            try { files = StateTestSuite.CollectFiles(parse.GetValue(paths)!); }
            catch (FileNotFoundException e) { throw new CliException(e.Message, CliApp.UsageError); }

            var (results, skipped) = StateTestSuite.Run(files, spec, regex, parse.GetValue(trace) ? Console.Error : null);
            using (var stdout = Console.OpenStandardOutput())
            using (var json = new Utf8JsonWriter(stdout, new JsonWriterOptions { Indented = true }))
            {
                json.WriteStartArray();
                foreach (var r in results)
                {
                    json.WriteStartObject();
                    json.WriteString("name", r.Name);
                    json.WriteString("fork", r.Fork);
                    json.WriteNumber("index", r.Index);
                    json.WriteBoolean("pass", r.Pass);
                    json.WriteString("stateRoot", r.StateRoot);
                    if (r.Error != null) json.WriteString("error", r.Error);
                    else json.WriteNull("error");
                    json.WriteEndObject();
                }
                json.WriteEndArray();
            }
            Console.Out.WriteLine();
            int failed = results.Count(r => !r.Pass);
            Console.Error.WriteLine($"statetest: {results.Count - failed} passed, {failed} failed, {skipped} skipped");
            return failed == 0 ? CliApp.Ok : CliApp.Failure;
        });
        return cmd;
    }
}
