using System.CommandLine;
using System.Reflection;

namespace OpenLedger.Node.Cli;

public static class VersionCommand
{
    public static string ClientVersion
    {
        get
        {
            var asm = typeof(VersionCommand).Assembly;
            var v = asm.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
                    ?? asm.GetName().Version?.ToString() ?? "0.0.0";
            int plus = v.IndexOf('+');
            return $"OpenLedger/v{(plus >= 0 ? v[..plus] : v)}/linux-x64/dotnet{Environment.Version}";
        }
    }

    public static Command Create()
    {
        var cmd = new Command("version", "Print the client version.");
        cmd.SetAction(_ =>
        {
            Console.WriteLine(ClientVersion);
            return CliApp.Ok;
        });
        return cmd;
    }
}
