using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using OpenLedger.Attribution.Records;
using OpenLedger.Primitives;
using OpenLedger.Settlement.Chain;
using OpenLedger.Settlement.Queue;

namespace OpenLedger.Settlement.Prover;

/// <summary>Where a running prover reads the serving node's files and writes its own.</summary>
public sealed record ProverServiceOptions
{
    /// <summary>The serving node's records.jsonl (its payments journal).</summary>
    public required string RecordsPath { get; init; }
    /// <summary>The serving node's inference-log.jsonl, replayed on <see cref="BaseModelDir"/> + <see cref="AdaptersDir"/>.</summary>
    public required string InferenceLogPath { get; init; }
    public required string BaseModelDir { get; init; }
    public required string AdaptersDir { get; init; }
    /// <summary>epoch-N.json files and prover-state.json (the next epoch to close) go here.</summary>
    public required string OutputDir { get; init; }
    public required byte[] PosterKey { get; init; }
    /// <summary>The Datanets API to publish leaves and records to (null: not published).</summary>
    public string? DatanetsApi { get; init; }
    public Address? StakersPool { get; init; }
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromSeconds(2);
}

/// <summary>
/// `openledger prover` as a service: closes every epoch once the chain has passed its end. For each epoch in order it
/// reads AttributionRewards: nothing deposited → nothing to post; not posted → recompute the records from the serving
/// node's inference log (<see cref="EpochProver"/>), post the root, write epoch-N.json; already posted (this prover
/// crashed between posting and writing, or someone else posted) → rebuild and keep the file only when the roots agree.
/// Then it publishes the leaves and records to the Datanets API. The next epoch to look at is kept in
/// prover-state.json (written atomically after each epoch), so a kill -9 resumes where it stopped.
/// </summary>
public sealed class EpochProverService(PaymentsContract payments, RewardsContract rewards, RegistryReads registries, ProverServiceOptions options, ILogger logger)
{
    public const string StateFile = "prover-state.json";

    public string EpochFilePath(ulong epoch) => Path.Combine(options.OutputDir, $"epoch-{epoch.ToString(CultureInfo.InvariantCulture)}.json");

    public async Task RunAsync(CancellationToken ct)
    {
        Directory.CreateDirectory(options.OutputDir);
        while (!ct.IsCancellationRequested)
        {
            try { await StepAsync(ct); }
            catch (OperationCanceledException) when (ct.IsCancellationRequested) { break; }
            catch (Exception e) { logger.LogWarning("prover: {Message} (retrying)", e.Message); }
            try { await Task.Delay(options.PollInterval, ct); }
            catch (OperationCanceledException) { break; }
        }
    }

    /// <summary>Closes every epoch that has ended since the last step; returns how many were closed or skipped.</summary>
    public async Task<int> StepAsync(CancellationToken ct = default)
    {
        ulong next = ReadState();
        ulong current = await payments.CurrentEpochAsync();
        int done = 0;
        for (; next < current; next++)
        {
            ct.ThrowIfCancellationRequested();
            // currentEpoch is the epoch of the latest block: every epoch before it has ended, no charge can enter it.
            await CloseAsync(next, ct);
            WriteState(next + 1);
            done++;
        }
        return done;
    }

    private async Task CloseAsync(ulong epoch, CancellationToken ct)
    {
        var onChain = await rewards.GetEpochAsync(epoch);
        if (onChain.Fees.IsZero && !onChain.Posted) return; // no fees: nothing to distribute, no root
        var path = EpochFilePath(epoch);
        if (onChain.Posted && File.Exists(path))
        {
            var existing = JsonNode.Parse(await File.ReadAllTextAsync(path, ct))!.AsObject();
            if (existing["root"]?.GetValue<string>() == onChain.Root.ToString()) { await PublishAsync(epoch, existing, ct); return; }
        }
        var records = File.Exists(options.RecordsPath) ? SettlementJournal.ReadRecords(options.RecordsPath) : new Dictionary<Hash256, AttributionRecord>();
        InferenceReplay? replay = File.Exists(options.InferenceLogPath) ? new InferenceReplay([options.InferenceLogPath], options.BaseModelDir, options.AdaptersDir) : null;
        using var reproducer = new RecordReproducer([], Serving.Attribution.InferenceAttributor.DefaultTopK, replay: replay);
        var prover = new EpochProver(payments, rewards, registries, reproducer, logger);
        var file = await prover.BuildAsync(epoch, records, options.StakersPool, posted: onChain.Posted);
        foreach (var r in file.Rejected) logger.LogWarning("prover: epoch {Epoch}: charge {User}:{Nonce} left out: {Reason}", epoch, r.Charge.User, r.Charge.Nonce, r.Reason);
        if (onChain.Posted)
        {
            if (file.Result.Root != onChain.Root)
            {
                logger.LogWarning("prover: epoch {Epoch} was posted with root {Posted}; the records here give {Ours}: not publishing", epoch, onChain.Root, file.Result.Root);
                return;
            }
        }
        else if (file.Result.Tree == null)
        {
            logger.LogWarning("prover: epoch {Epoch} has {Fees} wei of fees but no accepted record: nothing to post (the fees go to the treasury on release)", epoch, onChain.Fees);
            return;
        }
        else
        {
            var receipt = await prover.PostAsync(file, options.PosterKey);
            logger.LogInformation("prover: posted root {Root} for epoch {Epoch} ({Records} records, distributable {Total}) in tx {Tx}",
                file.Result.Root, epoch, file.Entries.Count, file.Result.Distributable, receipt.TransactionHash);
        }
        var json = file.ToJson();
        WriteAtomic(path, json);
        await PublishAsync(epoch, json, ct);
    }

    private async Task PublishAsync(ulong epoch, JsonObject json, CancellationToken ct)
    {
        if (options.DatanetsApi is not { } api) return;
        await EpochPublisher.PublishAsync(api, epoch, json, ct);
        logger.LogInformation("prover: published epoch {Epoch}'s leaves and records to {Api}", epoch, api);
    }

    private ulong ReadState()
    {
        var path = Path.Combine(options.OutputDir, StateFile);
        if (!File.Exists(path)) return 0;
        var node = JsonNode.Parse(File.ReadAllText(path)) ?? throw new InvalidDataException($"{path} is empty");
        return node["nextEpoch"]?.GetValue<ulong>() ?? throw new InvalidDataException($"{path} has no nextEpoch");
    }

    private void WriteState(ulong next) => WriteAtomic(Path.Combine(options.OutputDir, StateFile), new JsonObject { ["nextEpoch"] = next });

    private static void WriteAtomic(string path, JsonNode node)
    {
        var tmp = path + ".tmp";
        using (var f = new FileStream(tmp, FileMode.Create, FileAccess.Write))
        {
            f.Write(System.Text.Encoding.UTF8.GetBytes(node.ToJsonString(new System.Text.Json.JsonSerializerOptions { WriteIndented = true }) + "\n"));
            f.Flush(flushToDisk: true);
        }
        File.Move(tmp, path, overwrite: true);
    }
}
