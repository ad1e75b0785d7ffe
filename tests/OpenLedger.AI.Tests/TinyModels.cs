using OpenLedger.AI.Lora;
using OpenLedger.AI.Model;

namespace OpenLedger.AI.Tests;

internal static class TinyModels
{
    public static LlamaConfig Config(int vocab = 50, bool tied = true) => new()
    {
        HiddenSize = 16, IntermediateSize = 24, NumLayers = 2, NumHeads = 4, NumKvHeads = 2, HeadDim = 4,
        VocabSize = vocab, MaxPositions = 64, RmsNormEps = 1e-5f, RopeTheta = 10000, TieWordEmbeddings = tied,
        EosTokenIds = [0],
    };

    public static string TempDir()
    {
        string d = Path.Combine(Path.GetTempPath(), "olai-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(d);
        return d;
    }

    /// <summary>Random non-zero LoRA B too, so gradients of A are not identically zero.</summary>
    public static LoraAdapter RandomAdapter(LlamaWeights w, LoraConfig cfg, ulong seed)
    {
        var a = LoraAdapter.Create(w, cfg, seed);
        var r = new Compute.SplitMix(seed + 1);
        foreach (var p in a.Pairs) for (int i = 0; i < p.B.Data.Length; i++) p.B.Data[i] = (float)(r.NextGaussian() * 0.1);
        return a;
    }
}
