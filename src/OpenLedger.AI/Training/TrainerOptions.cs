namespace OpenLedger.AI.Training;

public sealed record TrainerOptions
{
    public int Epochs { get; init; } = 1;
    /// <summary>Total optimizer steps; 0 = derived from epochs.</summary>
    public int MaxSteps { get; init; }
    public int BatchSize { get; init; } = 4;
    public int GradientAccumulation { get; init; } = 1;
    public float LearningRate { get; init; } = 2e-4f;
    public float MinLearningRate { get; init; }
    public int WarmupSteps { get; init; }
    public float WeightDecay { get; init; }
    public float MaxGradNorm { get; init; } = 1f;
    public ulong Seed { get; init; } = 42;
    public int MaxLength { get; init; } = 256;
    public double EvalFraction { get; init; }
    /// <summary>0 = only at the end.</summary>
    public int CheckpointEvery { get; init; }

    public void Validate()
    {
        if (Epochs <= 0 && MaxSteps <= 0) throw new ArgumentException("epochs or max steps must be positive");
        if (BatchSize <= 0) throw new ArgumentException($"batch size must be positive, is {BatchSize}");
        if (GradientAccumulation <= 0) throw new ArgumentException($"gradient accumulation must be positive, is {GradientAccumulation}");
        if (!(LearningRate > 0)) throw new ArgumentException($"learning rate must be positive, is {LearningRate}");
        if (WarmupSteps < 0) throw new ArgumentException("warm-up steps must be ≥ 0");
        if (EvalFraction is < 0 or >= 1) throw new ArgumentException($"eval fraction must lie in [0, 1), is {EvalFraction}");
        if (MaxLength < 2) throw new ArgumentException("max length must be at least 2");
    }

    public string Hash()
    {
        var json = System.Text.Json.JsonSerializer.Serialize(this);
        return "0x" + Convert.ToHexStringLower(OpenLedger.Primitives.Keccak256.Compute(System.Text.Encoding.UTF8.GetBytes(json)).ToArray());
    }
}

public sealed record StepReport(int Step, int TotalSteps, double Loss, double GradNorm, float LearningRate, long Tokens, double TokensPerSecond, TimeSpan Eta);
