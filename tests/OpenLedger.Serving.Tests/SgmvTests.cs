using OpenLedger.AI.Compute;
using OpenLedger.AI.Lora;
using OpenLedger.AI.Model;
using OpenLedger.Serving.Engine;
using OpenLedger.Serving.Gpu;

namespace OpenLedger.Serving.Tests;

public class SgmvTests
{
    [Fact]
    public void Ilgpu_gathered_lora_on_the_cpu_accelerator_matches_the_cpu_segments()
    {
        var cfg = new LlamaConfig
        {
            HiddenSize = 32, IntermediateSize = 48, NumLayers = 2, NumHeads = 4, NumKvHeads = 2, HeadDim = 8, VocabSize = 40, MaxPositions = 32, TieWordEmbeddings = true,
        };
        var w = LlamaWeights.Random(cfg, 3);
        var adapters = new[]
        {
            TinyServing.RandomAdapter(w, 1, rank: 4), TinyServing.RandomAdapter(w, 2, rank: 2, targets: ["q_proj", "down_proj"]), TinyServing.RandomAdapter(w, 3, rank: 8),
        };
        // rows: 2 × adapter0, 1 base row, 3 × adapter1, 2 × adapter2
        LoraAdapter?[] rowAdapters = [adapters[0], adapters[0], null, adapters[1], adapters[1], adapters[1], adapters[2], adapters[2]];
        var segments = LoraSegments.Build(rowAdapters);
        Assert.Equal(3, segments.Length);
        using var gpu = new IlgpuLora(cuda: false);
        var rng = new SplitMix(9);
        foreach (var (module, inDim, outDim) in new[] { ("q_proj", 32, 32), ("down_proj", 48, 32), ("up_proj", 32, 48) })
        {
            int rows = rowAdapters.Length;
            var x = new float[rows * inDim];
            for (int i = 0; i < x.Length; i++) x[i] = (float)rng.NextGaussian();
            var yCpu = new float[rows * outDim];
            for (int i = 0; i < yCpu.Length; i++) yCpu[i] = (float)rng.NextGaussian();
            var yGpu = (float[])yCpu.Clone();
            var before = (float[])yCpu.Clone();
            LoraSegments.Apply(segments, 1, module, x, inDim, yCpu, outDim);
            gpu.Apply(segments, 1, module, x, inDim, yGpu, outDim);
            for (int i = 0; i < yCpu.Length; i++)
                Assert.True(Math.Abs(yCpu[i] - yGpu[i]) <= 1e-4f * (1 + Math.Abs(yCpu[i])), $"{module} element {i}: cpu {yCpu[i]} ilgpu {yGpu[i]}");
            // the base row is untouched, adapted rows changed
            for (int o = 0; o < outDim; o++) Assert.Equal(before[2 * outDim + o], yGpu[2 * outDim + o]);
            Assert.NotEqual(before[0], yGpu[0]);
        }
    }
}
