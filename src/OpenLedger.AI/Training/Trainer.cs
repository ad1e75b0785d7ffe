using System.Diagnostics;
using System.Text.Json.Nodes;
using OpenLedger.AI.Compute;
using OpenLedger.AI.Data;
using OpenLedger.AI.Model;
using OpenLedger.AI.Tensors;

namespace OpenLedger.AI.Training;

/// <summary>
/// Seeded, deterministic training of either the LoRA adapter (fine-tuning) or all base weights (pretraining).
/// Step s takes its examples from a per-epoch permutation derived from the seed, so a run resumed from a checkpoint
/// (weights, AdamW moments, step) continues exactly as the uninterrupted run would.
/// </summary>
public sealed class Trainer
{
    private readonly LlamaModel _model;
    private readonly bool _trainBase;
    private readonly TrainerOptions _o;
    private readonly List<TokenizedExample> _train;
    private readonly AdamW _opt;
    public IReadOnlyList<TokenizedExample> EvalSet { get; }
    public int TotalSteps { get; }
    public List<(int Step, double Loss)> LossHistory { get; } = new();
    public List<(int Step, double Loss)> EvalHistory { get; } = new();

    public Trainer(LlamaModel model, bool trainBase, IReadOnlyList<TokenizedExample> examples, TrainerOptions options)
    {
        options.Validate();
        if (!trainBase && model.Adapter == null) throw new ArgumentException("fine-tuning needs an adapter on the model");
        _model = model; _trainBase = trainBase; _o = options;
        if (examples.Count == 0) throw new ArgumentException("no training examples");
        // seeded split: the eval set is a fixed sample, the rest trains
        var order = Permutation(examples.Count, options.Seed ^ 0x5EED_E7A1UL);
        int nEval = (int)Math.Floor(examples.Count * options.EvalFraction);
        EvalSet = order.Take(nEval).Order().Select(i => examples[i]).ToList();
        _train = order.Skip(nEval).Order().Select(i => examples[i]).ToList();
        if (_train.Count == 0) throw new ArgumentException("the eval fraction leaves no training examples");
        int perStep = options.BatchSize * options.GradientAccumulation;
        TotalSteps = options.MaxSteps > 0 ? options.MaxSteps : Math.Max(1, (int)Math.Ceiling((double)_train.Count * options.Epochs / perStep));
        var parameters = trainBase ? model.Weights.All().ToList() : model.Adapter!.Parameters().ToList();
        foreach (var p in parameters) p.EnsureGrad();
        _opt = new AdamW(parameters, weightDecay: options.WeightDecay);
    }

    public int Step => (int)_opt.Step;

    private static int[] Permutation(int n, ulong seed)
    {
        var rng = new SplitMix(seed);
        var p = Enumerable.Range(0, n).ToArray();
        for (int i = n - 1; i > 0; i--) { int j = (int)(rng.Next() % (ulong)(i + 1)); (p[i], p[j]) = (p[j], p[i]); }
        return p;
    }

    /// <summary>The examples of step s: positions s·B … (s+1)·B − 1 of the epoch-concatenated permutations.</summary>
    private List<TokenizedExample> ExamplesOf(int step)
    {
        int perStep = _o.BatchSize * _o.GradientAccumulation, n = _train.Count;
        var list = new List<TokenizedExample>(perStep);
        int[]? perm = null; int permEpoch = -1;
        for (long pos = (long)step * perStep; pos < (long)(step + 1) * perStep; pos++)
        {
            int epoch = (int)(pos / n);
            if (epoch != permEpoch) { perm = Permutation(n, _o.Seed + (ulong)epoch); permEpoch = epoch; }
            list.Add(_train[perm![(int)(pos % n)]]);
        }
        return list;
    }

    /// <summary>Runs until <see cref="TotalSteps"/>, reporting each step and checkpointing when asked.</summary>
    public void Run(Action<StepReport>? progress = null, Action<int>? checkpoint = null, CancellationToken cancel = default)
    {
        var sw = Stopwatch.StartNew();
        long tokens = 0; int startStep = Step;
        while (Step < TotalSteps)
        {
            cancel.ThrowIfCancellationRequested();
            int step = Step;
            var batch = ExamplesOf(step);
            foreach (var p in _opt.Parameters) Array.Clear(p.Grad!);
            int count = batch.Sum(e => e.TargetCount);
            double loss = 0;
            foreach (var ex in batch)
            {
                loss += _model.ForwardBackward(ex.Inputs, ex.Targets, 1f / count, _trainBase, !_trainBase).Loss;
                tokens += ex.Inputs.Length;
            }
            double norm = _opt.ClipGradients(_o.MaxGradNorm);
            float lr = LrSchedule.At(step, TotalSteps, _o.WarmupSteps, _o.LearningRate, _o.MinLearningRate);
            _opt.Update(lr);
            double mean = loss / count;
            LossHistory.Add((Step, mean));
            double tps = tokens / Math.Max(1e-9, sw.Elapsed.TotalSeconds);
            var eta = TimeSpan.FromSeconds(sw.Elapsed.TotalSeconds / (Step - startStep) * (TotalSteps - Step));
            progress?.Invoke(new StepReport(Step, TotalSteps, mean, norm, lr, tokens, tps, eta));
            if (_o.CheckpointEvery > 0 && Step % _o.CheckpointEvery == 0 && Step < TotalSteps) checkpoint?.Invoke(Step);
        }
        if (EvalSet.Count > 0) EvalHistory.Add((Step, Evaluate(_model, EvalSet).MeanLoss));
    }

    /// <summary>Mean token cross-entropy and perplexity over a set.</summary>
    public static (double MeanLoss, double Perplexity, int Tokens) Evaluate(LlamaModel model, IReadOnlyList<TokenizedExample> set)
    {
        double sum = 0; int n = 0;
        foreach (var ex in set)
        {
            var (l, c) = model.ForwardBackward(ex.Inputs, ex.Targets, 1, false, false, backward: false);
            sum += l; n += c;
        }
        if (n == 0) throw new ArgumentException("the eval set has no target tokens");
        double mean = sum / n;
        return (mean, Math.Exp(mean), n);
    }

    // ---- checkpoints: trained tensors + AdamW moments + trainer_state.json, each file written atomically ----

    public void SaveCheckpoint(string directory)
    {
        string tmp = directory + ".partial";
        if (Directory.Exists(tmp)) Directory.Delete(tmp, true);
        Directory.CreateDirectory(tmp);
        var ps = _opt.Parameters;
        var entries = new List<SafeTensorsWriter.Entry>();
        for (int k = 0; k < ps.Count; k++)
        {
            entries.Add(new(ps[k].Name, ps[k].Shape, ps[k].Data));
            entries.Add(new(ps[k].Name + ".exp_avg", ps[k].Shape, _opt.M[k]));
            entries.Add(new(ps[k].Name + ".exp_avg_sq", ps[k].Shape, _opt.V[k]));
        }
        SafeTensorsWriter.Write(Path.Combine(tmp, "training_state.safetensors"), entries);
        var state = new JsonObject
        {
            ["global_step"] = Step, ["total_steps"] = TotalSteps, ["options_hash"] = _o.Hash(),
            ["log_history"] = new JsonArray(LossHistory.Select(h => (JsonNode)new JsonObject { ["step"] = h.Step, ["loss"] = h.Loss }).ToArray()),
        };
        AtomicFile.WriteAllText(Path.Combine(tmp, "trainer_state.json"), state.ToJsonString());
        if (Directory.Exists(directory)) Directory.Delete(directory, true);
        Directory.Move(tmp, directory);
    }

    public void LoadCheckpoint(string directory)
    {
        var state = JsonNode.Parse(File.ReadAllText(Path.Combine(directory, "trainer_state.json")))!.AsObject();
        if (state["options_hash"]?.GetValue<string>() != _o.Hash())
            throw new InvalidDataException($"{directory}: the checkpoint was written with other training options; resume with the same options");
        using var f = SafeTensorsFile.Open(Path.Combine(directory, "training_state.safetensors"));
        var ps = _opt.Parameters;
        for (int k = 0; k < ps.Count; k++)
        {
            f.ReadFloat(ps[k].Name, ps[k].Shape).CopyTo(ps[k].Data, 0);
            f.ReadFloat(ps[k].Name + ".exp_avg", ps[k].Shape).CopyTo(_opt.M[k], 0);
            f.ReadFloat(ps[k].Name + ".exp_avg_sq", ps[k].Shape).CopyTo(_opt.V[k], 0);
        }
        _opt.Step = state["global_step"]!.GetValue<int>();
        LossHistory.Clear();
        foreach (var h in state["log_history"] as JsonArray ?? []) LossHistory.Add((h!["step"]!.GetValue<int>(), h["loss"]!.GetValue<double>()));
    }

    /// <summary>The newest checkpoint-N directory under a run directory, if any.</summary>
    public static string? LatestCheckpoint(string runDirectory) =>
        Directory.Exists(runDirectory)
            ? Directory.GetDirectories(runDirectory, "checkpoint-*")
                .Select(d => (d, ok: int.TryParse(Path.GetFileName(d)["checkpoint-".Length..], out int n), n))
                .Where(x => x.ok).OrderByDescending(x => x.n).Select(x => x.d).FirstOrDefault()
            : null;
}
