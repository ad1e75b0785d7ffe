using OpenLedger.AI.Compute;
using OpenLedger.AI.Lora;
using OpenLedger.AI.Model;

namespace OpenLedger.AI.Tests;

/// <summary>The analytic backward pass against central finite differences of the loss, per parameter tensor.</summary>
public class GradientCheckTests
{
    private static readonly int[] Tokens = [3, 17, 5, 42, 8, 8, 21, 1, 33];
    private static readonly int[] Targets = [17, 5, -1, 8, 8, 21, 1, 33, 2];

    private static double Loss(LlamaModel m) => m.ForwardBackward(Tokens, Targets, 1, false, false, backward: false).Loss;

    /// <summary>Checks g·v against (L(θ+εv) − L(θ−εv)) / 2ε along a random direction v of one tensor.</summary>
    private static void CheckDirection(LlamaModel model, Parameter p, ulong seed)
    {
        var rng = new SplitMix(seed);
        var v = new float[p.Data.Length];
        for (int i = 0; i < v.Length; i++) v[i] = (float)rng.NextGaussian();
        float norm = MathF.Sqrt(v.Sum(x => x * x));
        for (int i = 0; i < v.Length; i++) v[i] /= norm; // unit direction: the step stays small for large tensors
        double analytic = 0;
        for (int i = 0; i < v.Length; i++) analytic += (double)p.Grad![i] * v[i];
        var orig = (float[])p.Data.Clone();
        const float eps = 3e-3f;
        for (int i = 0; i < v.Length; i++) p.Data[i] = orig[i] + eps * v[i];
        double lp = Loss(model);
        for (int i = 0; i < v.Length; i++) p.Data[i] = orig[i] - eps * v[i];
        double lm = Loss(model);
        orig.CopyTo(p.Data, 0);
        double numeric = (lp - lm) / (2 * eps);
        double tol = 1e-2 * Math.Max(Math.Abs(numeric), Math.Abs(analytic)) + 1e-3;
        Assert.True(Math.Abs(numeric - analytic) <= tol, $"{p.Name}: analytic {analytic:G6} vs numeric {numeric:G6}");
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Base_weight_gradients_match_finite_differences(bool tied)
    {
        var w = LlamaWeights.Random(TinyModels.Config(tied: tied), 11, std: 0.3f);
        var model = new LlamaModel(w);
        model.ForwardBackward(Tokens, Targets, 1, trainBase: true, trainAdapter: false);
        ulong s = 100;
        foreach (var p in w.All()) CheckDirection(model, p, s++);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Lora_gradients_match_finite_differences_and_leave_the_base_untouched(bool rs)
    {
        var w = LlamaWeights.Random(TinyModels.Config(), 12, std: 0.3f);
        var cfg = new LoraConfig { Rank = 2, Alpha = 4, TargetModules = LlamaWeights.LinearModules, UseRsLora = rs };
        var model = new LlamaModel(w, TinyModels.RandomAdapter(w, cfg, 5));
        model.ForwardBackward(Tokens, Targets, 1, trainBase: false, trainAdapter: true);
        Assert.All(w.All(), p => Assert.Null(p.Grad));
        ulong s = 200;
        foreach (var p in model.Adapter!.Parameters()) CheckDirection(model, p, s++);
    }
}
