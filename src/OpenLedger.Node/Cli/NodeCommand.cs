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
        var roleOpt = new Option<string>("--role") { Description = "sequencer (makes blocks) or replica (derives every block from L1; RPC read-only).", DefaultValueFactory = _ => "sequencer" };
        var l1Opt = new Option<string?>("--l1-rpc") { Description = "L1 JSON-RPC URL (overrides config.rollup.l1Rpc)." };
        var rollupOpt = new Option<FileInfo?>("--rollup-config") { Description = "rollup.json (op-node's format): derive from L1 (overrides config.rollup.rollupConfig)." };
        var sequencerOpt = new Option<string?>("--sequencer-rpc") { Description = "Replica: the sequencer's JSON-RPC URL that eth_sendRawTransaction is forwarded to." };
        var modelsOpt = new Option<string?>("--models-dir") { Description = "With --api: base models (one directory each) for fine-tune jobs (/api/factory)." };
        var web = new NodeWebAppOptions();
        var cmd = new Command("node", "Run an OpenLedger L2 node: sequencer or replica, chain store and JSON-RPC (HTTP + WebSocket).")
        {
            configOpt, datadirOpt, apiOpt, apiPortOpt, dbOpt, contractsOpt, roleOpt, l1Opt, rollupOpt, sequencerOpt,
        };
        cmd.Options.Add(modelsOpt);
        foreach (var o in web.All) cmd.Options.Add(o);
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
            config = ApplyRollupOptions(config, parse.GetValue(roleOpt)!, parse.GetValue(l1Opt), parse.GetValue(rollupOpt), parse.GetValue(sequencerOpt));
            ApiSettings? api = null;
            if (parse.GetValue(apiOpt))
            {
                var apiPort = parse.GetValue(apiPortOpt);
                if (apiPort is < 0 or > 65535) throw new CliException($"--api-port must be between 0 and 65535, got {apiPort}", CliApp.UsageError);
                if (config.DataDir == null) throw new CliException("--api needs a data directory for its content store: set datadir in the config or pass --datadir", CliApp.UsageError);
                var contracts = parse.GetValue(contractsOpt) ?? Path.Combine("deployments", $"{config.Genesis.Config.ChainId}-l2.json");
                var models = parse.GetValue(modelsOpt);
                if (models != null && !Directory.Exists(models)) throw new CliException($"--models-dir: {models} is not a directory", CliApp.UsageError);
                api = new ApiSettings(Path.GetFullPath(contracts), Path.Combine(config.DataDir, "datanets"), parse.GetValue(dbOpt), apiPort,
                    models == null ? null : Path.GetFullPath(models));
            }
            else if (parse.GetValue(dbOpt) != null || parse.GetValue(contractsOpt) != null || parse.GetValue(modelsOpt) != null)
                throw new CliException("--db, --contracts and --models-dir configure the REST API: add --api", CliApp.UsageError);
            return await RunAsync(config, Console.Out, ct, api, web.Parse(parse, config));
        });
        return cmd;
    }

    /// <summary>--role, --l1-rpc, --rollup-config and --sequencer-rpc over the config file's values, each checked.</summary>
    public static NodeConfig ApplyRollupOptions(NodeConfig config, string role, string? l1Rpc, FileInfo? rollupJson, string? sequencerRpc)
    {
        var nodeRole = role switch
        {
            "sequencer" => NodeRole.Sequencer,
            "replica" => NodeRole.Replica,
            _ => throw new CliException($"--role must be sequencer or replica, got {role}", CliApp.UsageError),
        };
        foreach (var (name, url) in new[] { ("--l1-rpc", l1Rpc), ("--sequencer-rpc", sequencerRpc) })
            if (url != null && (!Uri.TryCreate(url, UriKind.Absolute, out var u) || (u.Scheme != "http" && u.Scheme != "https")))
                throw new CliException($"{name} must be an http(s) URL, got {url}", CliApp.UsageError);
        if (sequencerRpc != null && nodeRole != NodeRole.Replica) throw new CliException("--sequencer-rpc is for --role replica", CliApp.UsageError);
        var rollup = config.Rollup;
        try
        {
            if (rollupJson != null)
            {
                if (!rollupJson.Exists) throw new CliException($"--rollup-config: {rollupJson.FullName} does not exist", CliApp.UsageError);
                var rc = RollupNodeConfig.LoadRollupJson(rollupJson.FullName);
                var url = l1Rpc ?? rollup?.L1Rpc ?? throw new CliException("--rollup-config needs --l1-rpc (or config.rollup.l1Rpc)", CliApp.UsageError);
                ulong blockTime = nodeRole == NodeRole.Replica ? rc.BlockTime : (ulong)(config.BlockTime ?? TimeSpan.FromSeconds(1)).TotalSeconds;
                var baseSeq = rollup?.Sequencing ?? new Chain.Rollup.RollupSequencingConfig { GenesisL1Number = 0, GenesisL1Hash = default };
                rollup = RollupNodeConfig.FromRollupJson(rc, (rollup ?? new RollupNodeConfig { Sequencing = baseSeq }) with
                {
                    L1Rpc = url, FixedL1Origin = null, Sequencing = baseSeq with { BlockTimeSeconds = blockTime },
                });
            }
            else if (l1Rpc != null)
            {
                if (rollup is null || rollup.FixedL1Origin != null) throw new CliException("--l1-rpc needs --rollup-config (or a config.rollup section with l1Rpc)", CliApp.UsageError);
                rollup = rollup with { L1Rpc = l1Rpc };
            }
        }
        catch (ConfigException e) { throw new CliException(e.Message, CliApp.UsageError); }
        if (nodeRole == NodeRole.Replica && rollup?.Derivation is null)
            throw new CliException("--role replica needs --l1-rpc and --rollup-config (it derives every block from L1)", CliApp.UsageError);
        return config with { Role = nodeRole, Rollup = rollup, SequencerRpc = sequencerRpc };
    }

    /// <summary>The REST API's settings when --api is given.</summary>
    public sealed record ApiSettings(string ContractsFile, string DataDir, string? Db, int Port, string? ModelsDir = null);

    public static async Task<int> RunAsync(NodeConfig config, TextWriter output, CancellationToken ct, ApiSettings? api = null, NodeWebAppOptions.Settings? web = null)
    {
        using var loggers = Logging.Create();
        NodeHost node;
        try
        {
            node = await NodeHost.StartAsync(config, loggers, ct);
        }
        catch (Exception e) when (e is InvalidOperationException or ConfigException or IOException or OpenLedger.State.Storage.StorageException)
        {
            throw new CliException($"node: {e.Message}");
        }
        await using (node)
        {
            await output.WriteLineAsync($"L2 JSON-RPC: {node.RpcUrl} (WebSocket {node.WebSocketUrl}), chain id {config.Genesis.Config.ChainId}, head {node.Chain.Head.Number}, role {config.Role.ToString().ToLowerInvariant()}"
                + (node.Derivation is { } d ? $", derivation resumes at safe block {d.ResumedSafe}" : ""));
            OpenLedger.Datanets.DatanetsHost? apiHost = null;
            Factory.FactoryHosting? factory = null;
            if (api != null)
            {
                try
                {
                    if (api.ModelsDir != null) factory = Factory.FactoryHosting.Create(api.ModelsDir, api.DataDir, node.RpcUrl, api.ContractsFile, loggers);
                    apiHost = await DatanetsApiHosting.StartAsync(node, api.ContractsFile, api.DataDir, api.Db, "127.0.0.1", api.Port, config.CorsOrigins, loggers, ct, factory?.Routes);
                    factory?.Started(apiHost.Url);
                }
                catch (Exception e) when (e is InvalidOperationException or ArgumentException or IOException or System.Data.Common.DbException)
                {
                    throw new CliException($"api: {e.Message}");
                }
                await output.WriteLineAsync($"REST API: {apiHost.Url}/api (OpenAPI {apiHost.Url}/openapi/v1.json, docs {apiHost.Url}/api/docs)");
            }
            if (web != null) await NodeWebAppOptions.AttachAsync(web, node, config, apiHost?.Url, factory != null ? apiHost?.Url : null, output, ct);
            await output.FlushAsync(ct);
            try
            {
                await Task.Delay(Timeout.Infinite, ct);
            }
            catch (OperationCanceledException) { }
            if (factory != null) await factory.DisposeAsync();
            if (apiHost != null) await apiHost.DisposeAsync();
        }
        return CliApp.Ok;
    }
}
