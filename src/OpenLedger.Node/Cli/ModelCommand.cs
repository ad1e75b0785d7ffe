using System.CommandLine;
using System.Globalization;
using OpenLedger.AI.Data;
using OpenLedger.AI.Factory;
using OpenLedger.AI.Generation;
using OpenLedger.AI.Lora;
using OpenLedger.AI.Training;

namespace OpenLedger.Node.Cli;

/// <summary>`openledger model init|generate|pretrain|train|eval`: ModelFactory on the command line.</summary>
public static partial class ModelCommand
{
    public static Command Create()
    {
        var cmd = new Command("model", "ModelFactory: Llama-architecture base models, LoRA fine-tuning, evaluation and generation.");
        cmd.Add(Init());
        cmd.Add(Generate());
        cmd.Add(Pretrain());
        cmd.Add(Train());
        cmd.Add(Eval());
        cmd.Add(Register());
        cmd.Add(ExportGguf());
        return cmd;
    }

    /// <summary>The attribution CLI's error mapping, plus unsupported model features (unknown architecture, dtype, …) as failures.</summary>
    private static int Guard(Func<int> action) => AttributionCommand.Guard(() =>
    {
        try { return action(); }
        catch (NotSupportedException e) { throw new CliException(e.Message.ReplaceLineEndings(" "), CliApp.Failure); }
    });

    private static Option<T> Opt<T>(string name, string description, T defaultValue) =>
        new(name) { Description = description, DefaultValueFactory = _ => defaultValue };

    private static Option<string?> Path(string name, string description) => new(name) { Description = description };

    private static Command Init()
    {
        var output = Path("--out", "Directory to write (config.json, model.safetensors, tokenizer.json).");
        var hidden = Opt("--hidden", "Hidden size.", 384);
        var layers = Opt("--layers", "Decoder layers.", 6);
        var heads = Opt("--heads", "Attention heads.", 6);
        var kv = Opt("--kv-heads", "Key/value heads (grouped-query attention).", 2);
        var inter = Opt("--intermediate", "MLP intermediate size.", 1024);
        var ctx = Opt("--max-positions", "Context length.", 1024);
        var seed = Opt("--seed", "Initialization seed.", 1UL);
        var cmd = new Command("init", "Write a small Llama-architecture base model with GPT-2's tokenizer and random weights.") { output, hidden, layers, heads, kv, inter, ctx, seed };
        cmd.SetAction(p => Guard(() =>
        {
            string dir = AttributionCommand.Require(p.GetValue(output), "--out");
            foreach (var (o, v) in new[] { ("--hidden", p.GetValue(hidden)), ("--layers", p.GetValue(layers)), ("--heads", p.GetValue(heads)), ("--kv-heads", p.GetValue(kv)), ("--intermediate", p.GetValue(inter)), ("--max-positions", p.GetValue(ctx)) })
                if (v <= 0) throw new CliException($"{o} must be positive, got {v}", CliApp.UsageError);
            var c = ModelFactory.InitBaseModel(dir, new BaseModelShape(p.GetValue(hidden), p.GetValue(layers), p.GetValue(heads), p.GetValue(kv), p.GetValue(inter), p.GetValue(ctx)), p.GetValue(seed));
            Console.WriteLine($"wrote {dir}: {c.ParameterCount():N0} parameters, {c.NumLayers} layers, hidden {c.HiddenSize}, vocab {c.VocabSize} (GPT-2)");
            return CliApp.Ok;
        }));
        return cmd;
    }

    private static Command Generate()
    {
        var model = Path("--model", "Model directory (Hugging Face layout).");
        var adapter = Path("--adapter", "A PEFT LoRA adapter directory.");
        var prompt = Path("--prompt", "The prompt.");
        var max = Opt("--max-tokens", "Most new tokens.", 64);
        var temp = Opt("--temperature", "0 = greedy.", 0f);
        var topP = Opt("--top-p", "Nucleus sampling mass.", 1f);
        var seed = Opt("--seed", "Sampling seed.", 1UL);
        var stop = new Option<string[]>("--stop") { Description = "Stop sequence (repeatable).", AllowMultipleArgumentsPerToken = false };
        var accel = Opt("--accelerator", "none (CPU kernels), cuda (ILGPU, cuBLAS products; refused when no CUDA device exists) or ilgpu-cpu (ILGPU's CPU accelerator, for checking the GPU kernels).", "none");
        var cmd = new Command("generate", "Generate text from a prompt.") { model, adapter, prompt, max, temp, topP, seed, stop, accel };
        cmd.SetAction(p => Guard(() =>
        {
            string a = p.GetValue(accel)!;
            if (a is not ("none" or "cuda" or "ilgpu-cpu")) throw new CliException($"--accelerator takes none, cuda or ilgpu-cpu; got '{a}'", CliApp.UsageError);
            var (m, tok) = ModelFactory.Load(AttributionCommand.Require(p.GetValue(model), "--model"), p.GetValue(adapter));
            OpenLedger.AI.Gpu.IlgpuCompute? compute = null;
            try { if (a != "none") compute = new OpenLedger.AI.Gpu.IlgpuCompute(cuda: a == "cuda"); }
            catch (InvalidOperationException e) { throw new CliException($"--accelerator {a}: {e.Message}"); }
            using var _ = compute;
            if (compute != null) m.UseAccelerator(compute);
            var options = new SamplingOptions { MaxNewTokens = p.GetValue(max), Temperature = p.GetValue(temp), TopP = p.GetValue(topP), Seed = p.GetValue(seed), StopSequences = p.GetValue(stop) ?? [] };
            try { options.Validate(); } catch (ArgumentException e) { throw new CliException(e.Message, CliApp.UsageError); }
            var sw = System.Diagnostics.Stopwatch.StartNew();
            var r = new Generator(m, tok).Generate(AttributionCommand.Require(p.GetValue(prompt), "--prompt"), options);
            Console.WriteLine(r.Text);
            Console.Error.WriteLine($"{r.Tokens.Length} tokens in {sw.Elapsed.TotalSeconds:F2} s ({r.Tokens.Length / Math.Max(1e-9, sw.Elapsed.TotalSeconds):F1} tok/s), finish: {r.FinishReason}");
            return CliApp.Ok;
        }));
        return cmd;
    }

    // shared training options
    private sealed class TrainOpts
    {
        public readonly Option<int> Epochs = Opt("--epochs", "Passes over the data (ignored with --steps).", 1);
        public readonly Option<int> Steps = Opt("--steps", "Optimizer steps (0 = from --epochs).", 0);
        public readonly Option<int> Batch = Opt("--batch-size", "Examples per micro-batch.", 4);
        public readonly Option<int> Accum = Opt("--grad-accum", "Micro-batches per optimizer step.", 1);
        public readonly Option<float> Lr = Opt("--lr", "Peak learning rate.", 2e-4f);
        public readonly Option<int> Warmup = Opt("--warmup", "Linear warm-up steps before the cosine decay.", 0);
        public readonly Option<float> Wd = Opt("--weight-decay", "AdamW weight decay.", 0f);
        public readonly Option<float> Clip = Opt("--max-grad-norm", "Gradient clipping norm (0 = off).", 1f);
        public readonly Option<int> MaxLen = Opt("--max-length", "Tokens per example.", 256);
        public readonly Option<double> EvalFrac = Opt("--eval-fraction", "Share of examples held out for eval loss.", 0.0);
        public readonly Option<ulong> Seed = Opt("--seed", "Seed for initialization, shuffling and the split.", 42UL);

        public IEnumerable<Option> All => [Epochs, Steps, Batch, Accum, Lr, Warmup, Wd, Clip, MaxLen, EvalFrac, Seed];

        public TrainerOptions Read(ParseResult p, int checkpointEvery = 0)
        {
            var o = new TrainerOptions
            {
                Epochs = p.GetValue(Epochs), MaxSteps = p.GetValue(Steps), BatchSize = p.GetValue(Batch), GradientAccumulation = p.GetValue(Accum),
                LearningRate = p.GetValue(Lr), WarmupSteps = p.GetValue(Warmup), WeightDecay = p.GetValue(Wd), MaxGradNorm = p.GetValue(Clip),
                MaxLength = p.GetValue(MaxLen), EvalFraction = p.GetValue(EvalFrac), Seed = p.GetValue(Seed), CheckpointEvery = checkpointEvery,
            };
            try { o.Validate(); } catch (ArgumentException e) { throw new CliException(e.Message, CliApp.UsageError); }
            return o;
        }
    }

    /// <summary>One progress line, rewritten in place on a terminal: step, loss, learning rate, tokens/s, ETA.</summary>
    private static void Progress(StepReport r)
    {
        string line = string.Create(CultureInfo.InvariantCulture,
            $"step {r.Step}/{r.TotalSteps}  loss {r.Loss:F4}  lr {r.LearningRate:0.0e+0}  {r.TokensPerSecond:N0} tok/s  ETA {r.Eta:hh\\:mm\\:ss}");
        if (Console.IsErrorRedirected) Console.Error.WriteLine(line);
        else Console.Error.Write("\r" + line.PadRight(78) + (r.Step == r.TotalSteps ? "\n" : ""));
    }

    private static Command Pretrain()
    {
        var model = Path("--model", "Base model directory to start from.");
        var corpus = Path("--corpus", "Text corpus (.txt: documents separated by blank lines, or JSON Lines with \"text\").");
        var output = Path("--out", "Directory for the trained model (may equal --model).");
        var t = new TrainOpts();
        var cmd = new Command("pretrain", "Train all weights of a base model on a text corpus.") { model, corpus, output };
        foreach (var o in t.All) cmd.Add(o);
        cmd.SetAction(p => Guard(() =>
        {
            var o = t.Read(p);
            var tr = ModelFactory.Pretrain(AttributionCommand.Require(p.GetValue(model), "--model"), AttributionCommand.Require(p.GetValue(corpus), "--corpus"),
                AttributionCommand.Require(p.GetValue(output), "--out"), o, Progress);
            Console.WriteLine($"pretrained {tr.Step} steps, final loss {tr.LossHistory[^1].Loss:F4}; wrote {p.GetValue(output)} (loss-curve.png)");
            return CliApp.Ok;
        }));
        return cmd;
    }

    private static Command Train()
    {
        var model = Path("--model", "Base model directory.");
        var data = Path("--data", "Local dataset: alpaca, sharegpt or plain text (JSON, JSON Lines or .txt).");
        var dn = new DatanetOpts();
        var format = Opt("--format", "auto, alpaca, sharegpt or text.", "auto");
        var output = Path("--out", "Output directory: adapter (PEFT layout), checkpoints, loss curve, sketches, provenance.");
        var rank = Opt("--rank", "LoRA rank r.", 8);
        var alpha = Opt("--alpha", "LoRA alpha.", 16.0);
        var targets = Opt("--targets", "Comma-separated target modules.", "q_proj,v_proj");
        var rslora = Opt("--rslora", "Scale by alpha/sqrt(r) (rsLoRA).", false);
        var ckptEvery = Opt("--checkpoint-every", "Steps between checkpoints (0 = none).", 0);
        var resume = Opt("--resume", "Continue from the newest checkpoint in --out.", false);
        var sketchK = Opt("--sketch-k", "Gradient sketch dimension (multiple of 32).", 256);
        var sketchSeed = Opt("--sketch-seed", "Seed of the sketch projection.", 1UL);
        var t = new TrainOpts();
        var cmd = new Command("train", "Fine-tune a LoRA adapter; write it with its loss curve, gradient sketches and provenance.")
            { model, data, format, output, rank, alpha, targets, rslora, ckptEvery, resume, sketchK, sketchSeed };
        foreach (var o in t.All) cmd.Add(o);
        foreach (var o in dn.All) cmd.Add(o);
        cmd.SetAction(p => Guard(() =>
        {
            var o = t.Read(p, p.GetValue(ckptEvery));
            var lora = new LoraConfig
            {
                Rank = p.GetValue(rank), Alpha = p.GetValue(alpha), UseRsLora = p.GetValue(rslora),
                TargetModules = p.GetValue(targets)!.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries),
            };
            if (lora.Rank <= 0) throw new CliException($"--rank must be positive, got {lora.Rank}", CliApp.UsageError);
            foreach (var m in lora.TargetModules)
                if (!AI.Model.LlamaWeights.LinearModules.Contains(m)) throw new CliException($"--targets: '{m}' is not a Llama projection ({string.Join(", ", AI.Model.LlamaWeights.LinearModules)})", CliApp.UsageError);
            string outDir = AttributionCommand.Require(p.GetValue(output), "--out");
            var source = dn.Read(p, p.GetValue(data), p.GetValue(format)!);
            var r = ModelFactory.FineTune(AttributionCommand.Require(p.GetValue(model), "--model"), source,
                lora, o, outDir, p.GetValue(resume), p.GetValue(sketchK), p.GetValue(sketchSeed), Progress, s => Console.Error.WriteLine(s));
            Console.WriteLine(r.Provenance.ToJsonString(AttributionCommand.Indented));
            Console.Error.WriteLine($"wrote {r.AdapterFile}, {System.IO.Path.Combine(outDir, "loss-curve.png")}, {System.IO.Path.Combine(outDir, ModelFactory.SketchFile)}, {System.IO.Path.Combine(outDir, ModelFactory.ProvenanceFile)}; register it with `openledger model register --adapter {outDir}`");
            return CliApp.Ok;
        }));
        return cmd;
    }

    private static Command Eval()
    {
        var model = Path("--model", "Base model directory.");
        var adapter = Path("--adapter", "A PEFT LoRA adapter directory.");
        var data = Path("--data", "Dataset to evaluate on.");
        var format = Opt("--format", "auto, alpaca, sharegpt or text.", "auto");
        var maxLen = Opt("--max-length", "Tokens per example.", 256);
        var cmd = new Command("eval", "Mean token loss and perplexity on a dataset.") { model, adapter, data, format, maxLen };
        cmd.SetAction(p => Guard(() =>
        {
            var (m, tok) = ModelFactory.Load(AttributionCommand.Require(p.GetValue(model), "--model"), p.GetValue(adapter));
            var set = DatasetLoader.Load(AttributionCommand.Require(p.GetValue(data), "--data"), p.GetValue(format)!)
                .Select(e => e.Tokenize(tok, ModelFactory.Eos(m.Config), p.GetValue(maxLen))).ToList();
            var (loss, ppl, n) = Trainer.Evaluate(m, set);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{{\"examples\": {set.Count}, \"tokens\": {n}, \"loss\": {loss:F6}, \"perplexity\": {ppl:F4}}}"));
            return CliApp.Ok;
        }));
        return cmd;
    }
}
