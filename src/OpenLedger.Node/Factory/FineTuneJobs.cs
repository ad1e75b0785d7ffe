using System.Text.Json;
using System.Text.RegularExpressions;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using OpenLedger.AI.Factory;
using OpenLedger.AI.Lora;
using OpenLedger.AI.Provenance;
using OpenLedger.AI.Tensors;
using OpenLedger.AI.Training;
using OpenLedger.Datanets;

namespace OpenLedger.Node.Factory;

/// <summary>
/// Fine-tune jobs run in the background with ModelFactory's trainer (the `model train --datanet` path): one at a time,
/// in submission order, on a published Datanet version fetched from this node's Datanets API (bytes, proofs and the root
/// checked, the root against DatanetRegistry). Each job is a JSON file under DATA/jobs, rewritten atomically as it moves
/// (the loss history at most every half second), so a restarted node reports finished and failed jobs; a job the
/// restart interrupted is failed with that reason. A finished adapter (PEFT layout, sketches, provenance) lands in
/// DATA/adapters/&lt;adapter hash&gt;/, the layout `openledger serve --adapters` looks up registered adapters in.
/// </summary>
public sealed partial class FineTuneJobs : IAsyncDisposable
{
    public const string Queued = "queued", Running = "running", Succeeded = "succeeded", Failed = "failed";
    public const int MaxWaiting = 16;

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };
    private readonly string _jobsDir, _workDir;
    private readonly string _modelsDir;
    private readonly Func<string> _apiUrl;
    private readonly ChainEndpoint? _chain;
    private readonly ILogger _log;
    private readonly Lock _lock = new();
    private readonly Dictionary<long, FineTuneJobDto> _jobs = [];
    private readonly Channel<long> _queue = Channel.CreateUnbounded<long>();
    private readonly CancellationTokenSource _stop = new();
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(30) };
    private Task _worker = Task.CompletedTask;
    private long _lastId;

    public string AdaptersDir { get; }

    /// <param name="dataDir">Where jobs and adapters are kept.</param>
    /// <param name="modelsDir">Base models, one directory each (config.json, model.safetensors, tokenizer.json).</param>
    /// <param name="apiUrl">This node's Datanets API (known once it listens).</param>
    /// <param name="chain">The L2 and DatanetRegistry the version roots are checked against.</param>
    public FineTuneJobs(string dataDir, string modelsDir, Func<string> apiUrl, ChainEndpoint? chain, ILogger log)
    {
        _jobsDir = Path.Combine(dataDir, "jobs");
        _workDir = Path.Combine(dataDir, "work");
        AdaptersDir = Path.Combine(dataDir, "adapters");
        _modelsDir = Path.GetFullPath(modelsDir);
        if (!Directory.Exists(_modelsDir)) throw new InvalidOperationException($"the models directory {_modelsDir} does not exist");
        _apiUrl = apiUrl;
        _chain = chain;
        _log = log;
        Directory.CreateDirectory(_jobsDir);
        Directory.CreateDirectory(_workDir);
        Directory.CreateDirectory(AdaptersDir);
        LoadJobs();
    }

    private void LoadJobs()
    {
        foreach (var file in Directory.EnumerateFiles(_jobsDir, "*.json"))
        {
            FineTuneJobDto? job;
            try
            {
                job = JsonSerializer.Deserialize<FineTuneJobDto>(File.ReadAllText(file), Json);
            }
            catch (Exception e) when (e is JsonException or IOException)
            {
                _log.LogError("fine-tune job file {File} is unreadable, skipped: {Message}", file, e.Message);
                continue;
            }
            if (job == null || Path.GetFileNameWithoutExtension(file) != job.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)) continue;
            if (!job.Finished)
            {
                job = job with { Status = Failed, Error = $"interrupted: the node stopped while the job was {job.Status} (submit it again)", FinishedAt = DateTimeOffset.UtcNow };
                Save(job);
            }
            _jobs[job.Id] = job;
            _lastId = Math.Max(_lastId, job.Id);
        }
    }

    public void Start() => _worker = Task.Run(() => WorkAsync(_stop.Token));

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$")]
    private static partial Regex ModelName();

    /// <summary>The base models: directories of the models directory with a config.json and weights.</summary>
    public IReadOnlyList<string> BaseModels() =>
        Directory.EnumerateDirectories(_modelsDir)
            .Where(d => File.Exists(Path.Combine(d, "config.json")) && File.Exists(Path.Combine(d, "model.safetensors")) && File.Exists(Path.Combine(d, "tokenizer.json")))
            .Select(Path.GetFileName).OfType<string>().Where(n => ModelName().IsMatch(n)).Order(StringComparer.Ordinal).ToList();

    public IReadOnlyList<FineTuneJobDto> List()
    {
        lock (_lock) return _jobs.Values.OrderByDescending(j => j.Id).ToList();
    }

    public FineTuneJobDto? Get(long id)
    {
        lock (_lock) return _jobs.GetValueOrDefault(id);
    }

    /// <summary>The hyperparameters with defaults filled in, each range checked (400 naming the field).</summary>
    public static FineTuneHyperparameters Validate(FineTuneHyperparameters? h)
    {
        h ??= new FineTuneHyperparameters();
        var v = new FineTuneHyperparameters(h.Steps ?? 20, h.Rank ?? 8, h.Alpha ?? 16, h.LearningRate ?? 1e-3, h.BatchSize ?? 4, h.MaxLength ?? 256, h.Seed ?? 42);
        static ApiException Bad(string field, string why) => new(400, "Invalid hyperparameters", $"hyperparameters.{field} {why}");
        if (v.Steps is < 1 or > 5000) throw Bad("steps", $"must be between 1 and 5000, got {v.Steps}");
        if (v.Rank is < 1 or > 64) throw Bad("rank", $"must be between 1 and 64, got {v.Rank}");
        if (!(v.Alpha > 0 && v.Alpha <= 1024)) throw Bad("alpha", $"must be in (0, 1024], got {v.Alpha}");
        if (!(v.LearningRate > 0 && v.LearningRate <= 1)) throw Bad("learningRate", $"must be in (0, 1], got {v.LearningRate}");
        if (v.BatchSize is < 1 or > 64) throw Bad("batchSize", $"must be between 1 and 64, got {v.BatchSize}");
        if (v.MaxLength is < 8 or > 4096) throw Bad("maxLength", $"must be between 8 and 4096, got {v.MaxLength}");
        return v;
    }

    /// <summary>Checks the request (the base model exists here, the Datanet version is published) and queues the job.</summary>
    public async Task<FineTuneJobDto> SubmitAsync(FineTuneRequest r, CancellationToken ct)
    {
        if (r.DatanetId <= 0) throw new ApiException(400, "Invalid request", $"datanetId must be a positive Datanet id, got {r.DatanetId}");
        if (r.Version <= 0) throw new ApiException(400, "Invalid request", $"version must be a published version number (1, 2, ...), got {r.Version}");
        if (string.IsNullOrEmpty(r.BaseModel)) throw new ApiException(400, "Invalid request", "baseModel is required (GET /api/factory/models lists them)");
        if (!ModelName().IsMatch(r.BaseModel) || !BaseModels().Contains(r.BaseModel))
            throw new ApiException(400, "Unknown base model", $"baseModel '{r.BaseModel}' is not in the models directory (GET /api/factory/models lists them)");
        var hyper = Validate(r.Hyperparameters);
        await RequirePublishedAsync(r.DatanetId, r.Version, ct);
        FineTuneJobDto job;
        lock (_lock)
        {
            if (_jobs.Values.Count(j => !j.Finished) >= MaxWaiting)
                throw new ApiException(429, "Too many jobs", $"{MaxWaiting} fine-tune jobs are already queued or running; try again when one finishes") { RetryAfter = TimeSpan.FromSeconds(30) };
            job = new FineTuneJobDto
            {
                Id = ++_lastId, Status = Queued, DatanetId = r.DatanetId, Version = r.Version, BaseModel = r.BaseModel, Hyperparameters = hyper,
                TotalSteps = hyper.Steps!.Value, CreatedAt = DateTimeOffset.UtcNow,
            };
            _jobs[job.Id] = job;
            Save(job);
        }
        _queue.Writer.TryWrite(job.Id);
        return job;
    }

    private async Task RequirePublishedAsync(long datanetId, long version, CancellationToken ct)
    {
        using (var d = await _http.GetAsync($"{_apiUrl()}/api/datanets/{datanetId}", ct))
        {
            if (d.StatusCode == System.Net.HttpStatusCode.NotFound) throw new ApiException(404, "Unknown Datanet", $"Datanet {datanetId} does not exist (or is not indexed yet)");
            if (!d.IsSuccessStatusCode) throw new ApiException(503, "Datanets API unavailable", $"reading Datanet {datanetId} answered HTTP {(int)d.StatusCode}");
        }
        using var resp = await _http.GetAsync($"{_apiUrl()}/api/datanets/{datanetId}/versions", ct);
        if (!resp.IsSuccessStatusCode) throw new ApiException(503, "Datanets API unavailable", $"listing the versions of Datanet {datanetId} answered HTTP {(int)resp.StatusCode}");
        using var doc = JsonDocument.Parse(await resp.Content.ReadAsStringAsync(ct));
        if (!doc.RootElement.EnumerateArray().Any(v => v.GetProperty("version").GetInt64() == version))
            throw new ApiException(400, "Unknown version", $"Datanet {datanetId} has no published version {version}");
    }

    private void Update(long id, Func<FineTuneJobDto, FineTuneJobDto> change, bool persist = true)
    {
        lock (_lock)
        {
            var j = change(_jobs[id]);
            _jobs[id] = j;
            if (persist) Save(j);
        }
    }

    private void Save(FineTuneJobDto job) =>
        AtomicFile.WriteAllText(Path.Combine(_jobsDir, job.Id.ToString(System.Globalization.CultureInfo.InvariantCulture) + ".json"), JsonSerializer.Serialize(job, Json));

    private async Task WorkAsync(CancellationToken ct)
    {
        try
        {
            await foreach (var id in _queue.Reader.ReadAllAsync(ct))
                await RunAsync(id, ct);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested) { }
    }

    private async Task RunAsync(long id, CancellationToken ct)
    {
        var job = Get(id)!;
        Update(id, j => j with { Status = Running, StartedAt = DateTimeOffset.UtcNow });
        var work = Path.Combine(_workDir, id.ToString(System.Globalization.CultureInfo.InvariantCulture));
        try
        {
            if (Directory.Exists(work)) Directory.Delete(work, recursive: true);
            var source = await ModelFactory.DatanetVersionAsync(_apiUrl(), (ulong)job.DatanetId, (ulong)job.Version, _chain, "auto", ct);
            var h = job.Hyperparameters;
            var options = new TrainerOptions
            {
                Epochs = 1, MaxSteps = h.Steps!.Value, BatchSize = h.BatchSize!.Value, LearningRate = (float)h.LearningRate!.Value,
                MaxLength = h.MaxLength!.Value, Seed = h.Seed!.Value,
            };
            options.Validate();
            var lora = new LoraConfig { Rank = h.Rank!.Value, Alpha = h.Alpha!.Value, TargetModules = ["q_proj", "v_proj"] };
            var losses = new List<LossPoint>();
            long lastSave = 0;
            var result = await Task.Run(() => ModelFactory.FineTune(Path.Combine(_modelsDir, job.BaseModel), source, lora, options, work, resume: false,
                sketchK: 256, sketchSeed: 1, step =>
                {
                    ct.ThrowIfCancellationRequested();
                    losses.Add(new LossPoint(step.Step, step.Loss));
                    var now = Environment.TickCount64;
                    bool persist = now - lastSave >= 500;
                    if (persist) lastSave = now;
                    var snapshot = losses.ToArray();
                    Update(id, j => j with { Step = step.Step, TotalSteps = step.TotalSteps, Losses = snapshot }, persist);
                }), ct);
            // Adapters are kept under their hash: the same weights trained twice are one directory.
            var final = Path.Combine(AdaptersDir, result.AdapterHash.ToString()[2..]);
            if (Directory.Exists(final)) Directory.Delete(work, recursive: true); else Directory.Move(work, final);
            Update(id, j => j with
            {
                Status = Succeeded, FinishedAt = DateTimeOffset.UtcNow, Step = result.Trainer.Step, Losses = losses.ToArray(),
                AdapterHash = result.AdapterHash.ToString(), TrainingConfigHash = result.TrainingConfigHash, Examples = result.Trainer.TrainSet.Count,
                TrainedOn = source.DatanetVersions.Select(d => new TrainedOnRef((long)d.Ref.DatanetId, (long)d.Ref.Version, d.Ref.Root.ToString())).ToList(),
            });
            _log.LogInformation("fine-tune job {Id} finished: adapter {Hash}", id, result.AdapterHash);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            Update(id, j => j with { Status = Failed, Error = "stopped: the node shut down while the job ran (submit it again)", FinishedAt = DateTimeOffset.UtcNow });
        }
        catch (Exception e) when (e is InvalidOperationException or InvalidDataException or IOException or ArgumentException or HttpRequestException
            or JsonException or FormatException or UnauthorizedAccessException or OperationCanceledException)
        {
            _log.LogWarning("fine-tune job {Id} failed: {Message}", id, e.Message);
            Update(id, j => j with { Status = Failed, Error = e.Message, FinishedAt = DateTimeOffset.UtcNow });
        }
    }

    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await _stop.CancelAsync();
        try { await _worker; } catch (OperationCanceledException) { }
        _stop.Dispose();
        _http.Dispose();
    }
}
