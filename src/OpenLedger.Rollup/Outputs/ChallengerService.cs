using Microsoft.Extensions.Logging;

namespace OpenLedger.Rollup.Outputs;

/// <summary>
/// The challenger: recomputes every proposal still inside its challenge window from its own L2 node (a replica that
/// derived the chain from L1; its safe head bounds what it can judge), challenges a wrong root with the bond naming the
/// root it computed, and resolves challenges whose guardian deadline has passed (an undecided challenge wins). It keeps
/// no state: each pass reads the oracle, so a restart picks up where the chain is.
/// </summary>
public sealed class ChallengerService(OutputOracleClient oracle, L2OutputSource l2, ILogger logger)
{
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromSeconds(2);
    private readonly HashSet<(ulong Index, Hash256 Root)> _verified = [];

    /// <summary>Challenges opened and expired challenges resolved by this instance.</summary>
    public int Challenged { get; private set; }
    public int Resolved { get; private set; }

    public async Task RunAsync(CancellationToken ct)
    {
        logger.LogInformation("challenger: oracle {Oracle}, checking against the L2 '{Tag}' head", oracle.Address, l2.HeadTag);
        while (!ct.IsCancellationRequested)
        {
            try { await StepAsync(ct).ConfigureAwait(false); }
            catch (OperationCanceledException) when (ct.IsCancellationRequested) { break; }
            catch (Exception e) when (e is not OutOfMemoryException) { logger.LogWarning("challenger: {Error}; retrying", e.Message); }
            try { await Task.Delay(PollInterval, ct).ConfigureAwait(false); }
            catch (OperationCanceledException) { break; }
        }
    }

    /// <summary>One pass: check the open proposals, then resolve expired challenges.</summary>
    public async Task StepAsync(CancellationToken ct)
    {
        var l1 = await oracle.L1HeadAsync().ConfigureAwait(false);
        ulong window = await oracle.FinalizationPeriodAsync().ConfigureAwait(false);
        ulong count = await oracle.NextOutputIndexAsync().ConfigureAwait(false);
        ulong safe = await l2.HeadAsync().ConfigureAwait(false);
        var open = await OpenChallengesAsync().ConfigureAwait(false);
        // Newest first: outputs are in time order, so stop at the first whose window has closed.
        for (ulong i = count; i-- > 0;)
        {
            var p = await oracle.GetOutputAsync(i).ConfigureAwait(false);
            if (p.Timestamp + window < l1.Timestamp) break;
            if (_verified.Contains((i, p.OutputRoot))) continue;
            if (p.L2BlockNumber > safe) continue; // our node has not derived it yet
            var expected = await l2.OutputRootAsync(p.L2BlockNumber).ConfigureAwait(false);
            if (expected == p.OutputRoot)
            {
                _verified.Add((i, p.OutputRoot));
                continue;
            }
            if (open.Any(c => c.OutputIndex == i && c.OutputRoot == p.OutputRoot))
                continue; // already challenged (by us or someone else)
            logger.LogWarning("challenger: output {Index} (L2 block {Block}) is {Root}, our node computes {Expected}: challenging", i, p.L2BlockNumber, p.OutputRoot, expected);
            ulong mined = await oracle.ChallengeAsync(i, expected, ct).ConfigureAwait(false);
            Challenged++;
            logger.LogInformation("challenger: output {Index} challenged in L1 block {L1}", i, mined);
        }
        foreach (var c in open)
        {
            if (c.Deadline >= l1.Timestamp) continue;
            ulong mined = await oracle.ResolveExpiredAsync(c.Id, ct).ConfigureAwait(false);
            Resolved++;
            logger.LogInformation("challenger: challenge {Id} (output {Index}) past its deadline resolved in L1 block {L1}", c.Id, c.OutputIndex, mined);
        }
    }

    private async Task<List<OutputChallenge>> OpenChallengesAsync()
    {
        var result = new List<OutputChallenge>();
        ulong n = await oracle.ChallengeCountAsync().ConfigureAwait(false);
        for (ulong id = n; id >= 1; id--)
        {
            var c = await oracle.GetChallengeAsync(id).ConfigureAwait(false);
            if (c.Status == OutputChallenge.Open) result.Add(c);
        }
        return result;
    }
}
