using System.Text.Json.Serialization;

namespace OpenLedger.Node.Factory;

/// <summary>What POST /api/factory/jobs takes: a published Datanet version, a base model of the models directory, hyperparameters (all optional).</summary>
public sealed record FineTuneRequest(long DatanetId, long Version, string? BaseModel, FineTuneHyperparameters? Hyperparameters);

/// <summary>The hyperparameters a browser may set; null = the default. <see cref="FineTuneJobs.Validate"/> checks each range.</summary>
public sealed record FineTuneHyperparameters(int? Steps = null, int? Rank = null, double? Alpha = null, double? LearningRate = null,
    int? BatchSize = null, int? MaxLength = null, ulong? Seed = null);

public sealed record LossPoint(int Step, double Loss);

/// <summary>One Datanet version a job trained on, as ModelRegistry.registerModel takes it.</summary>
public sealed record TrainedOnRef(long DatanetId, long Version, string Root);

/// <summary>A fine-tune job as the API reports it and as it is stored (jobs/&lt;id&gt;.json).</summary>
public sealed record FineTuneJobDto
{
    public required long Id { get; init; }
    /// <summary>queued, running, succeeded or failed.</summary>
    public required string Status { get; init; }
    public required long DatanetId { get; init; }
    public required long Version { get; init; }
    public required string BaseModel { get; init; }
    public required FineTuneHyperparameters Hyperparameters { get; init; }
    public int Step { get; init; }
    public int TotalSteps { get; init; }
    public IReadOnlyList<LossPoint> Losses { get; init; } = [];
    public string? Error { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset? StartedAt { get; init; }
    public DateTimeOffset? FinishedAt { get; init; }
    /// <summary>keccak-256 of adapter_model.safetensors (what ModelRegistry records and serve checks).</summary>
    public string? AdapterHash { get; init; }
    public string? TrainingConfigHash { get; init; }
    public IReadOnlyList<TrainedOnRef> TrainedOn { get; init; } = [];
    /// <summary>Contributions with a gradient sketch (the ones attribution can credit).</summary>
    public int? Examples { get; init; }
    [JsonIgnore] public bool Finished => Status is FineTuneJobs.Succeeded or FineTuneJobs.Failed;
}
