using ILGPU;
using ILGPU.Runtime.Cuda;
using OpenLedger.AI.Generation;
using OpenLedger.AI.Gpu;
using OpenLedger.AI.Lora;
using OpenLedger.AI.Model;

namespace OpenLedger.AI.Tests;

/// <summary>LlamaModel's forward on an ILGPU accelerator (the CPU accelerator here; CUDA is not present) against the CPU path.</summary>
public class IlgpuDecoderTests
{
    private static void Close(float[] expect, float[] actual, float tol, string what)
    {
        Assert.Equal(expect.Length, actual.Length);
        for (int i = 0; i < expect.Length; i++)
            Assert.True(Math.Abs(expect[i] - actual[i]) <= tol * (1 + Math.Abs(expect[i])), $"{what}[{i}]: {expect[i]} vs {actual[i]}");
    }

    [Fact]
    public void Accelerator_forward_matches_the_cpu_path_with_an_adapter_prefill_and_decode()
    {
        var w = LlamaWeights.Random(TinyModels.Config(), 11, std: 0.2f);
        var adapter = TinyModels.RandomAdapter(w, new LoraConfig { Rank = 4, Alpha = 8, TargetModules = ["q_proj", "v_proj", "down_proj"] }, 12);
        var cpu = new LlamaModel(w, adapter);
        var gpu = new LlamaModel(w, adapter);
        using var compute = new IlgpuCompute(cuda: false);
        gpu.UseAccelerator(compute);
        Assert.False(gpu.Accelerator!.UsesCuBlas);

        int[] prompt = [3, 17, 42, 8, 29];
        var cc = new KvCache(w.Config, 32); var gc = new KvCache(w.Config, 32);
        var lc = cpu.Forward(prompt, cc); var lg = gpu.Forward(prompt, gc);
        Close(lc, lg, 1e-4f, "prefill logits");
        for (int step = 0; step < 3; step++)
        {
            int next = Sampler.ArgMax(lc);
            Assert.Equal(next, Sampler.ArgMax(lg));
            lc = cpu.Forward([next], cc); lg = gpu.Forward([next], gc);
            Close(lc, lg, 1e-4f, $"step {step} logits");
        }
        Assert.Equal(cc.Length, gc.Length);
        for (int l = 0; l < w.Config.NumLayers; l++) Close(cc.K[l], gc.K[l], 1e-4f, $"K cache layer {l}"); // host cache kept true

        // a cache filled on the CPU continues on the accelerator (its rows are uploaded), and back
        var mixed = new KvCache(w.Config, 32);
        cpu.Forward(prompt, mixed);
        var lm = gpu.Forward([7], mixed);
        var reference = new KvCache(w.Config, 32);
        cpu.Forward(prompt, reference);
        var lr = cpu.Forward([7], reference);
        Close(lr, lm, 1e-4f, "mixed-path logits");
        Close(cpu.Forward([9], reference), cpu.Forward([9], mixed), 1e-4f, "back on the cpu");

        // DecodeBatch on the accelerator: the batch's rows equal the CPU's batched step
        var c1 = new[] { new KvCache(w.Config, 32), new KvCache(w.Config, 32) };
        var g1 = new[] { new KvCache(w.Config, 32), new KvCache(w.Config, 32) };
        foreach (var (kc, m) in new[] { (c1[0], cpu), (c1[1], cpu), (g1[0], gpu), (g1[1], gpu) }) m.Forward(prompt, kc);
        Close(cpu.DecodeBatch([4, 5], c1), gpu.DecodeBatch([4, 5], g1), 1e-4f, "batched logits");

        gpu.UseAccelerator(null);
        Assert.Null(gpu.Accelerator);
        Assert.Throws<ArgumentOutOfRangeException>(() => { gpu.UseAccelerator(compute); gpu.Forward([w.Config.VocabSize], new KvCache(w.Config, 4)); });
    }

    [Fact]
    public void Cuda_is_refused_with_a_clear_message_when_no_device_exists()
    {
        using var probe = Context.Create(b => b.Cuda());
        if (probe.GetCudaDevices().Count > 0)
        {
            using var onCuda = new IlgpuCompute(cuda: true); // a machine with CUDA: it must come up
            Assert.Contains("Cuda", onCuda.Accelerator.GetType().Name);
            return;
        }
        var e = Assert.Throws<InvalidOperationException>(() => new IlgpuCompute(cuda: true));
        Assert.Contains("no CUDA device", e.Message);
    }
}

public class IlgpuSketchTests
{
    [Fact]
    public void Query_sketch_projected_on_the_accelerator_is_bit_identical_to_the_cpu()
    {
        var w = LlamaWeights.Random(TinyModels.Config(), 21, std: 0.3f);
        var model = new LlamaModel(w, TinyModels.RandomAdapter(w, new LoraConfig { Rank = 2, Alpha = 4, TargetModules = ["q_proj", "v_proj", "down_proj"] }, 4));
        var sketcher = new OpenLedger.AI.Attribution.AdapterSketcher(model, 64, 99);
        int[] prompt = [1, 5, 9, 13, 2], answer = [7, 7, 3];
        var cpu = sketcher.QuerySketch(prompt, answer);
        using var compute = new IlgpuCompute(cuda: false);
        sketcher.Accelerator = compute;
        var dev = sketcher.QuerySketch(prompt, answer);
        Assert.Equal(cpu.Values, dev.Values);
        Assert.Equal(cpu.Scale, dev.Scale);
        Assert.Contains(cpu.Values, v => v != 0);
        // and the doubles before quantization
        var proj = new OpenLedger.AI.Attribution.DeterministicProjection(500, 64, 3);
        var g = Enumerable.Range(0, 500).Select(i => (float)Math.Sin(i * 0.37) * 1e-3f).ToArray();
        Assert.Equal(proj.Project(g), compute.Project(proj, g));
    }
}
