using System.CommandLine;
using Microsoft.Extensions.Logging;
using OpenLedger.Node.Hosting;
using OpenLedger.Primitives;
using OpenLedger.Rollup.Batcher;
using OpenLedger.Rollup.Config;
using OpenLedger.Rollup.Encoding;
using OpenLedger.Rollup.L1;

namespace OpenLedger.Node.Cli;

/// <summary>
/// `openledger batcher --l1-rpc URL --l2-rpc URL --rollup-config FILE --private-key HEX`: posts the sequencer's
/// unsafe blocks to the L1 batch inbox until Ctrl-C (see <see cref="BatcherService"/>). The key may instead come
/// from OPENLEDGER_BATCHER_KEY so it stays off the command line.
/// </summary>
public static class BatcherCommand
{
    public static Command Create()
    {
        var l1 = new Option<string>("--l1-rpc") { Description = "L1 JSON-RPC URL.", Required = true };
        var l2 = new Option<string>("--l2-rpc") { Description = "The sequencer's L2 JSON-RPC URL.", Required = true };
        var config = new Option<FileInfo>("--rollup-config") { Description = "rollup.json (op-node's format).", Required = true };
        var key = new Option<string?>("--private-key") { Description = "Batcher key (hex); default $OPENLEDGER_BATCHER_KEY." };
        var compression = new Option<string>("--compression") { Description = "zlib or brotli.", DefaultValueFactory = _ => "brotli" };
        var singular = new Option<bool>("--singular-batches") { Description = "One singular batch per block instead of span batches." };
        var maxBlocks = new Option<int>("--max-blocks-per-channel") { DefaultValueFactory = _ => 100 };
        var frameSize = new Option<int>("--max-frame-size") { Description = "Bytes of calldata per L1 transaction.", DefaultValueFactory = _ => 120_000 };
        var bumpAfter = new Option<double>("--bump-after") { Description = "Seconds before a pending L1 transaction is replaced with higher fees.", DefaultValueFactory = _ => 24 };
        var cmd = new Command("batcher", "Post L2 blocks to L1 as batches in compressed channels (OP Stack format).")
        {
            l1, l2, config, key, compression, singular, maxBlocks, frameSize, bumpAfter,
        };
        cmd.SetAction(async (parse, ct) =>
        {
            RollupConfig rollup;
            try { rollup = RollupConfigJson.Load(parse.GetValue(config)!.FullName); }
            catch (RollupConfigException e) { throw new CliException(e.Message, CliApp.UsageError); }
            var keyHex = parse.GetValue(key) ?? Environment.GetEnvironmentVariable("OPENLEDGER_BATCHER_KEY");
            if (string.IsNullOrEmpty(keyHex) || !Hex.TryDecode(keyHex, out var keyBytes) || keyBytes.Length != 32)
                throw new CliException("--private-key (or OPENLEDGER_BATCHER_KEY) must be a 32-byte hex key", CliApp.UsageError);
            var algo = parse.GetValue(compression) switch
            {
                "zlib" => CompressionAlgorithm.Zlib,
                "brotli" => CompressionAlgorithm.Brotli,
                var other => throw new CliException($"--compression must be zlib or brotli, got {other}", CliApp.UsageError),
            };
            if (parse.GetValue(bumpAfter) is not (> 0 and <= 3600) ) throw new CliException("--bump-after must be in (0, 3600] seconds", CliApp.UsageError);
            var options = new BatcherOptions
            {
                Compression = algo, SpanBatches = !parse.GetValue(singular),
                MaxBlocksPerChannel = parse.GetValue(maxBlocks), MaxFrameSize = parse.GetValue(frameSize),
            };
            try { options.Validate(); }
            catch (ArgumentException e) { throw new CliException(e.Message, CliApp.UsageError); }
            foreach (var (name, url) in new[] { ("--l1-rpc", parse.GetValue(l1)!), ("--l2-rpc", parse.GetValue(l2)!) })
                if (!Uri.TryCreate(url, UriKind.Absolute, out var u) || (u.Scheme != "http" && u.Scheme != "https"))
                    throw new CliException($"{name} must be an http(s) URL, got {url}", CliApp.UsageError);

            using var loggers = Logging.Create();
            var log = loggers.CreateLogger("batcher");
            var l1Client = new Nethereum.JsonRpc.Client.RpcClient(new Uri(parse.GetValue(l1)!));
            var sender = new L1TxSender(l1Client, keyBytes, rollup.L1ChainId, log) { BumpAfter = TimeSpan.FromSeconds(parse.GetValue(bumpAfter)) };
            BatcherService service;
            try
            {
                service = new BatcherService(rollup, new RpcL1Source(l1Client, rollup.L1SystemConfigAddress, rollup.DepositContractAddress == Address.Zero ? null : rollup.DepositContractAddress), RpcL2BlockSource.Create(parse.GetValue(l2)!), sender, options, log);
            }
            catch (ArgumentException e) { throw new CliException(e.Message, CliApp.UsageError); }
            log.LogInformation("batcher {Address} posting to inbox {Inbox}", sender.From, rollup.BatchInboxAddress);
            try { await service.RunAsync(ct); }
            catch (OperationCanceledException) when (ct.IsCancellationRequested) { }
            return CliApp.Ok;
        });
        return cmd;
    }
}
