using System.CommandLine;
using Microsoft.Extensions.Logging;
using OpenLedger.Node.Hosting;

namespace OpenLedger.Node.Cli;

/// <summary>`openledger node --config FILE`: run an L2 node (sequencer + JSON-RPC) until Ctrl-C.</summary>
public static class NodeCommand
{
    public static Command Create()
    {
        var configOpt = new Option<FileInfo>("--config") { Description = "Node config JSON (datadir, genesis, coinbase, rpc, sequencer).", Required = true };
        var datadirOpt = new Option<string?>("--datadir") { Description = "Override the config's data directory." };
        var cmd = new Command("node", "Run an OpenLedger L2 node: sequencer, chain store and JSON-RPC (HTTP + WebSocket).") { configOpt, datadirOpt };
        cmd.SetAction(async (parse, ct) =>
        {
            var file = parse.GetValue(configOpt)!;
            if (!file.Exists) throw new CliException($"--config: {file.FullName} does not exist", CliApp.UsageError);
            NodeConfig config;
            try
            {
                config = NodeConfig.Load(file.FullName);
            }
            catch (ConfigException e)
            {
                throw new CliException(e.Message, CliApp.UsageError);
            }
            if (parse.GetValue(datadirOpt) is { } dd) config = config with { DataDir = Path.GetFullPath(dd) };
            return await RunAsync(config, Console.Out, ct);
        });
        return cmd;
    }

    public static async Task<int> RunAsync(NodeConfig config, TextWriter output, CancellationToken ct)
    {
        using var loggers = Logging.Create();
        NodeHost node;
        try
        {
            node = await NodeHost.StartAsync(config, loggers, ct);
        }
        catch (Exception e) when (e is InvalidOperationException or IOException or OpenLedger.State.Storage.StorageException)
        {
            throw new CliException($"node: {e.Message}");
        }
        await using (node)
        {
            await output.WriteLineAsync($"L2 JSON-RPC: {node.RpcUrl} (WebSocket {node.WebSocketUrl}), chain id {config.Genesis.Config.ChainId}, head {node.Chain.Head.Number}");
            await output.FlushAsync(ct);
            try
            {
                await Task.Delay(Timeout.Infinite, ct);
            }
            catch (OperationCanceledException) { }
        }
        return CliApp.Ok;
    }
}
