using Microsoft.Extensions.Logging;

namespace OpenLedger.Rollup.Outputs;

/// <summary>
/// The output proposer (op-proposer's role): whenever the L2 node's safe head has reached the oracle's
/// <c>nextBlockNumber()</c> (every SUBMISSION_INTERVAL blocks) and that block's L2 time has passed on L1, posts its
/// output root, pinned to the current L1 head. It keeps no state: the oracle says what comes next, so a restart
/// resumes from the oracle's latest output.
/// </summary>
public sealed class ProposerService(OutputOracleClient oracle, L2OutputSource l2, ILogger logger)
{
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>Outputs proposed by this instance.</summary>
    public int Proposed { get; private set; }

    public async Task RunAsync(CancellationToken ct)
    {
        logger.LogInformation("proposer: oracle {Oracle}, L2 '{Tag}' head", oracle.Address, l2.HeadTag);
        while (!ct.IsCancellationRequested)
        {
            bool again;
            try { again = await StepAsync(ct).ConfigureAwait(false); }
            catch (OperationCanceledException) when (ct.IsCancellationRequested) { break; }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                logger.LogWarning("proposer: {Error}; retrying", e.Message);
                again = false;
            }
            if (!again)
                try { await Task.Delay(PollInterval, ct).ConfigureAwait(false); }
                catch (OperationCanceledException) { break; }
        }
    }

    /// <summary>Proposes the next output if it is due; true when it did (another may be due at once).</summary>
    public async Task<bool> StepAsync(CancellationToken ct)
    {
        ulong next = await oracle.NextBlockNumberAsync().ConfigureAwait(false);
        ulong head = await l2.HeadAsync().ConfigureAwait(false);
        if (head < next) return false;
        var l1 = await oracle.L1HeadAsync().ConfigureAwait(false);
        // The oracle refuses outputs whose L2 time is not yet in L1's past.
        if (await oracle.L2TimestampAsync(next).ConfigureAwait(false) >= l1.Timestamp) return false;
        var root = await l2.OutputRootAsync(next).ConfigureAwait(false);
        ulong mined = await oracle.ProposeAsync(root, next, l1.Hash, l1.Number, ct).ConfigureAwait(false);
        Proposed++;
        logger.LogInformation("proposer: output of L2 block {Block} = {Root} proposed in L1 block {L1}", next, root, mined);
        return true;
    }
}
