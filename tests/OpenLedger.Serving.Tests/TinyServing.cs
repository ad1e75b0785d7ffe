using OpenLedger.AI.Compute;
using OpenLedger.AI.Factory;
using OpenLedger.AI.Lora;
using OpenLedger.AI.Model;

namespace OpenLedger.Serving.Tests;

/// <summary>A tiny base model (GPT-2 vocabulary, 2 layers, 64 wide) and random PEFT adapters for it.</summary>
internal static class TinyServing
{
    public static readonly BaseModelShape Shape = new(Hidden: 64, Layers: 2, Heads: 4, KvHeads: 2, Intermediate: 128, MaxPositions: 96);

    public static string TempDir()
    {
        string d = Path.Combine(Path.GetTempPath(), "olserve-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(d);
        return d;
    }

    private static readonly Lazy<string> SharedBase = new(() =>
    {
        string dir = TempDir();
        ModelFactory.InitBaseModel(dir, Shape, seed: 5);
        return dir;
    });

    /// <summary>One base model directory per test run (read-only: tests never write into it).</summary>
    public static string BaseDir => SharedBase.Value;

    /// <summary>A random adapter with non-zero B (so it changes the output), saved in PEFT's layout.</summary>
    public static LoraAdapter RandomAdapter(LlamaWeights w, ulong seed, int rank = 4, string[]? targets = null, float bStd = 0.5f)
    {
        var cfg = new LoraConfig { Rank = rank, Alpha = 2 * rank, TargetModules = targets ?? ["q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj"] };
        var a = LoraAdapter.Create(w, cfg, seed);
        var r = new SplitMix(seed + 1);
        foreach (var p in a.Pairs) for (int i = 0; i < p.B.Data.Length; i++) p.B.Data[i] = (float)(r.NextGaussian() * bStd);
        return a;
    }
}
