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
        var apiOpt = new Option<bool>("--api") { Description = "Also serve the Datanets REST API (content store, chain index, OpenAPI at /openapi/v1.json, docs at /api/docs)." };
        var apiPortOpt = new Option<int>("--api-port") { Description = "Port of the REST API on 127.0.0.1 (0 = any free port).", DefaultValueFactory = _ => 8547 };
        var dbOpt = new Option<string?>("--db") { Description = "Datanets index: postgres://user:password@host:port/database (default: SQLite under the data directory)." };
        var contractsOpt = new Option<string?>("--contracts") { Description = "L2 contract addresses (deployments/<chainid>-l2.json; that is the default)." };
        var cmd = new Command("node", "Run an OpenLedger L2 node: sequencer, chain store and JSON-RPC (HTTP + WebSocket).") { configOpt, datadirOpt, apiOpt, apiPortOpt, dbOpt, contractsOpt };
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
            ApiSettings? api = null;
            if (parse.GetValue(apiOpt))
            {
                var apiPort = parse.GetValue(apiPortOpt);
                if (apiPort is < 0 or > 65535) throw new CliException($"--api-port must be between 0 and 65535, got {apiPort}", CliApp.UsageError);
                if (config.DataDir == null) throw new CliException("--api needs a data directory for its content store: set datadir in the config or pass --datadir", CliApp.UsageError);
                var contracts = parse.GetValue(contractsOpt) ?? Path.Combine("deployments", $"{config.Genesis.Config.ChainId}-l2.json");
                api = new ApiSettings(Path.GetFullPath(contracts), Path.Combine(config.DataDir, "datanets"), parse.GetValue(dbOpt), apiPort);
            }
            else if (parse.GetValue(dbOpt) != null || parse.GetValue(contractsOpt) != null)
                throw new CliException("--db and --contracts configure the REST API: add --api", CliApp.UsageError);
            return await RunAsync(config, Console.Out, ct, api);
        });
        return cmd;
    }

    /// <summary>The REST API's settings when --api is given.</summary>
    public sealed record ApiSettings(string ContractsFile, string DataDir, string? Db, int Port);

    public static async Task<int> RunAsync(NodeConfig config, TextWriter output, CancellationToken ct, ApiSettings? api = null)
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
            OpenLedger.Datanets.DatanetsHost? apiHost = null;
            if (api != null)
            {
                try
                {
                    apiHost = await DatanetsApiHosting.StartAsync(node, api.ContractsFile, api.DataDir, api.Db, "127.0.0.1", api.Port, config.CorsOrigins, loggers, ct);
                }
                catch (Exception e) when (e is InvalidOperationException or ArgumentException or IOException or System.Data.Common.DbException)
                {
                    throw new CliException($"api: {e.Message}");
                }
                await output.WriteLineAsync($"REST API: {apiHost.Url}/api (OpenAPI {apiHost.Url}/openapi/v1.json, docs {apiHost.Url}/api/docs)");
            }
            await output.FlushAsync(ct);
            try
            {
                await Task.Delay(Timeout.Infinite, ct);
            }
            catch (OperationCanceledException) { }
            if (apiHost != null) await apiHost.DisposeAsync();
        }
        return CliApp.Ok;
    }
}
