using System.CommandLine;
using OpenLedger.Node.Devnet;

namespace OpenLedger.Node.Cli;

public static class DevnetCommand
{
    public static Command Create()
    {
        var l1Port = new Option<int>("--l1-port") { Description = "Port for the L1 (anvil) JSON-RPC on 127.0.0.1.", DefaultValueFactory = _ => 8545 };
        var anvilPath = new Option<string?>("--anvil") { Description = "Path to the anvil binary (default: the pinned npm toolchain)." };
        var cmd = new Command("devnet", "Run a local development network: the L1 (anvil) and, as they land, the L2 services.")
        {
            l1Port,
            anvilPath,
        };
        cmd.SetAction(async (parse, ct) =>
        {
            int port = parse.GetValue(l1Port);
            if (port is < 1 or > 65535)
                throw new CliException($"--l1-port must be between 1 and 65535, got {port}", CliApp.UsageError);
            var options = new DevnetOptions(port, parse.GetValue(anvilPath));
            return await DevnetRunner.RunAsync(options, Console.Out, ct);
        });
        return cmd;
    }
}
