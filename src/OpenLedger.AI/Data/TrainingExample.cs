using OpenLedger.AI.Tokenization;

namespace OpenLedger.AI.Data;

/// <summary>One training example: a prompt (no loss taken) and a response (trained), from one contribution.</summary>
public sealed record TrainingExample(ulong ContributionId, string Prompt, string Response)
{
    /// <summary>Inputs and next-token targets: prompt ++ response ++ EOS, loss only on the response and EOS.</summary>
    public TokenizedExample Tokenize(HfTokenizer tokenizer, int? eos, int maxLength)
    {
        var p = Prompt.Length > 0 ? tokenizer.Encode(Prompt) : [];
        var r = tokenizer.Encode(Response);
        var ids = new List<int>(p.Length + r.Length + 1);
        ids.AddRange(p); ids.AddRange(r);
        if (eos is { } e) ids.Add(e);
        if (ids.Count < 2) throw new InvalidDataException($"contribution {ContributionId}: the example has fewer than two tokens");
        if (ids.Count > maxLength + 1) ids.RemoveRange(maxLength + 1, ids.Count - maxLength - 1);
        int n = ids.Count - 1;
        var inputs = ids.Take(n).ToArray();
        var targets = new int[n];
        for (int i = 0; i < n; i++) targets[i] = i + 1 >= Math.Max(1, p.Length) ? ids[i + 1] : -1;
        if (targets.All(t => t < 0)) throw new InvalidDataException($"contribution {ContributionId}: the prompt fills the {maxLength}-token context, leaving nothing to train on");
        return new TokenizedExample(ContributionId, inputs, targets);
    }
}

public sealed record TokenizedExample(ulong ContributionId, int[] Inputs, int[] Targets)
{
    public int TargetCount => Targets.Count(t => t >= 0);
}
