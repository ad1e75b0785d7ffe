using OpenLedger.Attribution.Model;
using OpenLedger.Attribution.Scoring;
using OpenLedger.Attribution.Sketching;
using Xunit.Abstractions;

namespace OpenLedger.Attribution.Tests;

/// <summary>
/// The whole training-side → store → integer scoring path on a small MLP, with quality measured, not assumed.
/// Fixed seeds throughout, so the measured numbers are reproducible (they are reported in docs/ARCHITECTURE.md).
/// </summary>
public class EndToEndQualityTests(ITestOutputHelper output)
{
    private const int Dim = 16, Hidden = 32, Classes = 4, K = 1024;

    private static (Dataset train, Dataset held) Data(int perClass)
    {
        var all = GaussianClusters.Generate(seed: 11, perClass: perClass + 20, classes: Classes, dimension: Dim, centreSpread: 1.0, noise: 1.0);
        var trainIdx = Enumerable.Range(0, perClass * Classes).ToArray();
        var heldIdx = Enumerable.Range(perClass * Classes, 20 * Classes).ToArray();
        return (all.Subset(trainIdx), all.Subset(heldIdx));
    }

    [Fact]
    public void Per_example_gradients_match_finite_differences()
    {
        var (train, _) = Data(perClass: 5);
        var model = new MlpClassifier(Dim, 6, Classes, seed: 2);
        var x = train.Features[3]; int y = train.Labels[3];
        var g = model.Gradient(x, y);
        const double h = 1e-6;
        for (int i = 0; i < model.ParameterCount; i += 7)
        {
            double saved = model.Parameters[i];
            model.Parameters[i] = saved + h; double up = -model.LogProbability(x, y);
            model.Parameters[i] = saved - h; double down = -model.LogProbability(x, y);
            model.Parameters[i] = saved;
            Assert.Equal((up - down) / (2 * h), g[i], 6);
        }
    }

    private static ScoredContribution[] ScoreAll(MlpClassifier model, Dataset train, double[] qx, int qy, GradientSketcher sketcher, int topK)
    {
        var path = TestData.TempPath("e2e.olsk");
        try
        {
            using (var w = new SketchStoreWriter(path, K, sketcher.Projection.Seed, TestData.ModelId(3)))
            {
                for (int i = 0; i < train.Count; i++) w.Append((ulong)i, sketcher.Sketch(model.Gradient(train.Features[i], train.Labels[i])));
                w.Complete();
            }
            using var store = SketchStore.Open(path);
            var query = sketcher.Sketch(model.Gradient(qx, qy));
            return new SimdCpuScorer().Score(store, [query], topK)[0];
        }
        finally { File.Delete(path); }
    }

    [Fact]
    public void Planted_near_duplicates_are_recalled_in_the_top_10()
    {
        var (train, held) = Data(perClass: 100);
        var rng = new Random(5);
        const int queries = 5, copies = 10;
        var x = train.Features.ToList(); var y = train.Labels.ToList();
        var planted = new List<HashSet<ulong>>();
        for (int q = 0; q < queries; q++)
        {
            var set = new HashSet<ulong>();
            for (int c = 0; c < copies; c++)
            {
                set.Add((ulong)x.Count);
                x.Add(held.Features[q].Select(v => v + GaussianClusters.Normal(rng) * 0.01).ToArray());
                y.Add(held.Labels[q]);
            }
            planted.Add(set);
        }
        var data = new Dataset(x.ToArray(), y.ToArray(), Classes);
        var model = new MlpClassifier(Dim, Hidden, Classes, seed: 1);
        SgdTrainer.Train(model, data, new SgdOptions(Epochs: 15));
        var sketcher = new GradientSketcher(model.ParameterCount, K, seed: 99);

        double recall = 0;
        for (int q = 0; q < queries; q++)
        {
            var top = ScoreAll(model, data, held.Features[q], held.Labels[q], sketcher, 10);
            recall += top.Count(t => planted[q].Contains(t.ContributionId)) / (double)copies;
        }
        recall /= queries;
        output.WriteLine($"recall@10 = {recall:F3}");
        Assert.True(recall >= 0.95, $"recall@10 = {recall:F3}");
    }

    [Theory]
    [InlineData(true)]  // cosine (the default): measured LDS 0.523
    [InlineData(false)] // raw TracIn dot products: measured LDS 0.590
    public void Linear_datamodeling_score_on_half_subsets(bool normalize)
    {
        var (train, held) = Data(perClass: 60);
        var options = new SgdOptions(Epochs: 12);
        var model = new MlpClassifier(Dim, Hidden, Classes, seed: 1);
        SgdTrainer.Train(model, train, options);
        var sketcher = new GradientSketcher(model.ParameterCount, K, seed: 99, normalize);

        const int subsets = 50, queries = 8;
        var rng = new Random(21);
        var members = new List<int[]>();
        for (int s = 0; s < subsets; s++)
            members.Add(Enumerable.Range(0, train.Count).OrderBy(_ => rng.Next()).Take(train.Count / 2).ToArray());
        var retrained = members.Select(m =>
        {
            var mdl = new MlpClassifier(Dim, Hidden, Classes, seed: 1);
            SgdTrainer.Train(mdl, train.Subset(m), options);
            return mdl;
        }).ToArray();

        double lds = 0;
        for (int q = 0; q < queries; q++)
        {
            var scores = ScoreAll(model, train, held.Features[q], held.Labels[q], sketcher, train.Count)
                .ToDictionary(s => (int)s.ContributionId, s => (double)s.Score);
            var predicted = members.Select(m => m.Sum(i => scores[i])).ToArray();
            var actual = retrained.Select(m => m.LogProbability(held.Features[q], held.Labels[q])).ToArray();
            double rho = TestData.Spearman(predicted, actual);
            output.WriteLine($"query {q}: spearman {rho:F3}");
            lds += rho;
        }
        lds /= queries;
        output.WriteLine($"LDS (normalize={normalize}) = {lds:F3}");
        Assert.True(lds >= 0.3, $"LDS = {lds:F3}");
    }
}
