using System.CommandLine;
using Microsoft.Extensions.Logging;
using Nethereum.JsonRpc.Client;
using OpenLedger.Node.Hosting;
using OpenLedger.Primitives;
using OpenLedger.Rollup.Batcher;
using OpenLedger.Rollup.Outputs;

namespace OpenLedger.Node.Cli;

/// <summary>
/// `openledger proposer` and `openledger challenger`: the two services around L2OutputOracle (see
/// <see cref="ProposerService"/> and <see cref="ChallengerService"/>). Keys may come from OPENLEDGER_PROPOSER_KEY /
/// OPENLEDGER_CHALLENGER_KEY so they stay off the command line.
/// </summary>
public static class OutputRoleCommands
{
    public static Command Proposer() => Create("proposer", "Propose L2 output roots to L2OutputOracle every SUBMISSION_INTERVAL L2 blocks (needs an OutputProposer stake).",
        "OPENLEDGER_PROPOSER_KEY", "The L2 node whose outputs are proposed.",
        (oracle, l2, log, poll) => new ProposerService(oracle, l2, log) { PollInterval = poll }.RunAsync);

    public static Command Challenger() => Create("challenger", "Recompute every proposed output from our own L2 node and challenge wrong ones with the bond; resolve expired challenges.",
        "OPENLEDGER_CHALLENGER_KEY", "Our own L2 node (a replica that derives the chain from L1).",
        (oracle, l2, log, poll) => new ChallengerService(oracle, l2, log) { PollInterval = poll }.RunAsync);

    private static Command Create(string name, string description, string keyEnv, string l2Description,
        Func<OutputOracleClient, L2OutputSource, ILogger, TimeSpan, Func<CancellationToken, Task>> service)
    {
        var l1 = new Option<string>("--l1-rpc") { Description = "L1 JSON-RPC URL.", Required = true };
        var l2 = new Option<string>("--l2-rpc") { Description = l2Description, Required = true };
        var oracleOpt = new Option<string>("--oracle") { Description = "L2OutputOracle address on L1.", Required = true };
        var key = new Option<string?>("--private-key") { Description = $"L1 key (hex); default ${keyEnv}." };
        var head = new Option<string>("--l2-head") { Description = "Which L2 head bounds the outputs: safe (derived from L1) or latest.", DefaultValueFactory = _ => "safe" };
        var poll = new Option<double>("--poll-interval") { Description = "Seconds between checks.", DefaultValueFactory = _ => 2 };
        var cmd = new Command(name, description) { l1, l2, oracleOpt, key, head, poll };
        cmd.SetAction(async (parse, ct) =>
        {
            var keyHex = parse.GetValue(key) ?? Environment.GetEnvironmentVariable(keyEnv);
            if (string.IsNullOrEmpty(keyHex) || !Hex.TryDecode(keyHex, out var keyBytes) || keyBytes.Length != 32)
                throw new CliException($"--private-key (or {keyEnv}) must be a 32-byte hex key", CliApp.UsageError);
            if (!Address.TryParse(parse.GetValue(oracleOpt), out var oracleAddress))
                throw new CliException($"--oracle must be a 20-byte hex address, got {parse.GetValue(oracleOpt)}", CliApp.UsageError);
            var tag = parse.GetValue(head)!;
            if (tag is not ("safe" or "latest" or "finalized")) throw new CliException($"--l2-head must be safe, finalized or latest, got {tag}", CliApp.UsageError);
            if (parse.GetValue(poll) is not (> 0 and <= 3600)) throw new CliException("--poll-interval must be in (0, 3600] seconds", CliApp.UsageError);
            foreach (var (opt, url) in new[] { ("--l1-rpc", parse.GetValue(l1)!), ("--l2-rpc", parse.GetValue(l2)!) })
                if (!Uri.TryCreate(url, UriKind.Absolute, out var u) || (u.Scheme != "http" && u.Scheme != "https"))
                    throw new CliException($"{opt} must be an http(s) URL, got {url}", CliApp.UsageError);

            using var loggers = Logging.Create();
            var log = loggers.CreateLogger(name);
            var l1Client = new RpcClient(new Uri(parse.GetValue(l1)!));
            ulong chainId;
            try { chainId = await L1ChainIdAsync(l1Client); }
            catch (Exception e) when (e is RpcClientUnknownException or RpcResponseException or HttpRequestException or FormatException)
            {
                throw new CliException($"cannot read the L1 chain id from {parse.GetValue(l1)}: {e.Message}");
            }
            var sender = new L1TxSender(l1Client, keyBytes, chainId, log);
            var oracle = new OutputOracleClient(l1Client, oracleAddress, sender);
            var source = new L2OutputSource(new RpcClient(new Uri(parse.GetValue(l2)!)), tag);
            log.LogInformation("{Role} {Address} on L1 chain {Chain}", name, sender.From, chainId);
            try { await service(oracle, source, log, TimeSpan.FromSeconds(parse.GetValue(poll)))(ct); }
            catch (OperationCanceledException) when (ct.IsCancellationRequested) { }
            return CliApp.Ok;
        });
        return cmd;
    }

    public static async Task<ulong> L1ChainIdAsync(IClient client)
    {
        var id = await client.SendRequestAsync<string>(new RpcRequest(1, "eth_chainId"));
        return id is { Length: > 2 } && id.StartsWith("0x", StringComparison.Ordinal) ? Convert.ToUInt64(id[2..], 16) : throw new FormatException($"eth_chainId answered {id}");
    }
}
