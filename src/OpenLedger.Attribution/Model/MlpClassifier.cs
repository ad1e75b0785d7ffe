namespace OpenLedger.Attribution.Model;

/// <summary>
/// A two-layer perceptron (tanh hidden layer, softmax output) with explicit per-example gradients, small enough to
/// retrain dozens of times in a test. Parameters live in one flat vector: W1 (h×d), b1 (h), W2 (c×h), b2 (c);
/// the gradient uses the same layout, which is what the projection sketches.
/// </summary>
public sealed class MlpClassifier
{
    public int Inputs { get; }
    public int Hidden { get; }
    public int Classes { get; }
    public double[] Parameters { get; }
    public int ParameterCount => Parameters.Length;

    private int W1 => 0;
    private int B1 => Hidden * Inputs;
    private int W2 => B1 + Hidden;
    private int B2 => W2 + Classes * Hidden;

    public MlpClassifier(int inputs, int hidden, int classes, int seed)
    {
        if (inputs <= 0 || hidden <= 0 || classes < 2) throw new ArgumentException("the network needs inputs ≥ 1, hidden ≥ 1 and classes ≥ 2");
        Inputs = inputs; Hidden = hidden; Classes = classes;
        Parameters = new double[hidden * inputs + hidden + classes * hidden + classes];
        var rng = new Random(seed);
        double s1 = 1.0 / Math.Sqrt(inputs), s2 = 1.0 / Math.Sqrt(hidden);
        for (int i = 0; i < hidden * inputs; i++) Parameters[W1 + i] = GaussianClusters.Normal(rng) * s1;
        for (int i = 0; i < classes * hidden; i++) Parameters[W2 + i] = GaussianClusters.Normal(rng) * s2;
    }

    public MlpClassifier Clone()
    {
        var m = new MlpClassifier(Inputs, Hidden, Classes, 0);
        Parameters.CopyTo(m.Parameters, 0);
        return m;
    }

    /// <summary>Log-softmax of the outputs for one example.</summary>
    public double[] LogProbabilities(ReadOnlySpan<double> x)
    {
        var h = new double[Hidden];
        var logits = new double[Classes];
        Forward(x, h, logits);
        return LogSoftmax(logits);
    }

    public double LogProbability(ReadOnlySpan<double> x, int label) => LogProbabilities(x)[label];

    private void Forward(ReadOnlySpan<double> x, Span<double> h, Span<double> logits)
    {
        if (x.Length != Inputs) throw new ArgumentException($"the network takes {Inputs} features, got {x.Length}");
        var p = Parameters;
        for (int a = 0; a < Hidden; a++)
        {
            double s = p[B1 + a];
            int row = W1 + a * Inputs;
            for (int j = 0; j < Inputs; j++) s += p[row + j] * x[j];
            h[a] = Math.Tanh(s);
        }
        for (int c = 0; c < Classes; c++)
        {
            double s = p[B2 + c];
            int row = W2 + c * Hidden;
            for (int a = 0; a < Hidden; a++) s += p[row + a] * h[a];
            logits[c] = s;
        }
    }

    private static double[] LogSoftmax(ReadOnlySpan<double> logits)
    {
        double max = double.NegativeInfinity;
        foreach (var l in logits) max = Math.Max(max, l);
        double sum = 0;
        foreach (var l in logits) sum += Math.Exp(l - max);
        double lse = max + Math.Log(sum);
        var r = new double[logits.Length];
        for (int i = 0; i < r.Length; i++) r[i] = logits[i] - lse;
        return r;
    }

    /// <summary>
    /// Gradient of the loss −log p(label | x) w.r.t. all parameters, added into <paramref name="grad"/> times
    /// <paramref name="weight"/> (so a mini-batch sums per-example gradients into one buffer). Returns the loss.
    /// </summary>
    public double AccumulateGradient(ReadOnlySpan<double> x, int label, Span<double> grad, double weight = 1.0)
    {
        if (grad.Length != ParameterCount) throw new ArgumentException($"gradient buffer needs {ParameterCount} entries");
        if ((uint)label >= (uint)Classes) throw new ArgumentOutOfRangeException(nameof(label));
        Span<double> h = stackalloc double[Hidden];
        Span<double> logits = stackalloc double[Classes];
        Forward(x, h, logits);
        var logp = LogSoftmax(logits);
        var p = Parameters;
        Span<double> dh = stackalloc double[Hidden];
        dh.Clear();
        for (int c = 0; c < Classes; c++)
        {
            double dz = (Math.Exp(logp[c]) - (c == label ? 1.0 : 0.0)) * weight; // softmax cross-entropy
            grad[B2 + c] += dz;
            int row = W2 + c * Hidden;
            for (int a = 0; a < Hidden; a++)
            {
                grad[row + a] += dz * h[a];
                dh[a] += dz * p[row + a];
            }
        }
        for (int a = 0; a < Hidden; a++)
        {
            double da = dh[a] * (1 - h[a] * h[a]);
            grad[B1 + a] += da;
            int row = W1 + a * Inputs;
            for (int j = 0; j < Inputs; j++) grad[row + j] += da * x[j];
        }
        return -logp[label];
    }

    /// <summary>The per-example gradient as a fresh vector.</summary>
    public double[] Gradient(ReadOnlySpan<double> x, int label)
    {
        var g = new double[ParameterCount];
        AccumulateGradient(x, label, g);
        return g;
    }

    public double Accuracy(Dataset data)
    {
        int ok = 0;
        for (int i = 0; i < data.Count; i++)
        {
            var lp = LogProbabilities(data.Features[i]);
            int best = 0;
            for (int c = 1; c < lp.Length; c++) if (lp[c] > lp[best]) best = c;
            if (best == data.Labels[i]) ok++;
        }
        return data.Count == 0 ? 0 : (double)ok / data.Count;
    }
}
