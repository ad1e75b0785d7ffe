using System.Text.Json.Nodes;
using OpenLedger.AI.Attribution;
using OpenLedger.AI.Data;
using OpenLedger.AI.Export;
using OpenLedger.AI.Lora;
using OpenLedger.AI.Model;
using OpenLedger.AI.Provenance;
using OpenLedger.AI.Tensors;
using OpenLedger.AI.Tokenization;
using OpenLedger.AI.Training;
using OpenLedger.Primitives;

namespace OpenLedger.AI.Factory;

/// <summary>Sizes for `model init`: GPT-2's vocabulary with a small Llama decoder.</summary>
public sealed record BaseModelShape(int Hidden = 384, int Layers = 6, int Heads = 6, int KvHeads = 2, int Intermediate = 1024, int MaxPositions = 1024);

/// <summary>
/// ModelFactory's operations behind the CLI: write a base model, pretrain it on a corpus, fine-tune a LoRA adapter
/// (checkpoints, loss curve, per-contribution gradient sketches, provenance), evaluate, and load for generation.
/// </summary>
public static class ModelFactory
{
    public const string SketchFile = "sketches.olsk";
    public const string ProvenanceFile = "provenance.json";

    public static LlamaConfig InitBaseModel(string directory, BaseModelShape shape, ulong seed)
    {
        if (shape.Hidden % shape.Heads != 0) throw new ArgumentException($"hidden size {shape.Hidden} is not divisible by {shape.Heads} heads");
        if (shape.Heads % shape.KvHeads != 0) throw new ArgumentException($"{shape.Heads} heads are not a multiple of {shape.KvHeads} KV heads");
        Directory.CreateDirectory(directory);
        int eot = Gpt2TokenizerJson.Write(Path.Combine(directory, "tokenizer.json"));
        var config = new LlamaConfig
        {
            HiddenSize = shape.Hidden, IntermediateSize = shape.Intermediate, NumLayers = shape.Layers, NumHeads = shape.Heads,
            NumKvHeads = shape.KvHeads, HeadDim = shape.Hidden / shape.Heads, VocabSize = eot + 1, MaxPositions = shape.MaxPositions,
            RmsNormEps = 1e-5f, RopeTheta = 10000, TieWordEmbeddings = true, BosTokenId = eot, EosTokenIds = [eot],
        };
        LlamaWeights.Random(config, seed).Save(directory);
        return config;
    }

    public static (LlamaModel Model, HfTokenizer Tokenizer) Load(string modelDirectory, string? adapterDirectory = null)
    {
        if (!Directory.Exists(modelDirectory)) throw new DirectoryNotFoundException($"model directory {modelDirectory} does not exist");
        var model = LlamaModel.Load(modelDirectory);
        var tok = HfTokenizer.Load(modelDirectory);
        if (tok.VocabularySize > model.Config.VocabSize)
            throw new InvalidDataException($"{modelDirectory}: tokenizer.json has {tok.VocabularySize} tokens, the model's vocab_size is {model.Config.VocabSize}");
        if (adapterDirectory != null) model.Adapter = LoraAdapter.Load(adapterDirectory, model.Weights);
        return (model, tok);
    }

    public static int? Eos(LlamaConfig c) => c.EosTokenIds.Length > 0 ? c.EosTokenIds[0] : null;

    /// <summary>A plain-text corpus as fixed windows of maxLength + 1 tokens, documents joined by EOS.</summary>
    public static List<TokenizedExample> CorpusWindows(IEnumerable<TrainingExample> docs, HfTokenizer tok, int? eos, int maxLength)
    {
        var stream = new List<int>();
        foreach (var d in docs) { stream.AddRange(tok.Encode(d.Prompt + d.Response)); if (eos is { } e) stream.Add(e); }
        var list = new List<TokenizedExample>();
        for (int s = 0; s + 2 <= stream.Count; s += maxLength)
        {
            int n = Math.Min(maxLength, stream.Count - s - 1);
            if (n < 1) break;
            list.Add(new TokenizedExample((ulong)list.Count, stream.GetRange(s, n).ToArray(), stream.GetRange(s + 1, n).ToArray()));
        }
        if (list.Count == 0) throw new InvalidDataException("the corpus has fewer than two tokens");
        return list;
    }

    public static Trainer Pretrain(string modelDir, string corpus, string outDir, TrainerOptions options, Action<StepReport>? progress)
    {
        var (model, tok) = Load(modelDir);
        var windows = CorpusWindows(DatasetLoader.Load(corpus, "text"), tok, Eos(model.Config), options.MaxLength);
        var trainer = new Trainer(model, trainBase: true, windows, options);
        trainer.Run(progress);
        model.Weights.Save(outDir);
        if (Path.GetFullPath(outDir) != Path.GetFullPath(modelDir)) File.Copy(Path.Combine(modelDir, "tokenizer.json"), Path.Combine(outDir, "tokenizer.json"), true);
        LossCurve.Save(Path.Combine(outDir, "loss-curve.png"), trainer.LossHistory, trainer.EvalHistory, "pretraining");
        return trainer;
    }

    public sealed record FineTuneResult(Trainer Trainer, string AdapterFile, Hash256 AdapterHash, string TrainingConfigHash, JsonObject Provenance);

    /// <summary>What a fine-tune trains on: examples keyed by contribution id, how provenance.json describes them, and the Datanet versions they came from.</summary>
    public sealed record TrainingSource(IReadOnlyList<TrainingExample> Examples, JsonObject Dataset, IReadOnlyList<DatanetVersionData> DatanetVersions);

    public static TrainingSource LocalDataset(string path, string format)
    {
        var examples = DatasetLoader.Load(path, format);
        return new TrainingSource(examples,
            new JsonObject { ["path"] = Path.GetFullPath(path), ["keccak256"] = Keccak256.Compute(File.ReadAllBytes(path)).ToString(), ["examples"] = examples.Count }, []);
    }

    /// <summary>
    /// A published Datanet version as training data: its manifest and contributions from the Datanets API, every
    /// contribution's bytes checked against its hash and proven under the root, the root checked against
    /// DatanetRegistry when a chain is given; one example per contribution under its contribution id.
    /// </summary>
    public static async Task<TrainingSource> DatanetVersionAsync(string apiUrl, ulong datanetId, ulong version, ChainEndpoint? chain, string format, CancellationToken ct = default)
    {
        var data = await DatanetVersionSource.FetchAsync(apiUrl, datanetId, version, chain, ct);
        var examples = data.Contributions.Select(c => DatasetLoader.FromContribution(c.ContributionId, c.Content, format)).ToList();
        return new TrainingSource(examples, new JsonObject { ["datanetApi"] = apiUrl, ["examples"] = examples.Count }, [data]);
    }

    /// <summary>Fine-tunes on a local dataset file (see the overload).</summary>
    public static FineTuneResult FineTune(string modelDir, string dataset, string format, LoraConfig lora, TrainerOptions options, string outDir,
        bool resume, int sketchK, ulong sketchSeed, Action<StepReport>? progress, Action<string>? log = null) =>
        FineTune(modelDir, LocalDataset(dataset, format), lora, options, outDir, resume, sketchK, sketchSeed, progress, log);

    /// <summary>
    /// Fine-tunes a LoRA adapter into outDir (resuming from its newest checkpoint-N when asked), then writes the
    /// adapter in PEFT's layout, loss-curve.png, one gradient sketch per contribution and provenance.json.
    /// </summary>
    public static FineTuneResult FineTune(string modelDir, TrainingSource source, LoraConfig lora, TrainerOptions options, string outDir,
        bool resume, int sketchK, ulong sketchSeed, Action<StepReport>? progress, Action<string>? log = null)
    {
        var (model, tok) = Load(modelDir);
        int? eos = Eos(model.Config);
        var tokenized = source.Examples.Select(e => e.Tokenize(tok, eos, options.MaxLength)).ToList();
        model.Adapter = LoraAdapter.Create(model.Weights, lora with { BaseModel = Path.GetFullPath(modelDir) }, options.Seed);
        var trainer = new Trainer(model, trainBase: false, tokenized, options);
        Directory.CreateDirectory(outDir);
        if (resume && Trainer.LatestCheckpoint(outDir) is { } ckpt)
        {
            trainer.LoadCheckpoint(ckpt);
            log?.Invoke($"resumed from {ckpt} at step {trainer.Step}");
        }
        trainer.Run(progress, step => trainer.SaveCheckpoint(Path.Combine(outDir, $"checkpoint-{step}")));
        string file = model.Adapter.Save(outDir);
        LossCurve.Save(Path.Combine(outDir, "loss-curve.png"), trainer.LossHistory, trainer.EvalHistory, "LoRA fine-tuning");
        var adapterHash = Keccak256.Compute(File.ReadAllBytes(file));
        var sketcher = new AdapterSketcher(model, sketchK, sketchSeed);
        // one sketch per contribution the adapter was trained on (held-out eval examples taught it nothing)
        sketcher.WriteStore(Path.Combine(outDir, SketchFile), trainer.TrainSet, adapterHash);
        string cfgHash = options.Hash();
        var versions = new JsonArray();
        foreach (var d in source.DatanetVersions)
            versions.Add(new JsonObject
            {
                ["datanetId"] = d.Ref.DatanetId, ["version"] = d.Ref.Version, ["root"] = d.Ref.Root.ToString(),
                ["contributions"] = d.Contributions.Count, ["rootCheckedOnChain"] = d.RootCheckedOnChain,
            });
        var prov = new JsonObject
        {
            ["adapterHash"] = adapterHash.ToString(),
            ["trainingConfigHash"] = cfgHash,
            ["baseModel"] = Path.GetFullPath(modelDir),
            ["dataset"] = source.Dataset.DeepClone(),
            ["datanetVersions"] = versions,
            ["sketches"] = new JsonObject { ["file"] = SketchFile, ["k"] = sketchK, ["seed"] = sketchSeed.ToString(System.Globalization.CultureInfo.InvariantCulture) },
            ["steps"] = trainer.Step,
            ["finalLoss"] = trainer.LossHistory.Count > 0 ? trainer.LossHistory[^1].Loss : null,
            ["evalLoss"] = trainer.EvalHistory.Count > 0 ? trainer.EvalHistory[^1].Loss : null,
        };
        AtomicFile.WriteAllText(Path.Combine(outDir, ProvenanceFile), prov.ToJsonString(new System.Text.Json.JsonSerializerOptions { WriteIndented = true }));
        return new FineTuneResult(trainer, file, adapterHash, cfgHash, prov);
    }

    /// <summary>The base model, with the adapter merged into its weights when given, as a GGUF file llama.cpp loads.</summary>
    public static void ExportGguf(string modelDir, string? adapterDir, string outFile, GgmlType type, string? name = null)
    {
        var (model, _) = Load(modelDir, adapterDir);
        model.Adapter?.Merge(model.Weights);
        var tok = HfTokenizer.ReadDefinition(modelDir);
        LlamaGguf.Write(outFile, model.Weights, tok, name ?? Path.GetFileName(Path.GetFullPath(modelDir).TrimEnd('/')) + (adapterDir != null ? "+lora" : ""), type);
    }

    /// <summary>Registers a trained adapter in ModelRegistry from its provenance.json (see <see cref="ModelRegistration"/>).</summary>
    public static Task<RegisteredModel> RegisterAsync(RegistrationRequest request, CancellationToken ct = default) => ModelRegistration.RegisterAsync(request, ct);
}
