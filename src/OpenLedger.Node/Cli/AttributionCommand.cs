using System.CommandLine;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace OpenLedger.Node.Cli;

/// <summary>`openledger attribution …`: build indexes, score one output, roll records into an epoch, benchmark.</summary>
public static class AttributionCommand
{
    public static Command Create()
    {
        var cmd = new Command("attribution", "Proof of Attribution: sketch stores, suffix-array span indexes, shares and reward epochs.");
        cmd.Add(AttributionIndexCommand.Create());
        cmd.Add(AttributionQueryCommand.Create());
        cmd.Add(AttributionEpochCommand.Create());
        cmd.Add(AttributionVerifyCommand.Create());
        cmd.Add(AttributionBenchCommand.Create());
        return cmd;
    }

    internal static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    /// <summary>
    /// Runs an action, turning the library's errors into one-line CLI errors: bad data and missing files are
    /// failures (exit 1); usage errors were already raised as <see cref="CliException"/> with exit 2.
    /// </summary>
    internal static int Guard(Func<int> action)
    {
        try
        {
            return action();
        }
        catch (CliException) { throw; }
        catch (Exception e) when (e is IOException or InvalidDataException or FormatException or ArgumentException
                                      or UnauthorizedAccessException or JsonException or KeyNotFoundException or InvalidOperationException)
        {
            throw new CliException(e.Message.ReplaceLineEndings(" "), CliApp.Failure);
        }
    }

    internal static JsonNode ReadJson(string path)
    {
        if (!File.Exists(path)) throw new CliException($"{path} does not exist", CliApp.Failure);
        return JsonNode.Parse(File.ReadAllText(path)) ?? throw new FormatException($"{path} holds JSON null");
    }

    internal static void WriteJson(JsonNode node, string? outPath)
    {
        var text = node.ToJsonString(Indented);
        if (outPath == null) Console.Out.WriteLine(text);
        else File.WriteAllText(outPath, text + "\n");
    }

    internal static T Require<T>(T? value, string option) where T : class =>
        value ?? throw new CliException($"{option} is required", CliApp.UsageError);
}
