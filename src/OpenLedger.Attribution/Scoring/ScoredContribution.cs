namespace OpenLedger.Attribution.Scoring;

/// <summary>
/// One candidate for a query. <see cref="Dot"/> is the exact int8 dot product; the score is
/// scale_q · scale_i · dot, an exact integer (Int128: up to 2^31 · 2^31 · 2^24).
/// </summary>
public readonly record struct ScoredContribution(ulong ContributionId, int Scale, int Dot, Int128 Score)
{
    /// <summary>Total order used everywhere: higher score first, then smaller contribution id.</summary>
    public static int Compare(in ScoredContribution a, in ScoredContribution b)
    {
        int c = b.Score.CompareTo(a.Score);
        return c != 0 ? c : a.ContributionId.CompareTo(b.ContributionId);
    }

    public static Int128 ScoreOf(int queryScale, int scale, int dot) => (Int128)queryScale * scale * dot;
}
