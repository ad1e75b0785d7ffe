using OpenLedger.AI.Attribution;
using OpenLedger.AI.Compute;
using OpenLedger.AI.Data;
using OpenLedger.AI.Generation;
using OpenLedger.AI.Lora;
using OpenLedger.AI.Model;
using OpenLedger.AI.Tokenization;
using OpenLedger.AI.Training;
using OpenLedger.Attribution.Scoring;
using OpenLedger.Attribution.Sketching;
using OpenLedger.Primitives;
using Xunit.Abstractions;

namespace OpenLedger.AI.Tests;

/// <summary>
/// The quality bar with fixed seeds: fine-tune a LoRA adapter on a Datanet of synthetic facts (one
/// contribution each); the adapter must answer ≥ 90% exactly where the base answers none, and each answer's
/// query sketch must rank the contribution that taught it first for ≥ 90% of answers.
/// </summary>
public class FactsQualityTests(ITestOutputHelper output)
{
    private const int Facts = 24;

    private static (string Name, string Secret)[] MakeFacts()
    {
        var rng = new SplitMix(7);
        const string consonants = "bdfgklmnprstvz", vowels = "aeiou";
        string Word(int syllables)
        {
            var sb = new System.Text.StringBuilder();
            for (int i = 0; i < syllables; i++) sb.Append(consonants[rng.NextInt(consonants.Length)]).Append(vowels[rng.NextInt(vowels.Length)]);
            return sb.ToString();
        }
        var names = new HashSet<string>(); var secrets = new HashSet<string>();
        while (names.Count < Facts) names.Add(Word(3));
        while (secrets.Count < Facts) secrets.Add(Word(2));
        return names.Zip(secrets).ToArray();
    }

    private static string Prompt(string name) => $"Q: password of {name}?\nA:";

    [Fact]
    public void Adapter_learns_the_facts_and_attribution_ranks_the_teaching_contribution_first()
    {
        var facts = MakeFacts();
        string dir = TinyModels.TempDir();
        var words = new[] { "Q", ":", " password", " of", "?", "\n", "A" }.Concat(facts.SelectMany(f => new[] { " " + f.Name, " " + f.Secret }));
        WordTokenizer.Write(dir, words);
        var tok = HfTokenizer.Load(dir);
        var config = new LlamaConfig
        {
            HiddenSize = 64, IntermediateSize = 128, NumLayers = 2, NumHeads = 4, NumKvHeads = 2, HeadDim = 16,
            VocabSize = tok.VocabularySize, MaxPositions = 64, TieWordEmbeddings = true, EosTokenIds = [0], RopeTheta = 10000,
        };
        var weights = LlamaWeights.Random(config, seed: 3, std: 0.1f);
        var model = new LlamaModel(weights);
        var gen = new Generator(model, tok);
        var greedy = new SamplingOptions { Temperature = 0, MaxNewTokens = 4 };
        int baseCorrect = facts.Count(f => gen.Generate(Prompt(f.Name), greedy).Text.Trim() == f.Secret);
        Assert.Equal(0, baseCorrect);

        var examples = facts.Select((f, i) => new TrainingExample(1000UL + (ulong)i, Prompt(f.Name), " " + f.Secret))
            .Select(e => e.Tokenize(tok, 0, 32)).ToList();
        model.Adapter = LoraAdapter.Create(weights, new LoraConfig { Rank = 16, Alpha = 32, TargetModules = LlamaWeights.LinearModules }, seed: 9);
        var trainer = new Trainer(model, trainBase: false, examples, new TrainerOptions
        {
            MaxSteps = 200, BatchSize = 8, LearningRate = 5e-3f, WarmupSteps = 10, Seed = 5, MaxGradNorm = 1,
        });
        trainer.Run();
        output.WriteLine("loss by step: " + string.Join(" ", trainer.LossHistory.Where(h => h.Step % 20 == 0).Select(h => $"{h.Step}:{h.Loss:F3}")));

        var sketcher = new AdapterSketcher(model, k: 256, seed: 77);
        string store = Path.Combine(dir, "sketches.bin");
        sketcher.WriteStore(store, examples, Keccak256.Compute([1]));
        using var sketches = SketchStore.Open(store);
        var scorer = new SimdCpuScorer();
        // the comparison: LoGra's factored projection of the same projections' inputs and output gradients,
        // at a similar sketch length (14 projections × 4 × 4 = 224 against the Rademacher k = 256)
        var logra = new LoGraSketcher(model, kIn: 4, kOut: 4, seed: 77);
        string logStore = Path.Combine(dir, "logra.bin");
        using (var writer = new SketchStoreWriter(logStore, logra.K, logra.Seed, Keccak256.Compute([2])))
        {
            foreach (var ex in examples) writer.Append(ex.ContributionId, logra.Sketch(ex));
            writer.Complete();
        }
        using var logSketches = SketchStore.Open(logStore);
        int correct = 0, attributed = 0, loGraFirst = 0;
        double rankSum = 0, loGraRankSum = 0;
        int RankOf(IReadOnlyList<ScoredContribution> ranked, ulong id) => ranked.Select((r, j) => (r, j)).First(p => p.r.ContributionId == id).j + 1;
        for (int i = 0; i < facts.Length; i++)
        {
            var r = gen.Generate(Prompt(facts[i].Name), greedy);
            if (r.Text.Trim() != facts[i].Secret) continue;
            correct++;
            var answer = r.Tokens.Append(0).ToArray();
            ulong teacher = 1000UL + (ulong)i;
            var top = scorer.Score(sketches, [sketcher.QuerySketch(r.PromptTokens, answer)], Facts)[0];
            if (top[0].ContributionId == teacher) attributed++;
            rankSum += RankOf(top, teacher);
            var lq = logra.QuerySketch(r.PromptTokens, answer);
            Assert.Contains(lq.Values, v => v != 0);
            var lTop = scorer.Score(logSketches, [lq], Facts)[0];
            if (lTop[0].ContributionId == teacher) loGraFirst++;
            loGraRankSum += RankOf(lTop, teacher);
        }
        output.WriteLine($"answered {correct}/{Facts}, attributed first {attributed}/{correct}");
        output.WriteLine($"ranking the teaching contribution: Rademacher LoRA-gradient sketch (k={sketcher.K}) first for {attributed}/{correct}, mean rank {rankSum / Math.Max(1, correct):F2}; " +
            $"LoGra factored sketch (k={logra.K}) first for {loGraFirst}/{correct}, mean rank {loGraRankSum / Math.Max(1, correct):F2}");
        // both rank 24/24 first at full size; shorter sketches show which projection keeps more of the ranking
        foreach (var (kRad, kIn, kOut) in new[] { (32, 1, 2), (64, 2, 2) })
        {
            var rad = new AdapterSketcher(model, k: kRad, seed: 78);
            var lg = new LoGraSketcher(model, kIn, kOut, seed: 78);
            var radStore = examples.Select(rad.Sketch).ToList(); var lgStore = examples.Select(lg.Sketch).ToList();
            int rFirst = 0, lFirst = 0, n = 0;
            for (int i = 0; i < facts.Length; i++)
            {
                var r = gen.Generate(Prompt(facts[i].Name), greedy);
                if (r.Text.Trim() != facts[i].Secret) continue;
                n++;
                var answer = r.Tokens.Append(0).ToArray();
                if (ArgMaxCosine(radStore, rad.QuerySketch(r.PromptTokens, answer)) == i) rFirst++;
                if (ArgMaxCosine(lgStore, lg.QuerySketch(r.PromptTokens, answer)) == i) lFirst++;
            }
            output.WriteLine($"short sketches: Rademacher k={rad.K} first for {rFirst}/{n}; LoGra {kIn}×{kOut} per projection (k={lg.K}) first for {lFirst}/{n}");
        }
        Assert.True(correct >= 0.9 * Facts, $"the adapter answered {correct}/{Facts}");
        Assert.True(attributed >= 0.9 * correct, $"attribution ranked the teaching contribution first for {attributed}/{correct}");
    }

    private static int ArgMaxCosine(List<Sketch> store, Sketch q)
    {
        static double Dot(Sketch a, Sketch b) { double s = 0; for (int i = 0; i < a.Values.Length; i++) s += (double)a.Values[i] * b.Values[i]; return s; }
        int best = -1; double bestScore = double.NegativeInfinity;
        for (int i = 0; i < store.Count; i++)
        {
            double c = Dot(store[i], q) / Math.Sqrt(Math.Max(1e-300, Dot(store[i], store[i]) * Dot(q, q)));
            if (c > bestScore) { bestScore = c; best = i; }
        }
        return best;
    }

    [Fact]
    public void Query_sketch_is_bit_identical_across_runs_and_kernels()
    {
        var w = LlamaWeights.Random(TinyModels.Config(), 21, std: 0.3f);
        var model = new LlamaModel(w, TinyModels.RandomAdapter(w, new LoraConfig { Rank = 2, Alpha = 4, TargetModules = ["q_proj", "v_proj", "down_proj"] }, 4));
        var sketcher = new AdapterSketcher(model, 64, 99);
        int[] prompt = [1, 5, 9, 13, 2], answer = [7, 7, 3];
        var a = sketcher.QuerySketch(prompt, answer);
        var b = sketcher.QuerySketch(prompt, answer);
        Sketch c;
        try { Gemm.ForcePortable = true; c = sketcher.QuerySketch(prompt, answer); }
        finally { Gemm.ForcePortable = false; }
        Assert.Equal(a.Values, b.Values); Assert.Equal(a.Scale, b.Scale);
        Assert.Equal(a.Values, c.Values); Assert.Equal(a.Scale, c.Scale);
        Assert.Contains(a.Values, v => v != 0);
    }
}
