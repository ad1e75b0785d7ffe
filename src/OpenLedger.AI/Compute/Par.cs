namespace OpenLedger.AI.Compute;

/// <summary>
/// Parallel loops that stay on the calling thread when the work is small. On a loaded machine a fork/join waits for
/// a pool thread to be scheduled, which costs far more than a decode step's per-head or per-sequence work.
/// Iterations must be independent, so both ways give the same results.
/// </summary>
internal static class Par
{
    /// <summary>Below this many multiply-adds in all, the loop runs serially.</summary>
    public const long MinParallelWork = 1 << 20;

    public static void For(int count, long work, Action<int> body)
    {
        if (count > 1 && work >= MinParallelWork) Parallel.For(0, count, body);
        else for (int i = 0; i < count; i++) body(i);
    }
}
