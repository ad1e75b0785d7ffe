namespace OpenLedger.AI.Compute;

/// <summary>
/// Transcendentals computed with IEEE double arithmetic only (no libm, no vector-width dependent polynomial), so
/// every machine gets the same float. Used by the kernels on the training / attribution path.
/// </summary>
public static class DetMath
{
    private const double Ln2Hi = 0.693147180369123816490;
    private const double Ln2Lo = 1.90821492927058770002e-10;
    private const double InvLn2 = 1.44269504088896338700;

    /// <summary>e^x rounded to float; exact to well under one float ulp.</summary>
    public static float Exp(float xf)
    {
        double x = xf;
        if (double.IsNaN(x)) return float.NaN;
        if (x > 88.8) return float.PositiveInfinity;
        if (x < -104) return 0f;
        double n = Math.Round(x * InvLn2, MidpointRounding.ToEven);
        double r = (x - n * Ln2Hi) - n * Ln2Lo; // |r| ≤ ln2/2
        // Taylor to degree 11: error < 2^-53 · small for |r| ≤ 0.35
        double p = 1.0 / 39916800;
        p = p * r + 1.0 / 3628800;
        p = p * r + 1.0 / 362880;
        p = p * r + 1.0 / 40320;
        p = p * r + 1.0 / 5040;
        p = p * r + 1.0 / 720;
        p = p * r + 1.0 / 120;
        p = p * r + 1.0 / 24;
        p = p * r + 1.0 / 6;
        p = p * r + 0.5;
        p = p * r + 1.0;
        p = p * r + 1.0;
        return (float)Math.ScaleB(p, (int)n);
    }

    /// <summary>Natural logarithm in double (for losses): ln x = 2·atanh((m−1)/(m+1)) + e·ln2.</summary>
    public static double Log(double x)
    {
        if (double.IsNaN(x) || x < 0) return double.NaN;
        if (x == 0) return double.NegativeInfinity;
        if (double.IsPositiveInfinity(x)) return x;
        int e = Math.ILogB(x);
        double m = Math.ScaleB(x, -e); // [1, 2)
        if (m > 1.4142135623730951) { m *= 0.5; e++; }
        double s = (m - 1) / (m + 1), s2 = s * s, term = s, sum = 0;
        for (int k = 1; k < 60; k += 2) { sum += term / k; term *= s2; if (Math.Abs(term) < 1e-300) break; }
        return 2 * sum + e * (Ln2Hi + Ln2Lo);
    }

    public static float Sigmoid(float x) => 1f / (1f + Exp(-x));
}
