namespace OpenLedger.Attribution.Model;

/// <summary>
/// Plain mini-batch SGD with a seeded shuffle. Deterministic: the same model seed, data and options give the same
/// parameters, which is what makes retraining on subsets (the LDS check) measure the data and not the noise.
/// </summary>
public sealed record SgdOptions(int Epochs = 20, int BatchSize = 16, double LearningRate = 0.1, double WeightDecay = 1e-4, int ShuffleSeed = 7);

public static class SgdTrainer
{
    /// <summary>Trains in place. <paramref name="onEpoch"/> sees the model after each epoch (for checkpoint sketches).</summary>
    public static void Train(MlpClassifier model, Dataset data, SgdOptions options, Action<int, MlpClassifier>? onEpoch = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(data);
        if (data.Count == 0) throw new ArgumentException("cannot train on an empty data set");
        var rng = new Random(options.ShuffleSeed);
        var order = Enumerable.Range(0, data.Count).ToArray();
        var grad = new double[model.ParameterCount];
        for (int epoch = 0; epoch < options.Epochs; epoch++)
        {
            rng.Shuffle(order);
            for (int start = 0; start < order.Length; start += options.BatchSize)
            {
                int end = Math.Min(order.Length, start + options.BatchSize);
                Array.Clear(grad);
                double w = 1.0 / (end - start);
                for (int t = start; t < end; t++) model.AccumulateGradient(data.Features[order[t]], data.Labels[order[t]], grad, w);
                var p = model.Parameters;
                for (int i = 0; i < p.Length; i++) p[i] -= options.LearningRate * (grad[i] + options.WeightDecay * p[i]);
            }
            onEpoch?.Invoke(epoch, model);
        }
    }
}
