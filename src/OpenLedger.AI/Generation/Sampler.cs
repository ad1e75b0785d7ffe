using OpenLedger.AI.Compute;

namespace OpenLedger.AI.Generation;

/// <summary>Sampling settings: temperature 0 is greedy; top-p keeps the smallest set of tokens whose mass reaches p.</summary>
public sealed record SamplingOptions
{
    public float Temperature { get; init; }
    public float TopP { get; init; } = 1f;
    public ulong Seed { get; init; } = 1;
    public int MaxNewTokens { get; init; } = 64;
    public string[] StopSequences { get; init; } = [];

    public void Validate()
    {
        if (!(Temperature >= 0) || float.IsInfinity(Temperature)) throw new ArgumentException($"temperature must be ≥ 0, is {Temperature}");
        if (!(TopP > 0 && TopP <= 1)) throw new ArgumentException($"top_p must lie in (0, 1], is {TopP}");
        if (MaxNewTokens <= 0) throw new ArgumentException($"max new tokens must be positive, is {MaxNewTokens}");
    }
}

/// <summary>Picks the next token from logits; seeded, so the same seed and logits give the same tokens.</summary>
public sealed class Sampler(SamplingOptions options)
{
    private readonly SplitMix _rng = new(options.Seed);

    public int Next(ReadOnlySpan<float> logits)
    {
        if (options.Temperature == 0) return ArgMax(logits);
        int n = logits.Length;
        float max = float.NegativeInfinity;
        for (int i = 0; i < n; i++) if (logits[i] > max) max = logits[i];
        var probs = new double[n];
        double sum = 0;
        for (int i = 0; i < n; i++) { probs[i] = DetMath.Exp((logits[i] - max) / options.Temperature); sum += probs[i]; }
        var order = Enumerable.Range(0, n).ToArray();
        if (options.TopP < 1)
        {
            Array.Sort(order, (a, b) => probs[b].CompareTo(probs[a]) is var c && c != 0 ? c : a.CompareTo(b));
            double mass = 0; int keep = 0;
            while (keep < n) { mass += probs[order[keep]] / sum; keep++; if (mass >= options.TopP) break; }
            order = order[..keep];
            sum = order.Sum(i => probs[i]);
        }
        double u = _rng.NextDouble() * sum, acc = 0;
        foreach (int i in order) { acc += probs[i]; if (u < acc) return i; }
        return order[^1];
    }

    public static int ArgMax(ReadOnlySpan<float> logits)
    {
        int best = 0;
        for (int i = 1; i < logits.Length; i++) if (logits[i] > logits[best]) best = i;
        return best;
    }
}
