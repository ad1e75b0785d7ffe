using OpenLedger.AI.Factory;
using OpenLedger.AI.Training;

namespace OpenLedger.Node.Devnet;

/// <summary>
/// The devnet's base model, made by the project itself (no model hub is reachable): what `openledger model init` and a
/// short `openledger model pretrain` on <c>deploy/devnet-corpus.txt</c> write, with fixed seeds, so every devnet makes
/// the same bits. Built once into a temporary directory and renamed into place, so a devnet killed halfway leaves
/// nothing half-written, and a directory that exists is used as it is.
/// </summary>
public static class DevnetModel
{
    /// <summary>Small enough to make in seconds on two cores: GPT-2's vocabulary with a 2-layer, 64-wide decoder.</summary>
    public static readonly BaseModelShape Shape = new(Hidden: 64, Layers: 2, Heads: 4, KvHeads: 2, Intermediate: 128, MaxPositions: 256);
    public const string Name = "devnet-base";
    public const int PretrainSteps = 8;
    /// <summary>Bumped whenever the recipe changes, so a cached model from an older recipe is not reused.</summary>
    public const string Recipe = "v1";

    /// <summary>Where the model lives: in the data directory, or (an in-memory devnet) in the user's cache, shared by devnets.</summary>
    public static string DirectoryFor(string? dataDir)
    {
        if (dataDir != null) return Path.Combine(dataDir, "model", Name);
        var cache = Environment.GetEnvironmentVariable("XDG_CACHE_HOME") is { Length: > 0 } x ? x
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache");
        return Path.Combine(cache, "openledger", $"{Name}-{Recipe}");
    }

    /// <summary>Makes the model unless it is there; returns its directory.</summary>
    public static async Task<string> EnsureAsync(string directory, string repoRoot, TextWriter output)
    {
        if (File.Exists(Path.Combine(directory, "config.json"))) return directory;
        var corpus = Path.Combine(repoRoot, "deploy", "devnet-corpus.txt");
        if (!File.Exists(corpus)) throw new FileNotFoundException($"{corpus} is missing: the devnet's base model is pretrained on it");
        await output.WriteLineAsync($"Base model: making {Name} (model init + {PretrainSteps} pretraining steps on deploy/devnet-corpus.txt) in {directory}...");
        await output.FlushAsync();
        Directory.CreateDirectory(Path.GetDirectoryName(directory)!);
        var tmp = $"{directory}.tmp-{Environment.ProcessId}";
        if (Directory.Exists(tmp)) Directory.Delete(tmp, recursive: true);
        var sw = System.Diagnostics.Stopwatch.StartNew();
        var trainer = await Task.Run(() =>
        {
            ModelFactory.InitBaseModel(tmp, Shape, seed: 1);
            return ModelFactory.Pretrain(tmp, corpus, tmp, new TrainerOptions
            {
                MaxSteps = PretrainSteps, BatchSize = 4, MaxLength = 64, LearningRate = 3e-3f, WarmupSteps = 2, Seed = 1,
            }, progress: null);
        });
        try
        {
            Directory.Move(tmp, directory);
        }
        catch (IOException) when (File.Exists(Path.Combine(directory, "config.json")))
        {
            Directory.Delete(tmp, recursive: true); // another devnet made it at the same time: the same bits
        }
        await output.WriteLineAsync($"Base model: {Name} made in {sw.Elapsed.TotalSeconds:F0} s (loss {trainer.LossHistory[0].Loss:F2} → {trainer.LossHistory[^1].Loss:F2})");
        return directory;
    }
}
