using System.Text.Json.Nodes;
using OpenLedger.AI.Factory;
using OpenLedger.AI.Lora;
using OpenLedger.AI.Model;
using OpenLedger.AI.Training;
using OpenLedger.Attribution.Sketching;

namespace OpenLedger.AI.Tests;

public class ModelFactoryTests
{
    [Fact]
    public void Fine_tune_writes_adapter_curve_sketches_and_provenance_and_resumes_from_its_checkpoint()
    {
        string dir = TinyModels.TempDir(), model = Path.Combine(dir, "base"), outDir = Path.Combine(dir, "out");
        Directory.CreateDirectory(model);
        WordTokenizer.Write(model, [" hello", " world", " alpha", " beta"]);
        var cfg = TinyModels.Config(vocab: 300);
        LlamaWeights.Random(cfg, 4).Save(model);
        string data = Path.Combine(dir, "data.jsonl");
        File.WriteAllText(data, string.Join("\n", Enumerable.Range(0, 6).Select(i => new JsonObject { ["id"] = 40 + i, ["instruction"] = $"say {i}", ["input"] = "", ["output"] = i % 2 == 0 ? " hello world" : " alpha beta" }.ToJsonString())));
        var lora = new LoraConfig { Rank = 2, Alpha = 4, TargetModules = ["q_proj", "v_proj"] };
        var opts = new TrainerOptions { MaxSteps = 4, BatchSize = 2, LearningRate = 1e-2f, CheckpointEvery = 2, EvalFraction = 0.2, MaxLength = 60 };
        var r = ModelFactory.FineTune(model, data, "auto", lora, opts, outDir, resume: false, sketchK: 32, sketchSeed: 3, progress: null);
        foreach (var f in new[] { "adapter_config.json", "adapter_model.safetensors", "loss-curve.png", ModelFactory.SketchFile, ModelFactory.ProvenanceFile })
            Assert.True(File.Exists(Path.Combine(outDir, f)), f);
        Assert.True(Directory.Exists(Path.Combine(outDir, "checkpoint-2")));
        using (var store = SketchStore.Open(Path.Combine(outDir, ModelFactory.SketchFile)))
        {
            Assert.Equal(5, store.Count); // 6 contributions, 1 held out for eval: one sketch per trained contribution
            Assert.Equal(r.AdapterHash, store.ModelId);
        }
        Assert.Equal(r.AdapterHash.ToString(), r.Provenance["adapterHash"]!.GetValue<string>());

        // a resumed run from checkpoint-2 ends with the same adapter bytes
        byte[] first = File.ReadAllBytes(r.AdapterFile);
        var again = ModelFactory.FineTune(model, data, "auto", lora, opts, outDir, resume: true, sketchK: 32, sketchSeed: 3, progress: null);
        Assert.Equal(first, File.ReadAllBytes(again.AdapterFile));
        var (m, _) = ModelFactory.Load(model, outDir);
        Assert.NotNull(m.Adapter);
    }
}
