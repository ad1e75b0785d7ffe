using System.CommandLine;
using OpenLedger.Node.Devnet;

namespace OpenLedger.Node.Cli;

public static class DevnetCommand
{
    public static Command Create()
    {
        var l1Port = new Option<int>("--l1-port") { Description = "Port for the L1 (anvil) JSON-RPC on 127.0.0.1.", DefaultValueFactory = _ => 8545 };
        var anvilPath = new Option<string?>("--anvil") { Description = "Path to the anvil binary (default: the pinned npm toolchain)." };
        var l2Port = new Option<int>("--l2-port") { Description = "Port for the L2 JSON-RPC (HTTP and WebSocket) on 127.0.0.1.", DefaultValueFactory = _ => 9545 };
        var blockTime = new Option<int>("--block-time-ms") { Description = "L2 block interval in milliseconds; 0 seals a block per transaction.", DefaultValueFactory = _ => 1000 };
        var dataDir = new Option<string?>("--datadir") { Description = "Keep the L2 chain in this directory (default: in memory, gone at exit)." };
        var apiPort = new Option<int>("--api-port") { Description = "Port of the Datanets REST API on 127.0.0.1.", DefaultValueFactory = _ => 8547 };
        var noApi = new Option<bool>("--no-api") { Description = "Do not start the Datanets REST API." };
        var servePort = new Option<int>("--serve-port") { Description = "Port of OpenLoRA serving (the OpenAI-compatible API) on 127.0.0.1; 0 = any free port.", DefaultValueFactory = _ => 8000 };
        var noServe = new Option<bool>("--no-serve") { Description = "Do not start OpenLoRA serving and the prover." };
        var replicaPort = new Option<int>("--replica-port") { Description = "Port of the rollup devnet's replica JSON-RPC on 127.0.0.1 (0: any free port).", DefaultValueFactory = _ => 9546 };
        var noRollup = new Option<bool>("--no-rollup")
        {
            Description = "Run the L2 as a plain chain (no L1 origin per block) with anvil's dev methods: evm_increaseTime, evm_mine, evm_snapshot/evm_revert, anvil_setBalance, impersonation, ...",
        };
        var modelsDir = new Option<string?>("--models-dir") { Description = "Base models (one directory each) for fine-tune jobs started from the web app (/api/factory on the Datanets API)." };
        var webService = new Option<string[]>("--web-service") { Description = "NAME=URL of a service the web app uses (inference = an `openledger serve`). Repeatable." };
        var cmd = new Command("devnet", "Run a local development network: the L1 (anvil) and, as they land, the L2 services.")
        {
            modelsDir,
            webService,
            l1Port,
            anvilPath,
            l2Port,
            blockTime,
            dataDir,
            apiPort,
            noApi,
            noRollup,
            servePort,
            noServe,
            replicaPort,
        };
        cmd.SetAction(async (parse, ct) =>
        {
            int port = parse.GetValue(l1Port);
            if (port is < 1 or > 65535)
                throw new CliException($"--l1-port must be between 1 and 65535, got {port}", CliApp.UsageError);
            int l2 = parse.GetValue(l2Port);
            if (l2 is < 0 or > 65535 || l2 == port)
                throw new CliException($"--l2-port must be between 0 and 65535 and differ from --l1-port, got {l2}", CliApp.UsageError);
            int ms = parse.GetValue(blockTime);
            if (ms is < 0 or > 3_600_000)
                throw new CliException($"--block-time-ms must be between 0 and 3600000, got {ms}", CliApp.UsageError);
            int api = parse.GetValue(apiPort);
            if (api is < 0 or > 65535 || api == port || api == l2)
                throw new CliException($"--api-port must be between 0 and 65535 and differ from the L1 and L2 ports, got {api}", CliApp.UsageError);
            int replica = parse.GetValue(replicaPort);
            if (replica is < 0 or > 65535 || (replica != 0 && (replica == port || replica == l2 || replica == api)))
                throw new CliException($"--replica-port must be between 0 and 65535 and differ from the L1, L2 and API ports, got {replica}", CliApp.UsageError);
            var options = new DevnetOptions(port, parse.GetValue(anvilPath), l2, ms, parse.GetValue(dataDir) is { } d ? Path.GetFullPath(d) : null,
                api, !parse.GetValue(noApi), Rollup: !parse.GetValue(noRollup), ReplicaPort: replica)
            {
                ModelsDir = parse.GetValue(modelsDir) is { } md ? (Directory.Exists(md) ? Path.GetFullPath(md) : throw new CliException($"--models-dir: {md} is not a directory", CliApp.UsageError)) : null,
                WebServices = NodeWebAppOptions.ParseServices(parse.GetValue(webService) ?? []),
            };
            if (options.ModelsDir != null && !options.Api) throw new CliException("--models-dir serves fine-tune jobs through the Datanets API: drop --no-api", CliApp.UsageError);
            options = options with { Serve = !parse.GetValue(noServe), ServePort = parse.GetValue(servePort) };
            if (options.ServePort is < 0 or > 65535 || (options.ServePort != 0 && (options.ServePort == port || options.ServePort == l2 || options.ServePort == api || options.ServePort == replica)))
                throw new CliException($"--serve-port must be between 0 and 65535 and differ from the L1, L2, API and replica ports, got {options.ServePort}", CliApp.UsageError);
            return await DevnetRunner.RunAsync(options, Console.Out, ct);
        });
        return cmd;
    }
}
