using OpenLedger.AI.Model;

namespace OpenLedger.AI.Training;

/// <summary>AdamW (decoupled weight decay), with its moments kept per parameter so checkpoints can carry them.</summary>
public sealed class AdamW(IReadOnlyList<Parameter> parameters, float beta1 = 0.9f, float beta2 = 0.999f, float eps = 1e-8f, float weightDecay = 0f)
{
    public IReadOnlyList<Parameter> Parameters { get; } = parameters;
    public float[][] M { get; } = parameters.Select(p => new float[p.Data.Length]).ToArray();
    public float[][] V { get; } = parameters.Select(p => new float[p.Data.Length]).ToArray();
    public long Step { get; set; }

    public void Update(float lr)
    {
        Step++;
        double bc1 = 1 - Math.Pow(beta1, Step), bc2 = 1 - Math.Pow(beta2, Step);
        for (int k = 0; k < Parameters.Count; k++)
        {
            var p = Parameters[k]; var g = p.Grad!; var m = M[k]; var v = V[k];
            bool decay = weightDecay > 0 && p.Shape.Length > 1; // no decay on norm vectors
            for (int i = 0; i < g.Length; i++)
            {
                m[i] = beta1 * m[i] + (1 - beta1) * g[i];
                v[i] = beta2 * v[i] + (1 - beta2) * g[i] * g[i];
                float mh = (float)(m[i] / bc1), vh = (float)(v[i] / bc2);
                float upd = mh / (MathF.Sqrt(vh) + eps);
                if (decay) upd += weightDecay * p.Data[i];
                p.Data[i] -= lr * upd;
            }
        }
    }

    /// <summary>Scales all gradients so their global L2 norm is at most maxNorm; returns the norm before clipping.</summary>
    public double ClipGradients(double maxNorm)
    {
        double ss = 0;
        foreach (var p in Parameters) foreach (var g in p.Grad!) ss += (double)g * g;
        double norm = Math.Sqrt(ss);
        if (maxNorm > 0 && norm > maxNorm)
        {
            float s = (float)(maxNorm / (norm + 1e-6));
            foreach (var p in Parameters) { var g = p.Grad!; for (int i = 0; i < g.Length; i++) g[i] *= s; }
        }
        return norm;
    }
}

/// <summary>Linear warm-up to the peak rate, then cosine decay to min_lr over the remaining steps.</summary>
public static class LrSchedule
{
    public static float At(long step, long total, long warmup, float peak, float min = 0)
    {
        if (warmup > 0 && step < warmup) return peak * (step + 1) / warmup;
        long span = Math.Max(1, total - warmup);
        double progress = Math.Min(1.0, (double)(step - warmup) / span);
        return (float)(min + (peak - min) * 0.5 * (1 + Math.Cos(Math.PI * progress)));
    }
}
